using System.Runtime.CompilerServices;
using System.Text.Json;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Lambda.Deployment;

/// <summary>
/// A function's resource-based policy, built from its AddPermission statements, in the JSON GetPolicy returns, and
/// judged for a service principal that invokes it (API Gateway): a statement for that service (or <c>*</c>) whose
/// action covers <c>lambda:InvokeFunction</c>, whose <c>AWS:SourceArn</c> matches as <c>ArnLike</c> and whose
/// <c>AWS:SourceAccount</c> equals the caller's.
/// </summary>
internal static class FunctionPolicy
{
    public const string InvokeAction = "lambda:InvokeFunction";

    // Each change to a function makes a new record, so a record's policy is parsed once and never goes stale.
    private static readonly ConditionalWeakTable<LambdaFunction, PolicyDocument> Parsed = new();

    /// <summary>The policy as IAM evaluates it beside a caller's own; <see langword="null"/> without statements.</summary>
    public static PolicyDocument? ResourcePolicy(LambdaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.Permissions.Count == 0 ? null : Parsed.GetValue(function, f => PolicyDocument.Parse(Document(f)));
    }

    public static bool AllowsService(LambdaFunction function, string servicePrincipal, string sourceArn, string sourceAccount)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.Permissions.Any(p =>
            (p.Principal == servicePrincipal || p.Principal == "*")
            && WildcardPattern.IsMatch(p.Action, InvokeAction, ignoreCase: true)
            && (p.SourceArn is null || WildcardPattern.IsMatch(p.SourceArn, sourceArn, ignoreCase: false))
            && (p.SourceAccount is null || p.SourceAccount == sourceAccount));
    }

    /// <summary>The policy document, as GetPolicy's <c>Policy</c> string holds it.</summary>
    public static string Document(LambdaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Version", "2012-10-17");
            writer.WriteString("Id", "default");
            writer.WriteStartArray("Statement");
            foreach (var permission in function.Permissions)
            {
                WriteStatement(writer, function, permission);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStatement(Utf8JsonWriter writer, LambdaFunction function, FunctionPolicyStatement permission)
    {
        writer.WriteStartObject();
        writer.WriteString("Sid", permission.StatementId);
        writer.WriteString("Effect", "Allow");
        writer.WriteStartObject("Principal");
        var principal = permission.Principal;
        if (principal.EndsWith(".amazonaws.com", StringComparison.Ordinal))
        {
            writer.WriteString("Service", principal);
        }
        else
        {
            writer.WriteString("AWS", principal.All(char.IsAsciiDigit) ? $"arn:aws:iam::{principal}:root" : principal);
        }

        writer.WriteEndObject();
        writer.WriteString("Action", permission.Action);
        writer.WriteString("Resource", function.Arn);
        var conditions = new List<(string Operator, string Key, string Value)>();
        if (permission.SourceArn is { } sourceArn)
        {
            conditions.Add(("ArnLike", "AWS:SourceArn", sourceArn));
        }

        if (permission.SourceAccount is { } sourceAccount)
        {
            conditions.Add(("StringEquals", "AWS:SourceAccount", sourceAccount));
        }

        if (permission.PrincipalOrgId is { } org)
        {
            conditions.Add(("StringEquals", "aws:PrincipalOrgID", org));
        }

        if (permission.FunctionUrlAuthType is { } authType)
        {
            conditions.Add(("StringEquals", "lambda:FunctionUrlAuthType", authType));
        }

        if (conditions.Count > 0)
        {
            writer.WriteStartObject("Condition");
            foreach (var group in conditions.GroupBy(c => c.Operator))
            {
                writer.WriteStartObject(group.Key);
                foreach (var (_, key, value) in group)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
