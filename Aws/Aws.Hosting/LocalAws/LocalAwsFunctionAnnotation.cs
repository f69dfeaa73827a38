using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;

namespace Tap.Aws.Hosting;

/// <summary>What LocalAws needs to serve a Lambda function: its execution role, limits and log format.</summary>
internal sealed class LocalAwsFunctionAnnotation(LocalAwsResource localAws, string roleName, string logFormat) : IResourceAnnotation
{
    public LocalAwsResource LocalAws { get; } = localAws;

    public string RoleName { get; set; } = roleName;

    public string LogFormat { get; } = logFormat;

    public int? MemorySize { get; set; }

    public TimeSpan? Timeout { get; set; }

    /// <summary>The role's identity policies (grants from references).</summary>
    public List<IamPolicy> RolePolicies { get; } = [];

    /// <summary>Authorizes the function's processes at LocalAws's container credentials endpoint; new every run.</summary>
    public string CredentialsToken { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);
}
