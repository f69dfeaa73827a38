using System.Globalization;
using System.Xml;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Iam.Entities;

/// <summary>
/// AWS Identity and Access Management over the Query protocol (<c>Version=2010-05-08</c>), signing name <c>iam</c>:
/// roles, users, access keys and managed policies, each operation demanding its <c>iam:</c> action. It shares
/// <c>POST /</c> with STS and takes the requests signed for it.
/// </summary>
internal sealed class IamApi(IamService iam) : IAwsServiceApi
{
    private const string ApiVersion = "2010-05-08";

    private static readonly Dictionary<string, AwsOperation> OperationsByName = new[]
    {
        "CreateRole", "DeleteRole", "GetRole", "ListRoles", "UpdateRole", "UpdateAssumeRolePolicy",
        "PutRolePolicy", "DeleteRolePolicy", "GetRolePolicy", "ListRolePolicies", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies",
        "CreateUser", "DeleteUser", "GetUser", "PutUserPolicy", "DeleteUserPolicy", "AttachUserPolicy", "DetachUserPolicy",
        "CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey",
        "CreatePolicy", "DeletePolicy", "GetPolicy", "GetPolicyVersion", "CreatePolicyVersion", "DeletePolicyVersion",
    }.ToDictionary(name => name, name => new AwsOperation(name, "iam:" + name, "arn:aws:iam::{account}:*"), StringComparer.Ordinal);

    public AwsServiceMetadata Metadata => AwsServiceMetadata.Iam;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [.. OperationsByName.Values];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Query);

    /// <summary>The access check of <paramref name="operation"/> by <paramref name="caller"/>, for another LocalAws service acting for a caller.</summary>
    public static AccessCheck ActingFor(string operation, CallerIdentity caller) =>
        new(caller, OperationsByName[operation], "us-east-1", secureTransport: true, AwsProtocol.Query);

    public bool Accepts(HttpRequest request) => QueryRouting.AcceptsSignedFor(Metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => QueryRouting.Route(request, body, Operations);

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (p, access, name) = (request.Parameters, request.Access, QueryRouting.ServedOperation(request, ApiVersion));

        string Required(string member) => p.TryGetValue(member, out var value) && value.Length > 0
            ? value
            : throw AwsServiceException.Query(400, "ValidationError", $"1 validation error detected: Value null at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must not be null");
        int? Number(string member) => p.TryGetValue(member, out var value) ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) : null;
        Dictionary<string, string> Tags() =>
            QueryMembers.Structures(p, "Tags").ToDictionary(t => t.GetValueOrDefault("Key") ?? string.Empty, t => t.GetValueOrDefault("Value") ?? string.Empty, StringComparer.Ordinal);
        Action<XmlWriter> result = name switch
        {
            "CreateRole" => Role(iam.CreateRole(access, Required("RoleName"), p.GetValueOrDefault("Path"), Required("AssumeRolePolicyDocument"), p.GetValueOrDefault("Description"), Number("MaxSessionDuration"), Tags())),
            "GetRole" => Role(iam.Role(access, Required("RoleName"))),
            "DeleteRole" => QueryProtocol.Done(() => iam.DeleteRole(access, Required("RoleName"))),
            "ListRoles" => Roles(iam.ListRoles(access, p.GetValueOrDefault("PathPrefix"))),
            "UpdateRole" => QueryProtocol.Done(() => iam.UpdateRole(access, Required("RoleName"), p.GetValueOrDefault("Description"), Number("MaxSessionDuration"))),
            "UpdateAssumeRolePolicy" => QueryProtocol.Done(() => iam.UpdateAssumeRolePolicy(access, Required("RoleName"), Required("PolicyDocument"))),
            "PutRolePolicy" => QueryProtocol.Done(() => iam.PutRolePolicy(access, Required("RoleName"), Required("PolicyName"), Required("PolicyDocument"))),
            "DeleteRolePolicy" => QueryProtocol.Done(() => iam.DeleteRolePolicy(access, Required("RoleName"), Required("PolicyName"))),
            "GetRolePolicy" => RolePolicy(Required("RoleName"), Required("PolicyName"), iam.GetRolePolicy(access, Required("RoleName"), Required("PolicyName"))),
            "ListRolePolicies" => Names(iam.Role(access, Required("RoleName")).InlinePolicies.Keys),
            "AttachRolePolicy" => QueryProtocol.Done(() => iam.AttachRolePolicy(access, Required("RoleName"), Required("PolicyArn"))),
            "DetachRolePolicy" => QueryProtocol.Done(() => iam.DetachRolePolicy(access, Required("RoleName"), Required("PolicyArn"))),
            "ListAttachedRolePolicies" => Attached(iam.Role(access, Required("RoleName")).AttachedPolicies),
            "CreateUser" => User(iam.CreateUser(access, Required("UserName"), p.GetValueOrDefault("Path"), Tags())),
            "GetUser" => GetUser(access, p.GetValueOrDefault("UserName")),
            "DeleteUser" => QueryProtocol.Done(() => iam.DeleteUser(access, Required("UserName"))),
            "PutUserPolicy" => QueryProtocol.Done(() => iam.PutUserPolicy(access, Required("UserName"), Required("PolicyName"), Required("PolicyDocument"))),
            "DeleteUserPolicy" => QueryProtocol.Done(() => iam.DeleteUserPolicy(access, Required("UserName"), Required("PolicyName"))),
            "AttachUserPolicy" => QueryProtocol.Done(() => iam.AttachUserPolicy(access, Required("UserName"), Required("PolicyArn"))),
            "DetachUserPolicy" => QueryProtocol.Done(() => iam.DetachUserPolicy(access, Required("UserName"), Required("PolicyArn"))),
            "CreateAccessKey" => AccessKey(Required("UserName"), iam.CreateAccessKey(access, Required("UserName"))),
            "UpdateAccessKey" => QueryProtocol.Done(() => iam.UpdateAccessKey(access, Required("UserName"), Required("AccessKeyId"), Required("Status"))),
            "DeleteAccessKey" => QueryProtocol.Done(() => iam.DeleteAccessKey(access, Required("UserName"), Required("AccessKeyId"))),
            "CreatePolicy" => Policy(iam.CreatePolicy(access, Required("PolicyName"), p.GetValueOrDefault("Path"), Required("PolicyDocument"), p.GetValueOrDefault("Description"))),
            "GetPolicy" => Policy(iam.Policy(access, Required("PolicyArn"))),
            "DeletePolicy" => QueryProtocol.Done(() => iam.DeletePolicy(access, Required("PolicyArn"))),
            "GetPolicyVersion" => Version(Required("PolicyArn"), iam.PolicyVersion(access, Required("PolicyArn"), Required("VersionId"))),
            "CreatePolicyVersion" => Version(Required("PolicyArn"), iam.CreatePolicyVersion(access, Required("PolicyArn"), Required("PolicyDocument"), p.GetValueOrDefault("SetAsDefault") == "true")),
            "DeletePolicyVersion" => QueryProtocol.Done(() => iam.DeletePolicyVersion(access, Required("PolicyArn"), Required("VersionId"))),
            _ => throw AwsServiceException.Query(400, "InvalidAction", $"Could not find operation {name} for version {ApiVersion}"),
        };
        return QueryProtocol.WriteAsync(request.Context.Response, Metadata, name, request.RequestId, result);
    }

    private static Action<XmlWriter> Role(IamRole role) => xml => IamXml.WriteRole(xml, role);

    private static Action<XmlWriter> Roles(IReadOnlyList<IamRole> roles) => xml => IamXml.WriteList(xml, "Roles", roles, r => IamXml.WriteRole(xml, r, "member"));

    private static Action<XmlWriter> RolePolicy(string roleName, string policyName, string document) => xml =>
    {
        xml.WriteElementString("RoleName", roleName);
        xml.WriteElementString("PolicyName", policyName);
        xml.WriteElementString("PolicyDocument", Uri.EscapeDataString(document));
    };

    private static Action<XmlWriter> Names(IEnumerable<string> names) => xml => IamXml.WriteList(xml, "PolicyNames", names.Order(StringComparer.Ordinal), n => xml.WriteElementString("member", n));

    private Action<XmlWriter> Attached(IReadOnlyList<string> arns) => xml => IamXml.WriteList(xml, "AttachedPolicies", arns, arn =>
    {
        xml.WriteStartElement("member");
        xml.WriteElementString("PolicyName", iam.Store.Policy(arn)?.Name ?? arn[(arn.LastIndexOf('/') + 1)..]);
        xml.WriteElementString("PolicyArn", arn);
        xml.WriteEndElement();
    });

    private static Action<XmlWriter> User(IamUser user) => xml => IamXml.WriteUser(xml, user.Path, user.Name, user.UserId, user.Arn, user.CreateDate, user.Tags);

    /// <summary>A user made through IAM, or a configured one (the caller's own, without a name).</summary>
    private Action<XmlWriter> GetUser(AccessCheck access, string? name)
    {
        if (name is not null && iam.Store.User(name) is not null)
        {
            return User(iam.User(access, name));
        }

        var arn = name is null ? access.Caller.Arn : iam.EntityArn("user", "/", name);
        access.DemandOperation(arn);
        var configured = access.Caller.Principal.Arn == arn ? access.Caller.Principal : null;
        return configured is { IsRole: false }
            ? xml => IamXml.WriteUser(xml, "/", configured.Name, configured.UniqueId, configured.Arn, DateTimeOffset.UnixEpoch, new Dictionary<string, string>())
            : throw AwsServiceException.Query(404, "NoSuchEntity", $"The user with name {name ?? arn} cannot be found.");
    }

    private static Action<XmlWriter> AccessKey(string userName, IamAccessKey key) => xml => IamXml.WriteAccessKey(xml, userName, key);

    private Action<XmlWriter> Policy(ManagedPolicy policy) => xml => IamXml.WritePolicy(xml, policy, iam.Store.AttachmentCount(policy.Arn));

    private Action<XmlWriter> Version(string arn, PolicyVersion version) =>
        xml => IamXml.WritePolicyVersion(xml, version, iam.Store.Policy(arn)?.DefaultVersionId == version.VersionId);
}
