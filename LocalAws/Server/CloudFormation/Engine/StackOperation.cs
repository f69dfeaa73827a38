using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>
/// One create, update or delete of a stack: the stack's record (changed as the operation goes), the template and
/// parameters it goes to, whose permissions it runs with, and where each step is saved so that it outlives a crash.
/// </summary>
/// <param name="TemplateBody">The template as the caller gave it, which the stack keeps (GetTemplate).</param>
/// <param name="Principal">The caller, or the role the stack's <c>RoleARN</c> names.</param>
/// <param name="Exports">The other stacks' exports.</param>
/// <param name="SaveAsync">Stores the record after every step.</param>
public sealed record StackOperation(
    StackRecord Stack,
    Template Template,
    string TemplateBody,
    IReadOnlyDictionary<string, StackParameter> Parameters,
    CallerIdentity? Principal,
    string AccountId,
    string Region,
    IStackExports Exports,
    Func<StackRecord, CancellationToken, Task> SaveAsync)
{
    /// <summary>Makes the stack's template and parameters the operation's.</summary>
    public void Adopt()
    {
        Stack.TemplateBody = TemplateBody;
        Stack.Description = Template.Description;
        Stack.Parameters = Parameters.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal);
        Stack.ResolvedParameters = Parameters.Where(p => p.Value.ResolvedValue is not null).ToDictionary(p => p.Key, p => p.Value.ResolvedValue!, StringComparer.Ordinal);
        Stack.NoEchoParameters = [.. Parameters.Where(p => p.Value.Declaration.NoEcho).Select(p => p.Key)];
        Stack.Imports.Clear();
    }

    /// <summary><c>Fn::ImportValue</c>: another stack's export, which the stack then depends on (that export cannot go while it does).</summary>
    public string? ImportValue(string exportName)
    {
        if (Exports.Find(exportName) is not { } export || export.StackId == Stack.StackId)
        {
            return null;
        }

        Stack.Imports.Add(exportName);
        return export.Value;
    }

    public PseudoParameters Pseudo => new(AccountId, Region, Stack.StackName, Stack.StackId);

    public ResourceRequest Request(string logicalId, System.Text.Json.Nodes.JsonObject properties) =>
        new(logicalId, properties, Stack.StackName, Stack.StackId, Region, AccountId, Principal);
}
