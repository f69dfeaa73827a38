using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>
/// A template's <c>Rules</c>: each rule whose <c>RuleCondition</c> holds (or that has none) must have every
/// <c>Assert</c> true, else the stack operation is refused with the assertion's <c>AssertDescription</c> — how the
/// CDK's bootstrap-version rule tells a user to run <c>cdk bootstrap</c>.
/// </summary>
public static class TemplateRules
{
    public static void Check(Template template, ITemplateScope scope)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(scope);
        foreach (var (name, node) in template.Rules)
        {
            var rule = Template.Member(node, "Rules", name);
            if (rule["RuleCondition"] is { } condition && !Intrinsics.IsTrue(condition, scope, template.Mappings))
            {
                continue;
            }

            var assertions = rule["Assertions"] as JsonArray ?? throw TemplateException.Format($"Rule {name} must have a list of Assertions.");
            foreach (var assertion in assertions)
            {
                if (assertion is not JsonObject { } check || check["Assert"] is not { } assert)
                {
                    throw TemplateException.Format($"Every assertion of rule {name} must have an Assert.");
                }

                if (!Intrinsics.IsTrue(assert, scope, template.Mappings))
                {
                    throw new TemplateException(Intrinsics.Text(check["AssertDescription"]) ?? $"Template validation error: rule {name} failed an assertion.");
                }
            }
        }
    }
}
