using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace ComposeFix.Yaml;

/// <summary>
/// One scan for structure and comments: wraps a comment-keeping scanner, records each comment and hides
/// it from the parser (YamlDotNet 18.1.0's parser, fed comment tokens, rejects valid YAML such as
/// <c>a: [x]  # c</c> followed by another key). Saves the second, comment-only scan of every load.
/// </summary>
internal sealed class CommentCollectingScanner(Scanner inner, List<YComment> comments) : IScanner
{
    public Mark CurrentPosition => inner.CurrentPosition;

    public Token? Current => inner.Current;

    public bool MoveNext()
    {
        while (inner.MoveNext())
        {
            if (!Take())
            {
                return true;
            }
        }

        return false;
    }

    public bool MoveNextWithoutConsuming()
    {
        while (inner.MoveNextWithoutConsuming())
        {
            if (!Take())
            {
                return true;
            }
        }

        return false;
    }

    public void ConsumeCurrent() => inner.ConsumeCurrent();

    /// <summary>Records and consumes the current token when it is a comment.</summary>
    private bool Take()
    {
        if (inner.Current is not Comment c)
        {
            return false;
        }

        comments.Add(new YComment((int)c.Start.Index, (int)c.End.Index, c.Value, c.IsInline));
        inner.ConsumeCurrent();
        return true;
    }
}
