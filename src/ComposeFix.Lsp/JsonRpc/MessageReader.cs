using System.Text;

namespace ComposeFix.Lsp.JsonRpc;

/// <summary>
/// Reads the LSP base protocol: header lines ("Content-Length: N", optional "Content-Type"), an
/// empty line, then N bytes of JSON. Reads can split a message anywhere or carry several messages,
/// so bytes are buffered until a whole message is there.
/// </summary>
public sealed class MessageReader(Stream input)
{
    /// <summary>Larger bodies are refused: a compose file is at most 32 MiB, and JSON escaping can double it.</summary>
    public const int MaxBodyBytes = 80 * 1024 * 1024;

    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    /// <summary>The next message body, or null at the end of the input.</summary>
    /// <exception cref="FramingException">A header block without a usable Content-Length (the block is skipped, so reading can go on).</exception>
    public async Task<byte[]?> ReadAsync(CancellationToken cancellationToken = default)
    {
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(start, end - start).IndexOf(HeaderEnd)) < 0)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        string headers = Encoding.ASCII.GetString(buffer, start, headerEnd);
        start += headerEnd + HeaderEnd.Length;
        int length = ContentLength(headers);
        var body = new byte[length];
        int copied = 0;
        while (copied < length)
        {
            if (end == start && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null; // the input ended inside a message
            }

            int take = Math.Min(length - copied, end - start);
            Buffer.BlockCopy(buffer, start, body, copied, take);
            start += take;
            copied += take;
        }

        return body;
    }

    private static int ContentLength(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (int.TryParse(line[(colon + 1)..].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n <= MaxBodyBytes)
                {
                    return n;
                }

                throw new FramingException($"bad Content-Length header '{line}'");
            }
        }

        throw new FramingException("a message header without Content-Length");
    }

    /// <summary>Reads more bytes after the buffered ones; false at the end of the input.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        int n = await input.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
        end += n;
        return n > 0;
    }
}
