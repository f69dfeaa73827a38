using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudWatch;

/// <summary>CloudWatch's errors, by their Query codes (which its CBOR answers carry too).</summary>
internal static class CloudWatchErrors
{
    public static AwsServiceException Validation(string message) => AwsServiceException.Query(400, "ValidationError", message);

    public static AwsServiceException MissingParameter(string member) =>
        AwsServiceException.Query(400, "MissingParameter", $"The parameter {member} is required.");

    public static AwsServiceException InvalidParameterValue(string message) => AwsServiceException.Query(400, "InvalidParameterValue", message);

    public static AwsServiceException InvalidParameterCombination(string message) => AwsServiceException.Query(400, "InvalidParameterCombination", message);

    /// <summary>An alarm or dashboard that does not exist (CloudWatch's <c>ResourceNotFound</c> and <c>DashboardNotFoundError</c> share the code).</summary>
    public static AwsServiceException NotFound(string message) => AwsServiceException.Query(404, "ResourceNotFound", message);

    /// <summary>The tagging operations' own not-found error.</summary>
    public static AwsServiceException ResourceNotFoundException(string message) => AwsServiceException.Query(404, "ResourceNotFoundException", message);

    public static AwsServiceException InvalidNextToken() => AwsServiceException.Query(400, "InvalidNextToken", "The NextToken value is invalid.");

    public static AwsServiceException InvalidFormat(string message) => AwsServiceException.Query(400, "InvalidFormat", message);

    /// <summary>PutDashboard's refusal, with what is wrong in the body.</summary>
    public static AwsServiceException InvalidDashboard(string dataPath, string message) =>
        AwsServiceException.Query(400, "InvalidParameterInput", $"The input for the dashboard is invalid: {dataPath}: {message}");
}
