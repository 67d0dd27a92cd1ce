using System.Globalization;
using System.Text;

namespace ComposeFix.Lsp.JsonRpc;

/// <summary>Writes framed messages; one lock keeps messages from interleaving when several threads reply.</summary>
public sealed class MessageWriter(Stream output)
{
    private readonly Lock gate = new();

    public void Write(ReadOnlySpan<byte> body)
    {
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n"));
        lock (gate)
        {
            output.Write(header);
            output.Write(body);
            output.Flush();
        }
    }
}
