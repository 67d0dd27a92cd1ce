using System.Collections;

namespace ComposeFix.Engine;

/// <summary>
/// An immutable list whose <see cref="Append"/> shares the storage of the list it grows from, so a
/// value that collects one item per service (a new top-level networks: or secrets:, the fixes a new
/// key serves) costs O(1) per item instead of a copy. Appending to an older version (after a
/// planner rollback) copies, so every version keeps its own items. Keyed items are indexed, for
/// <see cref="IndexOfKey"/> without a scan.
/// </summary>
internal sealed class GrowingList<T> : IReadOnlyList<T>
{
    private readonly Storage storage;

    private GrowingList(Storage storage, int count)
    {
        this.storage = storage;
        Count = count;
    }

    public int Count { get; }

    public T this[int index] => (uint)index < (uint)Count ? storage.Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public static GrowingList<T> From(IEnumerable<T> items, Func<T, string>? key = null)
    {
        var list = new GrowingList<T>(new Storage(key), 0);
        foreach (var item in items)
        {
            list = list.Append(item);
        }

        return list;
    }

    public GrowingList<T> Append(T item)
    {
        var target = storage.Items.Count == Count ? storage : storage.CopyOf(Count);
        target.Add(item);
        return new GrowingList<T>(target, Count + 1);
    }

    /// <summary>The index of the first item with this key in this version, or -1 (only for a keyed list).</summary>
    public int IndexOfKey(string key) =>
        storage.Index is not null && storage.Index.TryGetValue(key, out int i) && i < Count ? i : -1;

    public bool IsKeyed => storage.Index is not null;

    public IEnumerator<T> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return storage.Items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Storage(Func<T, string>? key)
    {
        public List<T> Items { get; } = [];

        public Dictionary<string, int>? Index { get; } = key is null ? null : new(StringComparer.Ordinal);

        public void Add(T item)
        {
            if (key is not null)
            {
                Index!.TryAdd(key(item), Items.Count);
            }

            Items.Add(item);
        }

        public Storage CopyOf(int count)
        {
            var copy = new Storage(key);
            for (int i = 0; i < count; i++)
            {
                copy.Add(Items[i]);
            }

            return copy;
        }
    }
}
