namespace Aspire.Hosting.AWS.Lambda;

/// <summary>Options of a Lambda function resource.</summary>
public class LambdaFunctionOptions
{
    /// <summary>The format of the function's log lines (<c>AWS_LAMBDA_LOG_FORMAT</c>); Text by default.</summary>
    public Amazon.Lambda.LogFormat LogFormat { get; set; } = Amazon.Lambda.LogFormat.Text;

    /// <summary>The lowest application log level kept (<c>AWS_LAMBDA_LOG_LEVEL</c>); INFO by default.</summary>
    public Amazon.Lambda.ApplicationLogLevel ApplicationLogLevel { get; set; } = Amazon.Lambda.ApplicationLogLevel.INFO;
}
