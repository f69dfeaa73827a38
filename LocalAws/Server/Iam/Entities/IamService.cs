using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Iam.Entities;

/// <summary>
/// IAM's operations on roles, users and managed policies, with IAM's validation, errors and <c>iam:</c> actions on
/// the entity's ARN. Names are unique regardless of case, and never those of configured principals.
/// </summary>
internal sealed partial class IamService(IamStore store, IamDirectory directory, LocalAwsSettings settings, TimeProvider clock)
{
    /// <summary>IAM allows at most five versions of a managed policy.</summary>
    public const int MaxPolicyVersions = 5;

    public IamStore Store => store;

    public IamRole CreateRole(AccessCheck access, string name, string? path, string trustPolicy, string? description, int? maxSessionDuration, IReadOnlyDictionary<string, string> tags)
    {
        path = ValidPath(path);
        var arn = EntityArn("role", path, ValidName(name, "roleName", 64));
        access.DemandOperation(arn);
        var trust = ValidPolicy(trustPolicy);
        if (trust.Statements.Any(s => s.Principals is null))
        {
            throw MalformedPolicy("Missing required field Principal");
        }

        var duration = maxSessionDuration ?? 3600;
        if (duration is < 3600 or > 43200)
        {
            throw Validation($"1 validation error detected: Value '{duration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
        }

        Unclaimed(arn, "Role", name);
        return store.ChangeRole(name, current =>
        {
            if (current is not null)
            {
                throw AlreadyExists("Role", current.Name);
            }

            var role = new IamRole(name, path, arn, new IamPrincipal(name, arn, null, null, [], null, duration).UniqueId, trustPolicy,
                new Dictionary<string, string>(), [], duration, description, tags, clock.GetUtcNow());
            return (role, role);
        });
    }

    public void DeleteRole(AccessCheck access, string name)
    {
        Role(access, name);
        store.ChangeRole(name, current => current is { InlinePolicies.Count: 0, AttachedPolicies.Count: 0 }
            ? ((IamRole?)null, 0)
            : throw DeleteConflict(current?.InlinePolicies.Count > 0 ? "Cannot delete entity, must delete policies first." : "Cannot delete entity, must detach all policies first."));
    }

    /// <summary>The role <paramref name="name"/> names, the <c>iam:</c> action demanded on it.</summary>
    public IamRole Role(AccessCheck access, string name)
    {
        var role = store.Role(name);
        access.DemandOperation(role?.Arn ?? EntityArn("role", "/", name));
        return role ?? throw NoSuchEntity($"The role with name {name} cannot be found.");
    }

    public IReadOnlyList<IamRole> ListRoles(AccessCheck access, string? pathPrefix)
    {
        access.DemandOperation("*");
        return [.. store.Roles().Where(r => pathPrefix is null || r.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    public void UpdateRole(AccessCheck access, string name, string? description, int? maxSessionDuration)
    {
        Role(access, name);
        if (maxSessionDuration is < 3600 or > 43200)
        {
            throw Validation($"1 validation error detected: Value '{maxSessionDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
        }

        ChangeRole(name, r => r with { Description = description ?? r.Description, MaxSessionDuration = maxSessionDuration ?? r.MaxSessionDuration });
    }

    public void UpdateAssumeRolePolicy(AccessCheck access, string name, string document)
    {
        Role(access, name);
        if (ValidPolicy(document).Statements.Any(s => s.Principals is null))
        {
            throw MalformedPolicy("Missing required field Principal");
        }

        ChangeRole(name, r => r with { TrustPolicy = document });
    }

    public void PutRolePolicy(AccessCheck access, string roleName, string policyName, string document)
    {
        Role(access, roleName);
        ValidName(policyName, "policyName", 128);
        ValidPolicy(document);
        ChangeRole(roleName, r => r with { InlinePolicies = With(r.InlinePolicies, policyName, document) });
    }

    public void DeleteRolePolicy(AccessCheck access, string roleName, string policyName)
    {
        var role = Role(access, roleName);
        if (!role.InlinePolicies.ContainsKey(policyName))
        {
            throw NoSuchEntity($"The role policy with name {policyName} cannot be found.");
        }

        ChangeRole(roleName, r => r with { InlinePolicies = Without(r.InlinePolicies, policyName) });
    }

    public string GetRolePolicy(AccessCheck access, string roleName, string policyName) =>
        Role(access, roleName).InlinePolicies.GetValueOrDefault(policyName) ?? throw NoSuchEntity($"The role policy with name {policyName} cannot be found.");

    public void AttachRolePolicy(AccessCheck access, string roleName, string policyArn)
    {
        Role(access, roleName);
        Attachable(policyArn);
        ChangeRole(roleName, r => r with { AttachedPolicies = [.. r.AttachedPolicies.Where(a => a != policyArn), policyArn] });
    }

    public void DetachRolePolicy(AccessCheck access, string roleName, string policyArn)
    {
        if (!Role(access, roleName).AttachedPolicies.Contains(policyArn))
        {
            throw NoSuchEntity($"Policy {policyArn} was not found.");
        }

        ChangeRole(roleName, r => r with { AttachedPolicies = [.. r.AttachedPolicies.Where(a => a != policyArn)] });
    }

    public string EntityArn(string kind, string path, string name) => $"arn:aws:iam::{settings.AccountId}:{kind}{path}{name}";

    private void ChangeRole(string name, Func<IamRole, IamRole> change) =>
        store.ChangeRole(name, current => (change(current ?? throw NoSuchEntity($"The role with name {name} cannot be found.")), 0));

    /// <summary>Refuses a name a configured principal already has.</summary>
    private void Unclaimed(string arn, string kind, string name)
    {
        if (directory.FindPrincipal(arn) is not null && store.FindPrincipal(arn) is null)
        {
            throw AlreadyExists(kind, name);
        }
    }

    /// <summary>A managed policy that exists and may be attached, or IAM's error.</summary>
    private void Attachable(string policyArn)
    {
        if (store.Policy(policyArn) is null)
        {
            throw NoSuchEntity($"Policy {policyArn} does not exist or is not attachable.");
        }
    }

    private static PolicyDocument ValidPolicy(string document)
    {
        try
        {
            return PolicyDocument.Parse(document);
        }
        catch (JsonException)
        {
            throw MalformedPolicy("Syntax errors in policy.");
        }
        catch (PolicyFormatException ex)
        {
            throw MalformedPolicy(ex.Message);
        }
    }

    private static string ValidName(string name, string member, int maxLength) =>
        name.Length <= maxLength && NamePattern().IsMatch(name)
            ? name
            : throw Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");

    private static string ValidPath(string? path) =>
        path is null ? "/" : path.Length <= 512 && PathPattern().IsMatch(path)
            ? path
            : throw Validation($"1 validation error detected: Value '{path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> map, string key, string value) =>
        new Dictionary<string, string>(map, StringComparer.Ordinal) { [key] = value };

    private static Dictionary<string, string> Without(IReadOnlyDictionary<string, string> map, string key) =>
        map.Where(p => p.Key != key).ToDictionary(StringComparer.Ordinal);

    private static AwsServiceException NoSuchEntity(string message) => AwsServiceException.Query(404, "NoSuchEntity", message);

    private static AwsServiceException AlreadyExists(string kind, string name) => AwsServiceException.Query(409, "EntityAlreadyExists", $"{kind} with name {name} already exists.");

    private static AwsServiceException DeleteConflict(string message) => AwsServiceException.Query(409, "DeleteConflict", message);

    private static AwsServiceException MalformedPolicy(string message) => AwsServiceException.Query(400, "MalformedPolicyDocument", message);

    private static AwsServiceException Validation(string message) => AwsServiceException.Query(400, "ValidationError", message);

    [GeneratedRegex("^[\\w+=,.@-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^(/|/[\\u0021-\\u007E]+/)$")]
    private static partial Regex PathPattern();
}
