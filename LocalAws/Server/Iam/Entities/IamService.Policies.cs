using System.Globalization;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Iam.Entities;

/// <summary>Customer managed policies and their versions; AWS managed ones can be read and attached, never changed.</summary>
internal sealed partial class IamService
{
    public ManagedPolicy CreatePolicy(AccessCheck access, string name, string? path, string document, string? description)
    {
        path = ValidPath(path);
        var arn = $"arn:aws:iam::{settings.AccountId}:policy{path}{ValidName(name, "policyName", 128)}";
        access.DemandOperation(arn);
        ValidPolicy(document);
        var now = clock.GetUtcNow();
        return store.ChangePolicy(arn, current =>
        {
            if (current is not null)
            {
                throw AwsServiceException.Query(409, "EntityAlreadyExists", $"A policy called {name} already exists. Duplicate names are not allowed.");
            }

            var policy = new ManagedPolicy(name, path, arn, "ANPA" + new IamPrincipal(name, arn, null, null, [], null, 0).UniqueId[4..], description,
                [new PolicyVersion("v1", document, now)], "v1", now, now);
            return (policy, policy);
        });
    }

    public void DeletePolicy(AccessCheck access, string arn)
    {
        Customer(Policy(access, arn));
        if (store.AttachmentCount(arn) > 0)
        {
            throw DeleteConflict("Cannot delete a policy attached to entities.");
        }

        store.ChangePolicy(arn, _ => ((ManagedPolicy?)null, 0));
    }

    /// <summary>The managed policy an ARN names (customer or AWS managed), the <c>iam:</c> action demanded on it.</summary>
    public ManagedPolicy Policy(AccessCheck access, string arn)
    {
        access.DemandOperation(arn);
        return store.Policy(arn) ?? throw NoSuchEntity($"Policy {arn} does not exist or is not attachable.");
    }

    public PolicyVersion PolicyVersion(AccessCheck access, string arn, string versionId) =>
        Policy(access, arn).Versions.FirstOrDefault(v => v.VersionId == versionId) ?? throw NoSuchEntity($"Policy {arn} version {versionId} does not exist or is not attachable.");

    /// <summary>A new version, the default when <paramref name="setAsDefault"/>; the sixth is refused, as in IAM.</summary>
    public PolicyVersion CreatePolicyVersion(AccessCheck access, string arn, string document, bool setAsDefault)
    {
        var policy = Customer(Policy(access, arn));
        ValidPolicy(document);
        if (policy.Versions.Count >= MaxPolicyVersions)
        {
            throw AwsServiceException.Query(409, "LimitExceeded", $"A managed policy can have up to {MaxPolicyVersions} versions. Before you create a new version, you must delete an existing version.");
        }

        var number = policy.Versions.Max(v => int.Parse(v.VersionId[1..], CultureInfo.InvariantCulture)) + 1;
        var version = new PolicyVersion($"v{number}", document, clock.GetUtcNow());
        store.ChangePolicy(arn, current => (current! with
        {
            Versions = [.. current.Versions, version],
            DefaultVersionId = setAsDefault ? version.VersionId : current.DefaultVersionId,
            UpdateDate = version.CreateDate,
        }, 0));
        return version;
    }

    public void DeletePolicyVersion(AccessCheck access, string arn, string versionId)
    {
        var policy = Customer(Policy(access, arn));
        if (policy.DefaultVersionId == versionId)
        {
            throw DeleteConflict("Cannot delete the default version of a policy.");
        }

        PolicyVersion(access, arn, versionId);
        store.ChangePolicy(arn, current => (current! with { Versions = [.. current.Versions.Where(v => v.VersionId != versionId)] }, 0));
    }

    private static ManagedPolicy Customer(ManagedPolicy policy) =>
        policy.Arn.StartsWith(AwsManagedPolicies.ArnPrefix, StringComparison.Ordinal)
            ? throw AwsServiceException.Query(400, "InvalidInput", $"Policy {policy.Arn} is an AWS managed policy, which cannot be changed.")
            : policy;
}
