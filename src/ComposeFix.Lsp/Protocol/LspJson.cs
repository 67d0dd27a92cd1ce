using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ComposeFix.Lsp.JsonRpc;

namespace ComposeFix.Lsp.Protocol;

/// <summary>Typed params in, JSON out, through the source-generated metadata of <see cref="LspJsonContext"/>.</summary>
public static class LspJson
{
    /// <summary>The params of a message as <typeparamref name="T"/>; missing or mistyped params are an InvalidParams error.</summary>
    public static T Read<T>(JsonElement? parameters, JsonTypeInfo<T> info)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(info);
        if (parameters is not { } p)
        {
            throw new JsonRpcException(ErrorCodes.InvalidParams, $"missing params ({typeof(T).Name})");
        }

        try
        {
            return p.Deserialize(info) ?? throw new JsonRpcException(ErrorCodes.InvalidParams, $"params must be a {typeof(T).Name}");
        }
        catch (JsonException ex)
        {
            throw new JsonRpcException(ErrorCodes.InvalidParams, $"invalid params: {ex.Message}");
        }
    }

    public static JsonNode? Write<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.SerializeToNode(value, info);
}
