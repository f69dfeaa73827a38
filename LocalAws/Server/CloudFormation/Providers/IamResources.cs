using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Iam.Entities;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>What the IAM resource types share: policy documents as IAM takes them, name lists, and IAM calls as the stack's principal.</summary>
internal static class IamResources
{
    /// <summary>A policy document property (an object, or JSON text) as the text IAM stores.</summary>
    public static string Document(JsonNode? node) =>
        node is null ? throw TemplateException.Error("A policy document is required.")
            : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    /// <summary>A list of names or ARNs; empty when absent.</summary>
    public static List<string> Names(JsonNode? node) => node is JsonArray items ? [.. items.Select(Intrinsics.Text).OfType<string>()] : [];

    /// <summary>Tags as IAM keeps them.</summary>
    public static Dictionary<string, string> Tags(JsonNode? node) => node is JsonArray tags
        ? tags.OfType<JsonObject>().ToDictionary(t => Intrinsics.Text(t["Key"]) ?? string.Empty, t => Intrinsics.Text(t["Value"]) ?? string.Empty, StringComparer.Ordinal)
        : [];

    public static AccessCheck Access(string operation, ResourceRequest request) =>
        IamApi.ActingFor(operation, request.Principal);

    /// <summary>Refuses what LocalAws's IAM has no place for, rather than dropping it.</summary>
    public static void Unsupported(ResourceRequest request, params string[] properties)
    {
        foreach (var property in properties)
        {
            if (request.Properties[property] is JsonArray { Count: > 0 } or JsonObject or JsonValue)
            {
                throw TemplateException.Error($"{property} is not served by LocalAws's IAM (it has no groups, login profiles or permissions boundaries).");
            }
        }
    }

    /// <summary>Brings a role's or user's inline and attached policies to what its <c>Policies</c> and <c>ManagedPolicyArns</c> declare.</summary>
    public static void Converge(PolicyHolder holder, JsonObject properties)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(properties);
        var inline = properties["Policies"] is JsonArray policies
            ? policies.OfType<JsonObject>().ToDictionary(p => Intrinsics.Text(p["PolicyName"])!, p => Document(p["PolicyDocument"]), StringComparer.Ordinal)
            : [];
        var attached = Names(properties["ManagedPolicyArns"]);
        foreach (var name in holder.Inline.Keys.Except(inline.Keys))
        {
            holder.DeleteInline(name);
        }

        foreach (var (name, document) in inline)
        {
            holder.PutInline(name, document);
        }

        foreach (var arn in holder.Attached.Except(attached))
        {
            holder.Detach(arn);
        }

        foreach (var arn in attached.Except(holder.Attached))
        {
            holder.Attach(arn);
        }
    }

    /// <summary>Removes a role's or user's inline and attached policies, which IAM requires gone before it.</summary>
    public static void Strip(PolicyHolder holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        foreach (var name in holder.Inline.Keys)
        {
            holder.DeleteInline(name);
        }

        foreach (var arn in holder.Attached)
        {
            holder.Detach(arn);
        }
    }

    /// <summary>Runs an IAM call, treating "it is already gone" as done, as CloudFormation's handlers do on delete.</summary>
    public static void Gone(Action call)
    {
        try
        {
            call();
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "NoSuchEntity")
        {
            // Already gone.
        }
    }
}

/// <summary>A role's or user's policies as they are, and the IAM calls that change them (as the stack's principal).</summary>
internal sealed record PolicyHolder(
    IReadOnlyDictionary<string, string> Inline, IReadOnlyList<string> Attached, Action<string, string> PutInline, Action<string> DeleteInline, Action<string> Attach, Action<string> Detach);
