using ComposeFix.Engine;

namespace ComposeFix.Tests;

/// <summary>The planner's shared-storage list: every version keeps exactly its own items.</summary>
public class GrowingListTests
{
    [Fact]
    public void Appending_to_an_older_version_does_not_change_the_newer_one()
    {
        var empty = GrowingList<string>.From([], s => s);
        var a = empty.Append("a");
        var ab = a.Append("b");
        var ac = a.Append("c"); // a is not the newest version any more: this copies

        Assert.Equal(["a", "b"], ab);
        Assert.Equal(["a", "c"], ac);
        Assert.Equal(["a"], a);
        Assert.Empty(empty);
        Assert.Equal(1, ab.IndexOfKey("b"));
        Assert.Equal(-1, ac.IndexOfKey("b"));
        Assert.Equal(-1, a.IndexOfKey("b")); // stored after this version's end
        Assert.Equal(1, ac.IndexOfKey("c"));
    }

    [Fact]
    public void The_first_of_repeated_keys_is_the_one_indexed_and_indexing_past_the_end_throws()
    {
        var list = GrowingList<string>.From(["x", "y", "x"], s => s);
        Assert.Equal(0, list.IndexOfKey("x"));
        Assert.Equal(3, list.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[3]);
        Assert.Equal(-1, GrowingList<string>.From(["x"]).IndexOfKey("x")); // not keyed
    }
}
