using System.Security.Cryptography;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Iam.Entities;

/// <summary>Users, their inline and attached policies, and their access keys (at most two, as IAM allows).</summary>
internal sealed partial class IamService
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IamUser CreateUser(AccessCheck access, string name, string? path, IReadOnlyDictionary<string, string> tags)
    {
        path = ValidPath(path);
        var arn = EntityArn("user", path, ValidName(name, "userName", 64));
        access.DemandOperation(arn);
        Unclaimed(arn, "User", name);
        return store.ChangeUser(name, current =>
        {
            if (current is not null)
            {
                throw AlreadyExists("User", current.Name);
            }

            var user = new IamUser(name, path, arn, new IamPrincipal(name, arn, null, null, [], null, 0).UniqueId,
                new Dictionary<string, string>(), [], [], tags, clock.GetUtcNow());
            return (user, user);
        });
    }

    public void DeleteUser(AccessCheck access, string name)
    {
        User(access, name);
        store.ChangeUser(name, current => current switch
        {
            { AccessKeys.Count: > 0 } => throw DeleteConflict("Cannot delete entity, must delete access keys first."),
            { InlinePolicies.Count: > 0 } => throw DeleteConflict("Cannot delete entity, must delete policies first."),
            { AttachedPolicies.Count: > 0 } => throw DeleteConflict("Cannot delete entity, must detach all policies first."),
            _ => ((IamUser?)null, 0),
        });
    }

    /// <summary>The user <paramref name="name"/> names, the <c>iam:</c> action demanded on it.</summary>
    public IamUser User(AccessCheck access, string name)
    {
        var user = store.User(name);
        access.DemandOperation(user?.Arn ?? EntityArn("user", "/", name));
        return user ?? throw NoSuchEntity($"The user with name {name} cannot be found.");
    }

    public void PutUserPolicy(AccessCheck access, string userName, string policyName, string document)
    {
        User(access, userName);
        ValidName(policyName, "policyName", 128);
        ValidPolicy(document);
        ChangeUser(userName, u => u with { InlinePolicies = With(u.InlinePolicies, policyName, document) });
    }

    public void DeleteUserPolicy(AccessCheck access, string userName, string policyName)
    {
        if (!User(access, userName).InlinePolicies.ContainsKey(policyName))
        {
            throw NoSuchEntity($"The user policy with name {policyName} cannot be found.");
        }

        ChangeUser(userName, u => u with { InlinePolicies = Without(u.InlinePolicies, policyName) });
    }

    public void AttachUserPolicy(AccessCheck access, string userName, string policyArn)
    {
        User(access, userName);
        Attachable(policyArn);
        ChangeUser(userName, u => u with { AttachedPolicies = [.. u.AttachedPolicies.Where(a => a != policyArn), policyArn] });
    }

    public void DetachUserPolicy(AccessCheck access, string userName, string policyArn)
    {
        if (!User(access, userName).AttachedPolicies.Contains(policyArn))
        {
            throw NoSuchEntity($"Policy {policyArn} was not found.");
        }

        ChangeUser(userName, u => u with { AttachedPolicies = [.. u.AttachedPolicies.Where(a => a != policyArn)] });
    }

    /// <summary>A new access key; its secret is in this answer only.</summary>
    public IamAccessKey CreateAccessKey(AccessCheck access, string userName)
    {
        User(access, userName);
        var key = new IamAccessKey(
            "AKIA" + RandomNumberGenerator.GetString(KeyAlphabet, 16), RandomNumberGenerator.GetString(SecretAlphabet, 40), "Active", clock.GetUtcNow());
        ChangeUser(userName, u => u.AccessKeys.Count < 2
            ? u with { AccessKeys = [.. u.AccessKeys, key] }
            : throw AwsServiceException.Query(409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2"));
        return key;
    }

    public void UpdateAccessKey(AccessCheck access, string userName, string accessKeyId, string status)
    {
        Key(User(access, userName), accessKeyId);
        if (status is not ("Active" or "Inactive"))
        {
            throw Validation($"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
        }

        ChangeUser(userName, u => u with { AccessKeys = [.. u.AccessKeys.Select(k => k.AccessKeyId == accessKeyId ? k with { Status = status } : k)] });
    }

    public void DeleteAccessKey(AccessCheck access, string userName, string accessKeyId)
    {
        Key(User(access, userName), accessKeyId);
        ChangeUser(userName, u => u with { AccessKeys = [.. u.AccessKeys.Where(k => k.AccessKeyId != accessKeyId)] });
    }

    private static IamAccessKey Key(IamUser user, string accessKeyId) =>
        user.AccessKeys.FirstOrDefault(k => k.AccessKeyId == accessKeyId) ?? throw NoSuchEntity($"The Access Key with id {accessKeyId} cannot be found.");

    private void ChangeUser(string name, Func<IamUser, IamUser> change) =>
        store.ChangeUser(name, current => (change(current ?? throw NoSuchEntity($"The user with name {name} cannot be found.")), 0));
}
