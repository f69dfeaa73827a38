using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>One entry of a template's <c>Outputs</c>: its unresolved value, and the export name it publishes.</summary>
public sealed record OutputDeclaration(string LogicalId, JsonNode Value)
{
    public string? Description { get; init; }

    /// <summary>The unresolved <c>Export.Name</c>, when the output is exported.</summary>
    public JsonNode? ExportName { get; init; }

    public string? Condition { get; init; }

    internal static OutputDeclaration Parse(string logicalId, JsonObject body)
    {
        foreach (var (name, _) in body)
        {
            if (name is not ("Value" or "Description" or "Export" or "Condition"))
            {
                throw TemplateException.Format($"Invalid template property or properties [{name}] in Outputs/{logicalId}");
            }
        }

        var value = body[nameof(Value)] ?? throw TemplateException.Format($"Every Outputs member must contain a Value object, the element {logicalId} does not.");
        var export = body["Export"] switch
        {
            null => null,
            JsonObject { Count: 1 } e when e["Name"] is { } name => name,
            _ => throw TemplateException.Format($"Output {logicalId} is malformed. The Export member must be an object with only a Name."),
        };
        return new OutputDeclaration(logicalId, value)
        {
            Description = body[nameof(Description)]?.ToString(),
            ExportName = export,
            Condition = body[nameof(Condition)]?.ToString(),
        };
    }
}
