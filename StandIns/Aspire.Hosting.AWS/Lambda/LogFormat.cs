using Amazon.Runtime;

namespace Amazon.Lambda;

/// <summary>The format of a Lambda function's log lines, as AWSSDK.Lambda's constant.</summary>
public class LogFormat(string value) : ConstantClass(value)
{
    /// <summary>Structured JSON records.</summary>
    public static readonly LogFormat JSON = new("JSON");

    /// <summary>Plain text lines (Lambda's default).</summary>
    public static readonly LogFormat Text = new("Text");

    /// <summary>The constant with this value.</summary>
    public static LogFormat FindValue(string value) => FindValue<LogFormat>(value);
}
