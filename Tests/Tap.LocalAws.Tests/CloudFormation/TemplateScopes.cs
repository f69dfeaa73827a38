using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>A stack scope over a template, with resources that are "created" under a physical id each and have an <c>Arn</c>.</summary>
internal static class TemplateScopes
{
    public const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/demo/00000000-0000-0000-0000-000000000001";

    public static StackScope For(
        Template template, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? ssm = null, IReadOnlyDictionary<string, string>? exports = null)
    {
        var values = StackParameters.Resolve(template, parameters ?? new Dictionary<string, string>(), name => ssm?.GetValueOrDefault(name));
        return new StackScope(template, new PseudoParameters("123456789012", "us-east-1", "demo", StackId), values,
            new CreatedResources(template), name => exports?.GetValueOrDefault(name));
    }

    /// <summary>An account whose other stacks export nothing.</summary>
    public static IStackExports NoExports { get; } = new Exports();

    public static StackScope For(string template, IReadOnlyDictionary<string, string>? parameters = null) => For(Template.Parse(template), parameters);

    private sealed class Exports : IStackExports
    {
        public StackExport? Find(string exportName) => null;

        public string? ImporterOf(string exportName, string exceptStackId) => null;
    }

    private sealed class CreatedResources(Template template) : IResourceValues
    {
        public JsonNode? Ref(string logicalId) => template.Resource(logicalId) is null ? null : JsonValue.Create($"{logicalId.ToLowerInvariant()}-physical");

        public JsonNode GetAtt(string logicalId, string attribute) => attribute == "Arn"
            ? JsonValue.Create($"arn:aws:test:::{logicalId.ToLowerInvariant()}-physical")
            : throw TemplateException.Error($"resource {logicalId} does not support attribute type {attribute} in Fn::GetAtt");
    }
}
