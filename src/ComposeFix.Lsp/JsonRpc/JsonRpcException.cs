namespace ComposeFix.Lsp.JsonRpc;

/// <summary>JSON-RPC 2.0 and LSP error codes.</summary>
public static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int RequestFailed = -32803;
    public const int ContentModified = -32801;
    public const int RequestCancelled = -32800;
}

/// <summary>Thrown by a handler to answer its request with this JSON-RPC error.</summary>
public sealed class JsonRpcException : Exception
{
    public JsonRpcException()
    {
    }

    public JsonRpcException(string message)
        : base(message)
    {
    }

    public JsonRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JsonRpcException(int code, string message)
        : base(message)
    {
        Code = code;
    }

    public int Code { get; } = ErrorCodes.InternalError;
}
