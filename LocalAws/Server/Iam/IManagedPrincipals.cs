namespace Tap.LocalAws.Iam;

/// <summary>The users and roles made through IAM's API at run time (by stacks), beside the configured ones.</summary>
public interface IManagedPrincipals
{
    /// <summary>The role or user an ARN names, with its policies as they are now.</summary>
    IamPrincipal? FindPrincipal(string arn);

    /// <summary>The user an active access key belongs to, and the key's secret.</summary>
    (IamPrincipal User, string SecretAccessKey)? FindAccessKey(string accessKeyId);

    /// <summary>The default version of the managed policy an ARN names, if it exists.</summary>
    PolicyDocument? FindPolicy(string policyArn);
}
