namespace Tap.Aws.Protocol;

/// <summary>Fixed values of the AWS JSON 1.1 protocol (Secrets Manager and most newer services).</summary>
public static class AwsJsonProtocol
{
    /// <summary>The request and response content type.</summary>
    public const string ContentType = "application/x-amz-json-1.1";
}
