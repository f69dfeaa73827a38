using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>
/// One resource type CloudFormation can create here (<c>AWS::S3::Bucket</c>, …): its schema, its attributes, and
/// the create, update and delete handlers, which make real LocalAws resources as the stack's principal.
/// </summary>
public interface IResourceProvider
{
    string ResourceType { get; }

    ResourceSchema Schema { get; }

    /// <summary>The attributes <c>Fn::GetAtt</c> may name.</summary>
    IReadOnlyCollection<string> Attributes { get; }

    Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken);

    /// <summary>Changes the resource in place (no create-only property changed).</summary>
    Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken);

    /// <summary>Deletes it; one already gone is not an error, as CloudFormation's handlers treat it.</summary>
    Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken);
}

/// <summary>A created resource: its physical id (<c>Ref</c>) and its attributes (<c>Fn::GetAtt</c>).</summary>
public sealed record ProvisionedResource(string PhysicalId, IReadOnlyDictionary<string, JsonNode?> Attributes)
{
    /// <summary>The properties it has now (an update's handler removes what the new ones no longer name).</summary>
    public JsonObject Properties { get; init; } = [];
}

/// <summary>What a handler is asked to do: the resource, its resolved and validated properties, the stack, and whose permissions it acts with.</summary>
/// <param name="Caller">The stack operation's principal: the caller, or the role its <c>RoleARN</c> names.</param>
public sealed record ResourceRequest(string LogicalId, JsonObject Properties, string StackName, string StackId, string Region, string AccountId, CallerIdentity? Caller)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>The principal the handler acts as (<see cref="Caller"/>, which a stack operation always has).</summary>
    public CallerIdentity Principal => Caller ?? throw new InvalidOperationException("A stack operation always runs as a principal.");

    /// <summary>
    /// A physical name as CloudFormation generates one for an unnamed resource: <c>{stack}-{logicalId}-{suffix}</c>
    /// (without the stack's name for the types that leave it out, such as secrets), shortened to
    /// <paramref name="maxLength"/>, lower case where the type demands it (S3 buckets).
    /// </summary>
    public string GeneratedName(int maxLength, bool lowerCase = false, bool withStackName = true)
    {
        var suffix = new string(RandomNumberGenerator.GetItems<char>(Alphabet, 12));
        var prefix = withStackName ? $"{StackName}-{LogicalId}" : LogicalId;
        var room = Math.Max(0, maxLength - suffix.Length - 1);
        var name = $"{(prefix.Length > room ? prefix[..room] : prefix)}-{suffix}";
        return lowerCase ? name.ToLowerInvariant() : name;
    }
}
