namespace Tap.Aws.Protocol;

/// <summary>HTTP header names of AWS's wire protocols (SigV4's own are in <c>SigV4Constants.Headers</c>).</summary>
public static class AwsHeaders
{
    /// <summary>The request id every AWS response carries.</summary>
    public const string RequestId = "x-amzn-RequestId";

    /// <summary>The operation selector of AWS JSON services, e.g. <c>secretsmanager.GetSecretValue</c>.</summary>
    public const string Target = "X-Amz-Target";

    /// <summary>The error code of REST services (and API Gateway), alongside the JSON error body.</summary>
    public const string ErrorType = "x-amzn-ErrorType";
}
