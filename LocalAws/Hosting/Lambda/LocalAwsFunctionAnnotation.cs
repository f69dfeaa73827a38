using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// What LocalAws adds to a Lambda function: the function it serves, its execution role, the role's grants and the
/// credentials token of its processes.
/// </summary>
internal sealed class LocalAwsFunctionAnnotation(LocalAwsResource localAws, string functionName, string roleName) : IResourceAnnotation
{
    public LocalAwsResource LocalAws { get; } = localAws;

    /// <summary>The function in LocalAws the processes serve: the resource's name, or the deployed function they host.</summary>
    public string FunctionName { get; set; } = functionName;

    /// <summary>
    /// Whether the function is one a stack deployed, which LocalAws hosts in these processes: its role, memory,
    /// timeout and environment are the deployed function's, not the resource's.
    /// </summary>
    public bool IsDeployed { get; set; }

    public string RoleName { get; set; } = roleName;

    /// <summary>The role's identity policies (grants from references).</summary>
    public List<IamPolicy> RolePolicies { get; } = [];

    /// <summary>Authorizes the function's processes at LocalAws's container credentials endpoint; new every run.</summary>
    public string CredentialsToken { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);
}
