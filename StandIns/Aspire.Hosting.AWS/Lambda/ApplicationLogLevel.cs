using Amazon.Runtime;

namespace Amazon.Lambda;

/// <summary>The lowest level of a Lambda function's application logs that is kept, as AWSSDK.Lambda's constant.</summary>
public class ApplicationLogLevel(string value) : ConstantClass(value)
{
    public static readonly ApplicationLogLevel DEBUG = new("DEBUG");

    public static readonly ApplicationLogLevel ERROR = new("ERROR");

    public static readonly ApplicationLogLevel FATAL = new("FATAL");

    public static readonly ApplicationLogLevel INFO = new("INFO");

    public static readonly ApplicationLogLevel TRACE = new("TRACE");

    public static readonly ApplicationLogLevel WARN = new("WARN");

    /// <summary>The constant with this value.</summary>
    public static ApplicationLogLevel FindValue(string value) => FindValue<ApplicationLogLevel>(value);
}
