using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting;

/// <summary>An IAM user's access key as two secret parameters.</summary>
/// <param name="AccessKeyId">The access key id, e.g. <c>AKIAIOSFODNN7EXAMPLE</c>.</param>
/// <param name="SecretAccessKey">The secret access key.</param>
public sealed record AwsAccessKeyParameters(IResourceBuilder<ParameterResource> AccessKeyId, IResourceBuilder<ParameterResource> SecretAccessKey)
{
    /// <summary>
    /// Adds <c>{name}-access-key-id</c> and <c>{name}-secret-access-key</c>: secret parameters taken from
    /// configuration (<c>Parameters:{name}-access-key-id</c>, or <c>Parameters__…</c> in the environment) or else
    /// generated in AWS's shapes and kept in the AppHost's user secrets.
    /// </summary>
    public static AwsAccessKeyParameters Add(IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(
            builder.AddParameter($"{name}-access-key-id", new AwsAccessKeyIdDefault(), secret: true, persist: true),
            builder.AddParameter($"{name}-secret-access-key", new AwsSecretAccessKeyDefault(), secret: true, persist: true));
    }
}
