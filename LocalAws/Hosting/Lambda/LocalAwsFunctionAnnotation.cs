using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting;

/// <summary>What LocalAws adds to a Lambda function: its execution role, the role's grants and its credentials token.</summary>
internal sealed class LocalAwsFunctionAnnotation(LocalAwsResource localAws, string roleName) : IResourceAnnotation
{
    public LocalAwsResource LocalAws { get; } = localAws;

    public string RoleName { get; set; } = roleName;

    /// <summary>The role's identity policies (grants from references).</summary>
    public List<IamPolicy> RolePolicies { get; } = [];

    /// <summary>Authorizes the function's processes at LocalAws's container credentials endpoint; new every run.</summary>
    public string CredentialsToken { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);
}
