using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudFormation;

/// <summary>CloudFormation's errors, as its Query API answers them.</summary>
internal static class CloudFormationErrors
{
    /// <summary>CloudFormation's answer to every request it refuses for its content: <c>400 ValidationError</c>.</summary>
    public static AwsServiceException Validation(string message) => AwsServiceException.Query(400, "ValidationError", message);
}
