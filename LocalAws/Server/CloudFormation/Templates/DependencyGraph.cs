using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>
/// Which resources each resource needs first, as CloudFormation derives it: every <c>Ref</c>, <c>Fn::GetAtt</c> and
/// <c>Fn::Sub</c> variable naming a resource in its properties (both branches of an <c>Fn::If</c>), and its
/// <c>DependsOn</c>. A name that is no resource, parameter or pseudo parameter, or a cycle, is CloudFormation's
/// validation error.
/// </summary>
public sealed class DependencyGraph
{
    private readonly Template _template;
    private readonly Dictionary<string, HashSet<string>> _dependencies = new(StringComparer.Ordinal);

    private DependencyGraph(Template template) => _template = template;

    /// <summary>The resources each resource depends on directly.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Dependencies => _dependencies;

    public static DependencyGraph Build(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var graph = new DependencyGraph(template);
        foreach (var resource in template.Resources)
        {
            var needs = new HashSet<string>(StringComparer.Ordinal);
            graph.Collect(resource.Properties, needs, "Resources");
            foreach (var name in resource.DependsOn)
            {
                _ = template.Resource(name) ?? throw Unresolved(name, "Resources");
                needs.Add(name);
            }

            graph._dependencies[resource.LogicalId] = needs;
        }

        foreach (var output in template.Outputs)
        {
            graph.Collect(output.Value, [], "Outputs");
        }

        _ = graph.CreationOrder();
        return graph;
    }

    /// <summary>Every resource after all it depends on; among those free to go, template order.</summary>
    public IReadOnlyList<string> CreationOrder()
    {
        var remaining = _template.Resources.Select(r => r.LogicalId).ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>(remaining.Count);
        while (remaining.Count > 0)
        {
            var next = remaining.Find(id => _dependencies[id].All(done.Contains))
                ?? throw new TemplateException($"Circular dependency between resources: [{string.Join(", ", remaining)}]");
            remaining.Remove(next);
            done.Add(next);
            order.Add(next);
        }

        return order;
    }

    /// <summary>The reverse: every resource before all it depends on, so nothing is deleted while something needs it.</summary>
    public IReadOnlyList<string> DeletionOrder() => [.. CreationOrder().Reverse()];

    private void Collect(JsonNode? node, HashSet<string> needs, string block)
    {
        switch (node)
        {
            case JsonObject call when Intrinsics.FunctionName(call) is { } function:
                Function(function, call[function], needs, block);
                break;
            case JsonObject map:
                foreach (var (_, child) in map)
                {
                    Collect(child, needs, block);
                }

                break;
            case JsonArray list:
                foreach (var child in list)
                {
                    Collect(child, needs, block);
                }

                break;
        }
    }

    private void Function(string function, JsonNode? argument, HashSet<string> needs, string block)
    {
        switch (function)
        {
            case "Ref" when Intrinsics.Text(argument) is { } name:
                Name(name, needs, block);
                break;
            case "Fn::GetAtt":
                var target = argument switch
                {
                    JsonArray { Count: > 0 } pair => Intrinsics.Text(pair[0]),
                    _ when Intrinsics.Text(argument) is { } dotted && dotted.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot => dotted[..dot],
                    _ => null,
                };
                if (target is not null)
                {
                    needs.Add(_template.Resource(target)?.LogicalId ?? throw TemplateException.Error($"instance of Fn::GetAtt references undefined resource {target}"));
                }

                Collect(argument, needs, block);
                break;
            case "Fn::Sub":
                var (text, variables) = argument switch
                {
                    JsonArray { Count: 2 } pair => (Intrinsics.Text(pair[0]), pair[1] as JsonObject),
                    _ => (Intrinsics.Text(argument), null),
                };
                foreach (var name in SubVariables(text ?? string.Empty).Where(v => variables?.ContainsKey(v) != true))
                {
                    var dot = name.IndexOf('.', StringComparison.Ordinal);
                    if (dot > 0)
                    {
                        needs.Add(_template.Resource(name[..dot])?.LogicalId ?? throw TemplateException.Error($"instance of Fn::GetAtt references undefined resource {name[..dot]}"));
                    }
                    else
                    {
                        Name(name, needs, block);
                    }
                }

                Collect(variables, needs, block);
                break;
            default:
                Collect(argument, needs, block);
                break;
        }
    }

    private void Name(string name, HashSet<string> needs, string block)
    {
        if (_template.Resource(name) is not null)
        {
            needs.Add(name);
        }
        else if (!_template.Parameters.ContainsKey(name) && !PseudoParameters.IsPseudo(name))
        {
            throw Unresolved(name, block);
        }
    }

    private static TemplateException Unresolved(string name, string block) =>
        TemplateException.Format($"Unresolved resource dependencies [{name}] in the {block} block of the template");

    /// <summary>The <c>${name}</c> variables of an <c>Fn::Sub</c> string (not <c>${!literal}</c>).</summary>
    internal static IEnumerable<string> SubVariables(string text)
    {
        var at = 0;
        while ((at = text.IndexOf("${", at, StringComparison.Ordinal)) >= 0)
        {
            var close = text.IndexOf('}', at);
            if (close < 0)
            {
                yield break;
            }

            var name = text[(at + 2)..close];
            if (!name.StartsWith('!'))
            {
                yield return name;
            }

            at = close + 1;
        }
    }
}
