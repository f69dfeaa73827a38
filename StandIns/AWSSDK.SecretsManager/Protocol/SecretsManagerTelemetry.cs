using System.Diagnostics;
using Tap.Aws.Protocol;

namespace Tap.Aws.SecretsManager.Protocol;

/// <summary>Client spans shaped like the AWS SDK instrumentation's: <c>Secrets Manager.{Operation}</c>.</summary>
internal static class SecretsManagerTelemetry
{
    /// <summary>The AWS SDK instrumentation's source name, so existing OpenTelemetry setups pick these spans up.</summary>
    public const string ActivitySourceName = "Amazon.AWS.AWSClientInstrumentation";
    public static readonly string ServiceName = AwsServiceMetadata.SecretsManager.DisplayName;

    public static readonly ActivitySource Source = new(ActivitySourceName);

    public static Activity? StartOperation(string operation)
    {
        var activity = Source.StartActivity($"{ServiceName}.{operation}", ActivityKind.Client);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", ServiceName);
        activity?.SetTag("rpc.method", operation);
        return activity;
    }
}
