namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>A Runtime API misuse, answered as Lambda answers it: <c>{"errorMessage", "errorType"}</c> with its status.</summary>
internal sealed class RuntimeApiException(int statusCode, string errorType, string message) : Exception(message)
{
    public int StatusCode => statusCode;

    public string ErrorType => errorType;
}
