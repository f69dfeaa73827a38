namespace Tap.Aws.Lambda.Hosting;

/// <summary>
/// Claims of a caller that API Gateway authorized with <c>AWS_IAM</c> (from <c>requestContext.authorizer.iam</c>).
/// The official package maps no IAM claims; this adapter does, so <c>HttpContext.User</c> names the caller.
/// </summary>
public static class LambdaClaimTypes
{
    public const string AuthenticationType = "AWS_IAM";
    public const string AccessKey = "aws:accessKey";
    public const string AccountId = "aws:accountId";
    public const string CallerId = "aws:callerId";
    public const string UserArn = "aws:userArn";
    public const string UserId = "aws:userId";
    public const string PrincipalOrgId = "aws:principalOrgId";
}
