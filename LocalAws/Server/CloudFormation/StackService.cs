using System.Text.RegularExpressions;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Storage;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Ssm;

namespace Tap.LocalAws.CloudFormation;

/// <summary>
/// CreateStack, UpdateStack and DeleteStack: each checks what CloudFormation checks before it answers (the stack's
/// name and state, the template, the parameters and their SSM values, the rules, the capabilities, the role and
/// <c>iam:PassRole</c>), then runs the operation in the background as the caller or the stack's role.
/// </summary>
internal sealed partial class StackService(
    StackStore stacks, StackDeployer deployer, StackOperationRunner runner, TemplateSource templates, ParameterStore ssm, IamDirectory iam, LocalAwsSettings settings)
    : IStackExports
{
    private readonly Lock _gate = new();

    public StackStore Stacks => stacks;

    public async Task<string> CreateAsync(IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        var name = StackName(parameters);
        var stackId = NewStackId(name);
        var prepared = await PrepareAsync(parameters, access, current: null, name, stackId, cancellationToken);
        var principal = Principal(parameters.GetValueOrDefault("RoleARN"), access);
        lock (_gate)
        {
            if (stacks.Find(name) is { } existing)
            {
                throw AwsServiceException.Query(400, "AlreadyExistsException", $"Stack [{existing.StackName}] already exists");
            }

            var stack = new StackRecord
            {
                StackName = name,
                StackId = stackId,
                RoleArn = parameters.GetValueOrDefault("RoleARN"),
                DisableRollback = parameters.GetValueOrDefault("DisableRollback") == "true" || parameters.GetValueOrDefault("OnFailure") == "DO_NOTHING",
                Tags = prepared.Tags ?? [],
                Capabilities = QueryMembers.Strings(parameters, "Capabilities"),
                Status = StackStatus.CreateInProgress,
            };
            var operation = Operation(stack, prepared.Template, prepared.Body, prepared.Values, principal);
            operation.Adopt();
            stack.CreationTime = DateTimeOffset.UtcNow;
            stacks.Save(stack);
            runner.Start(stack.StackId, "CreateStack", token => deployer.CreateAsync(operation, token));
            return stack.StackId;
        }
    }

    public async Task<string> UpdateAsync(IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        var current = Existing(parameters);
        CheckUpdatable(current);
        var prepared = await PrepareAsync(parameters, access, current, current.StackName, current.StackId, cancellationToken);
        var roleArn = parameters.GetValueOrDefault("RoleARN") ?? current.RoleArn;
        var principal = Principal(roleArn, access);
        if (Unchanged(current, prepared))
        {
            throw CloudFormationErrors.Validation("No updates are to be performed.");
        }

        lock (_gate)
        {
            CheckUpdatable(stacks.Find(current.StackId)!);
            var stack = StackStore.Checkout(current);
            (stack.RoleArn, stack.Tags, stack.Capabilities) = (roleArn, prepared.Tags ?? current.Tags, QueryMembers.Strings(parameters, "Capabilities"));
            stack.ChangeSets.Clear();
            var operation = Operation(stack, prepared.Template, prepared.Body, prepared.Values, principal);
            runner.Start(stack.StackId, "UpdateStack", token => deployer.UpdateAsync(operation, token));
            return stack.StackId;
        }
    }

    /// <returns>The stack's id; null when there is no such stack (deleting one succeeds, as in CloudFormation).</returns>
    public string? Delete(IReadOnlyDictionary<string, string> parameters, AccessCheck access)
    {
        if (stacks.Find(Required(parameters, "StackName")) is not { Status: not StackStatus.DeleteComplete } current)
        {
            return null;
        }

        var principal = Principal(parameters.GetValueOrDefault("RoleARN") ?? current.RoleArn, access);
        lock (_gate)
        {
            if (runner.IsRunning(current.StackId) || StackStatus.InProgress(current.Status))
            {
                throw CloudFormationErrors.Validation($"Stack [{current.StackName}] cannot be deleted while in status {current.Status}");
            }

            foreach (var export in current.Outputs.Select(o => o.ExportName).OfType<string>())
            {
                if (ImporterOf(export, current.StackId) is { } importer)
                {
                    throw CloudFormationErrors.Validation($"Export {export} cannot be deleted as it is in use by {importer}");
                }
            }

            // Deletion reads only the stack's resources and its template's order: no parameter is resolved again.
            var stack = StackStore.Checkout(current);
            var operation = Operation(stack, StoredTemplate(stack), stack.TemplateBody, new Dictionary<string, StackParameter>(), principal);
            runner.Start(stack.StackId, "DeleteStack", token => deployer.DeleteAsync(operation, token));
            return stack.StackId;
        }
    }

    /// <summary>Finishes, in the background, every operation a stopped LocalAws left in progress.</summary>
    public void ResumeInterrupted()
    {
        foreach (var snapshot in stacks.All().Where(s => StackStatus.InProgress(s.Status)))
        {
            var stack = StackStore.Checkout(snapshot);
            var principal = stack.OperatorArn is { } arn ? iam.ActAs(arn, SessionName) : null;
            var operation = Operation(stack, StoredTemplate(stack), stack.TemplateBody, new Dictionary<string, StackParameter>(), principal);
            runner.Start(stack.StackId, "Resume", async token =>
            {
                await (principal is null
                    ? deployer.AbandonAsync(operation, $"The principal {stack.OperatorArn} the stack's operations ran as no longer exists.", token)
                    : deployer.ResumeAsync(operation, token));
                await FinishChangeSetAsync(operation, token);
            });
        }
    }

    /// <summary>The stack a request names (by name or id), or CloudFormation's error.</summary>
    public StackRecord Existing(IReadOnlyDictionary<string, string> parameters)
    {
        var name = Required(parameters, "StackName");
        return stacks.Find(name) ?? throw CloudFormationErrors.Validation($"Stack with id {name} does not exist");
    }

    /// <inheritdoc/>
    public StackExport? Find(string exportName) =>
        LiveStacks().SelectMany(s => s.Outputs.Where(o => o.ExportName == exportName).Select(o => new StackExport(s.StackId, s.StackName, o.OutputValue))).FirstOrDefault();

    /// <inheritdoc/>
    public string? ImporterOf(string exportName, string exceptStackId) =>
        LiveStacks().FirstOrDefault(s => s.StackId != exceptStackId && s.Imports.Contains(exportName))?.StackName;

    private IEnumerable<StackRecord> LiveStacks() => stacks.All().Where(s => s.Status != StackStatus.DeleteComplete);

    private StackOperation Operation(StackRecord stack, Template template, string body, IReadOnlyDictionary<string, StackParameter> values, CallerIdentity? principal)
    {
        stack.OperatorArn = principal?.Principal.Arn ?? stack.OperatorArn;
        return new(stack, template, body, values, principal, settings.AccountId, settings.Region, this, stacks.SaveAsync);
    }

    /// <summary>A stack operation's template and parameters, checked as CloudFormation checks them before it answers.</summary>
    /// <param name="Tags">The tags given; null when the request names none (an update keeps the stack's).</param>
    private sealed record Prepared(Template Template, string Body, IReadOnlyDictionary<string, StackParameter> Values, Dictionary<string, string>? Tags);

    private async Task<Prepared> PrepareAsync(
        IReadOnlyDictionary<string, string> parameters, AccessCheck access, StackRecord? current, string stackName, string stackId, CancellationToken cancellationToken)
    {
        var body = current is not null && parameters.GetValueOrDefault("UsePreviousTemplate") == "true"
            ? current.TemplateBody
            : await templates.ReadAsync(parameters, access, cancellationToken);
        var template = Parse(body);
        var values = ResolveParameters(template, Given(parameters, current), access);
        CheckBeforeRunning(template, values, parameters, stackName, stackId);
        var tags = parameters.Keys.Any(k => k.StartsWith("Tags.", StringComparison.Ordinal)) ? Tags(parameters) : null;
        return new(template, body, values, tags);
    }

    /// <summary>Whether an update would change nothing: the same template, parameter values and tags.</summary>
    private static bool Unchanged(StackRecord current, Prepared prepared)
    {
        var tags = prepared.Tags ?? current.Tags;
        return prepared.Body == current.TemplateBody
            && prepared.Values.All(v => current.Parameters.GetValueOrDefault(v.Key) == v.Value.Value && current.ResolvedParameters.GetValueOrDefault(v.Key) == v.Value.ResolvedValue)
            && tags.Count == current.Tags.Count && !tags.Except(current.Tags).Any();
    }

    /// <summary>The template a stack was last deployed with, which was checked when it was given.</summary>
    private static Template StoredTemplate(StackRecord stack) => stack.TemplateBody.Length == 0 ? Template.None : Template.Parse(stack.TemplateBody);

    private string NewStackId(string name) => $"arn:aws:cloudformation:{settings.Region}:{settings.AccountId}:stack/{name}/{Guid.NewGuid()}";

    private Template Parse(string body)
    {
        try
        {
            var template = Template.Parse(body);
            DependencyGraph.Build(template);
            deployer.CheckTypes(template);
            return template;
        }
        catch (TemplateException ex)
        {
            throw CloudFormationErrors.Validation(ex.Message);
        }
    }

    private void CheckUpdatable(StackRecord stack)
    {
        if (runner.IsRunning(stack.StackId) || !stack.Status.EndsWith("_COMPLETE", StringComparison.Ordinal) || stack.Status is StackStatus.RollbackComplete or StackStatus.DeleteComplete)
        {
            throw CloudFormationErrors.Validation($"Stack:{stack.StackId} is in {stack.Status} state and can not be updated.");
        }
    }

    /// <summary>The template's rules, and the capabilities the caller acknowledged.</summary>
    private void CheckBeforeRunning(Template template, IReadOnlyDictionary<string, StackParameter> values, IReadOnlyDictionary<string, string> parameters, string stackName, string stackId)
    {
        try
        {
            var pseudo = new PseudoParameters(settings.AccountId, settings.Region, stackName, stackId);
            TemplateRules.Check(template, new StackScope(template, pseudo, values, NoResources.Instance, _ => null));
        }
        catch (TemplateException ex)
        {
            throw CloudFormationErrors.Validation(ex.Message);
        }

        var (required, _) = TemplateCapabilities.Required(template);
        var acknowledged = QueryMembers.Strings(parameters, "Capabilities");
        if (required is not null && !acknowledged.Contains(required) && !(required == TemplateCapabilities.Iam && acknowledged.Contains(TemplateCapabilities.NamedIam)))
        {
            throw AwsServiceException.Query(400, "InsufficientCapabilitiesException", $"Requires capabilities : [{required}]");
        }
    }

    /// <summary>The parameters as given (or, with <c>UsePreviousValue</c>, as the stack had them).</summary>
    private static Dictionary<string, string> Given(IReadOnlyDictionary<string, string> parameters, StackRecord? previous)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in QueryMembers.Structures(parameters, "Parameters"))
        {
            var key = member.GetValueOrDefault("ParameterKey") ?? throw CloudFormationErrors.Validation("Every parameter needs a ParameterKey.");
            if (member.GetValueOrDefault("UsePreviousValue") == "true")
            {
                given[key] = previous?.Parameters.GetValueOrDefault(key) ?? throw CloudFormationErrors.Validation($"Invalid input for parameter key {key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template");
            }
            else
            {
                given[key] = member.GetValueOrDefault("ParameterValue") ?? string.Empty;
            }
        }

        return given;
    }

    /// <summary>Checks the values against the template; an SSM parameter type is read as the caller (<c>ssm:GetParameters</c>).</summary>
    private IReadOnlyDictionary<string, StackParameter> ResolveParameters(Template template, Dictionary<string, string> given, AccessCheck access)
    {
        try
        {
            return StackParameters.Resolve(template, given, name =>
            {
                var arn = ParameterNames.Arn(settings.Region, settings.AccountId, name);
                return access.IsAllowed("ssm:GetParameters", arn, null, out _) && ssm.Find(name) is { Current: { Type: not "SecureString" } version } ? version.Value : null;
            });
        }
        catch (TemplateException ex)
        {
            throw CloudFormationErrors.Validation(ex.Message);
        }
    }

    /// <summary>Whose permissions the operation runs with: the caller, or the role named, which the caller must be allowed to pass.</summary>
    private CallerIdentity Principal(string? roleArn, AccessCheck access)
    {
        if (roleArn is null)
        {
            return access.Caller;
        }

        access.Demand("iam:PassRole", roleArn);
        return iam.FindRole(roleArn) is not null && iam.ActAs(roleArn, SessionName) is { } session
            ? session
            : throw CloudFormationErrors.Validation($"Role {roleArn} is invalid or cannot be assumed");
    }

    private static string StackName(IReadOnlyDictionary<string, string> parameters)
    {
        var name = Required(parameters, "StackName");
        return StackNamePattern().IsMatch(name)
            ? name
            : throw CloudFormationErrors.Validation($"1 validation error detected: Value '{name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
    }

    private static Dictionary<string, string> Tags(IReadOnlyDictionary<string, string> parameters) =>
        QueryMembers.Structures(parameters, "Tags").ToDictionary(t => t.GetValueOrDefault("Key") ?? string.Empty, t => t.GetValueOrDefault("Value") ?? string.Empty, StringComparer.Ordinal);

    private static string Required(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw CloudFormationErrors.Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    /// <summary>The session CloudFormation's own calls as a role carry.</summary>
    private const string SessionName = "AWSCloudFormation";

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]{0,127}$")]
    private static partial Regex StackNamePattern();

    /// <summary>Rules are checked before any resource exists.</summary>
    private sealed class NoResources : IResourceValues
    {
        public static readonly NoResources Instance = new();

        public System.Text.Json.Nodes.JsonNode? Ref(string logicalId) => null;

        public System.Text.Json.Nodes.JsonNode GetAtt(string logicalId, string attribute) => throw TemplateException.Format("Rules cannot reference resources.");
    }
}
