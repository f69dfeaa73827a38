using System.Globalization;
using System.Text.RegularExpressions;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Sts;

/// <summary>AWS STS over the Query protocol: GetCallerIdentity and AssumeRole.</summary>
public sealed partial class StsApi(IamDirectory iam) : IAwsServiceApi
{
    private const int MinDurationSeconds = 900;
    private const int DefaultDurationSeconds = 3600;
    private const int RoleChainingMaxSeconds = 3600;

    private static readonly AwsOperation GetCallerIdentity = new("GetCallerIdentity", null, "*");
    private static readonly AwsOperation AssumeRole = new("AssumeRole", "sts:AssumeRole", "arn:aws:iam::{account}:role/{RoleName}");

    /// <summary>
    /// AssumeRole inputs LocalAws does not emulate. Each narrows or marks a session (session policies, tags, source
    /// identity, MFA), so ignoring one would hand out a wider session than AWS would: such calls are refused.
    /// </summary>
    private static readonly string[] UnsupportedParameters =
        ["Policy", "PolicyArns", "Tags", "TransitiveTagKeys", "SourceIdentity", "SerialNumber", "TokenCode", "ProvidedContexts"];

    public AwsServiceMetadata Metadata => AwsServiceMetadata.Sts;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [GetCallerIdentity, AssumeRole];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Query);

    /// <summary>
    /// A Query-shaped request on <c>/</c> that no other Query service claims by its signature (CloudFormation is
    /// registered before STS): STS is where an unsigned or unknown Query call gets its answer.
    /// </summary>
    public bool Accepts(HttpRequest request) => QueryRouting.IsQueryShaped(request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => QueryRouting.Route(request, body, Operations);

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (context, action, parameters, access, requestId) = (request.Context, request.Operation.Name, request.Parameters, request.Access, request.RequestId);
        if (!parameters.ContainsKey("Action"))
        {
            throw AwsServiceException.Query(400, "MissingAction", "Could not find operation: the request has no Action parameter.");
        }

        return action switch
        {
            // Needs no permission: AWS answers it even when every action is denied.
            "GetCallerIdentity" => QueryProtocol.WriteAsync(context.Response, Metadata, action, requestId, xml =>
            {
                xml.WriteElementString("Arn", access.Caller.Arn);
                xml.WriteElementString("UserId", access.Caller.UserId);
                xml.WriteElementString("Account", access.Caller.AccountId);
            }),
            "AssumeRole" => AssumeRoleAsync(context, parameters, access, requestId),
            _ => throw AwsServiceException.Query(400, "InvalidAction", $"Could not find operation {action} for version 2011-06-15"),
        };
    }

    private Task AssumeRoleAsync(HttpContext context, IReadOnlyDictionary<string, string> parameters, AccessCheck access, string requestId)
    {
        var roleArn = Required(parameters, "RoleArn");
        var sessionName = Required(parameters, "RoleSessionName");
        if (!SessionNamePattern().IsMatch(sessionName))
        {
            throw Validation($"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*");
        }

        if (parameters.Keys.FirstOrDefault(key => UnsupportedParameters.Any(p => key == p || key.StartsWith(p + ".", StringComparison.Ordinal))) is { } unsupported)
        {
            throw Validation($"LocalAws does not emulate the AssumeRole parameter {unsupported}; without it the session would be wider than AWS would issue, so the call is refused.");
        }

        var requestKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["sts:RoleSessionName"] = sessionName };
        if (parameters.TryGetValue("ExternalId", out var externalId))
        {
            requestKeys["sts:ExternalId"] = ExternalIdPattern().IsMatch(externalId)
                ? externalId
                : throw Validation($"Value at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224 and satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
        }

        var duration = DefaultDurationSeconds;
        if (parameters.TryGetValue("DurationSeconds", out var durationText)
            && (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out duration) || duration < MinDurationSeconds || duration > AwsLimits.MaxRoleSessionDurationSeconds))
        {
            throw Validation($"Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between {MinDurationSeconds} and {AwsLimits.MaxRoleSessionDurationSeconds}");
        }

        var role = iam.FindRole(roleArn);
        access.DemandAssumeRole(role, roleArn, requestKeys);
        var maximum = access.Caller.IsAssumedRole ? RoleChainingMaxSeconds : role.MaxSessionDurationSeconds;
        if (duration > maximum)
        {
            throw Validation($"The requested DurationSeconds exceeds the {(access.Caller.IsAssumedRole ? "1 hour session limit for roles assumed by role chaining" : "MaxSessionDuration set for this role")}.");
        }

        var session = iam.IssueSession(role, sessionName, TimeSpan.FromSeconds(duration));
        return QueryProtocol.WriteAsync(context.Response, Metadata, "AssumeRole", requestId, xml =>
        {
            xml.WriteStartElement("AssumedRoleUser");
            xml.WriteElementString("Arn", session.Identity.Arn);
            xml.WriteElementString("AssumedRoleId", session.Identity.UserId);
            xml.WriteEndElement();
            xml.WriteStartElement("Credentials");
            xml.WriteElementString("AccessKeyId", session.AccessKeyId);
            xml.WriteElementString("SecretAccessKey", session.SecretAccessKey);
            xml.WriteElementString("SessionToken", session.SessionToken);
            xml.WriteElementString("Expiration", AwsTimestamp.ToIso8601(session.Expiration));
            xml.WriteEndElement();
        });
    }

    private static string Required(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw AwsServiceException.Query(400, "MissingParameter", $"The request must contain the parameter {name}.");

    private static AwsServiceException Validation(string message) => AwsServiceException.Query(400, "ValidationError", message);

    // IAM's \w is ASCII: .NET's would also admit letters of every script.
    [GeneratedRegex("^[A-Za-z0-9_+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_+=,.@:/-]{2,1224}$")]
    private static partial Regex ExternalIdPattern();
}
