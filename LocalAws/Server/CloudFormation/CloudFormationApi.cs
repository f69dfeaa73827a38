using System.Xml;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation;

/// <summary>
/// AWS CloudFormation over the Query protocol (<c>Version=2010-05-15</c>), signing name <c>cloudformation</c>. It
/// shares <c>POST /</c> with STS and takes the requests signed for it. Each operation demands its
/// <c>cloudformation:</c> action on the stack's ARN (or <c>*</c> for those that name no stack).
/// </summary>
internal sealed class CloudFormationApi(TemplateSource templates, StackService stacks, StackOperationRunner runner, LocalAwsSettings settings) : IAwsServiceApi
{
    private const string ApiVersion = "2010-05-15";

    /// <summary>How long a call that starts a stack operation waits for it before answering.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    public AwsServiceMetadata Metadata => AwsServiceMetadata.CloudFormation;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } =
    [
        .. new[]
        {
            "CreateStack", "UpdateStack", "DeleteStack", "DescribeStacks", "DescribeStackEvents", "DescribeStackResource", "DescribeStackResources",
            "ListStackResources", "ListStacks", "GetTemplate", "GetTemplateSummary", "ValidateTemplate", "ListExports",
            "CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DeleteChangeSet", "ListChangeSets",
        }.Select(name => new AwsOperation(name, "cloudformation:" + name, "arn:aws:cloudformation:{region}:{account}:stack/{StackName}/*")),
    ];

    /// <summary>A form-encoded template body of 51,200 bytes grows up to three times when percent-encoded.</summary>
    public int MaxRequestBytes => 4 * TemplateReader.MaxBodyBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Query);

    public bool Accepts(HttpRequest request) => QueryRouting.AcceptsSignedFor(Metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => QueryRouting.Route(request, body, Operations);

    public async Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (parameters, access, name) = (request.Parameters, request.Access, QueryRouting.ServedOperation(request, ApiVersion));

        var cancellationToken = request.Context.RequestAborted;
        Action<XmlWriter> result = name switch
        {
            "ValidateTemplate" or "GetTemplateSummary" => await TemplateAsync(name, parameters, access, cancellationToken),
            "CreateStack" => StackId(await SettledAsync(await Demanded(access, parameters, (p, a) => stacks.CreateAsync(p, a, cancellationToken)), cancellationToken)),
            "UpdateStack" => StackId(await SettledAsync(await Demanded(access, parameters, (p, a) => stacks.UpdateAsync(p, a, cancellationToken)), cancellationToken)),
            "DeleteStack" => await DeleteStackAsync(parameters, access, cancellationToken),
            "DescribeStacks" => DescribeStacks(parameters, access),
            "ListStacks" => ListStacks(parameters, access),
            "ListExports" => ListExports(access),
            "CreateChangeSet" => await CreateChangeSetAsync(parameters, access, cancellationToken),
            "DescribeChangeSet" or "ExecuteChangeSet" or "DeleteChangeSet" => await ChangeSetAsync(name, parameters, access, cancellationToken),
            "ListChangeSets" => ListChangeSets(parameters, access),
            _ => Describe(name, parameters, access),
        };
        await QueryProtocol.WriteAsync(request.Context.Response, Metadata, name, request.RequestId, result);
    }

    private async Task<Action<XmlWriter>> TemplateAsync(string operation, IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        // GetTemplateSummary also describes a stack's template (the AWS CLI's deploy asks it which parameters the stack has).
        string body;
        if (operation == "GetTemplateSummary" && parameters.ContainsKey("StackName"))
        {
            access.DemandOperation(StackArn(parameters));
            body = stacks.Existing(parameters).TemplateBody;
        }
        else
        {
            access.DemandOperation("*");
            body = await templates.ReadAsync(parameters, access, cancellationToken);
        }

        Template template;
        try
        {
            template = Template.Parse(body);
            DependencyGraph.Build(template);
        }
        catch (TemplateException ex)
        {
            throw CloudFormationErrors.Validation(ex.Message);
        }

        return operation == "ValidateTemplate" ? xml => TemplateXml.WriteValidation(xml, template) : xml => TemplateXml.WriteSummary(xml, template);
    }

    /// <summary>Demands the operation on the named stack's ARN (its own when it exists), then runs it.</summary>
    private async Task<string> Demanded(AccessCheck access, IReadOnlyDictionary<string, string> parameters, Func<IReadOnlyDictionary<string, string>, AccessCheck, Task<string>> run)
    {
        access.DemandOperation(StackArn(parameters));
        return await run(parameters, access);
    }

    private static Action<XmlWriter> StackId(string stackId) => xml => xml.WriteElementString("StackId", stackId);

    private async Task<Action<XmlWriter>> DeleteStackAsync(IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        access.DemandOperation(StackArn(parameters));
        if (stacks.Delete(parameters, access) is { } stackId)
        {
            await SettledAsync(stackId, cancellationToken);
        }

        return _ => { };
    }

    /// <summary>The stack's id, once its operation finished (or after <see cref="SettleTime"/>).</summary>
    private async Task<string> SettledAsync(string stackId, CancellationToken cancellationToken)
    {
        await runner.SettleAsync(stackId, SettleTime, cancellationToken);
        return stackId;
    }

    private async Task<Action<XmlWriter>> CreateChangeSetAsync(IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        access.DemandOperation(StackArn(parameters));
        var changeSet = await stacks.CreateChangeSetAsync(parameters, access, cancellationToken);
        var stackId = stacks.Stacks.Find(parameters["StackName"])!.StackId;
        return xml =>
        {
            xml.WriteElementString("Id", changeSet.ChangeSetId);
            xml.WriteElementString("StackId", stackId);
        };
    }

    /// <summary>The operations on one change set, authorized on its stack's ARN.</summary>
    private async Task<Action<XmlWriter>> ChangeSetAsync(string operation, IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        if (operation == "DeleteChangeSet" && StackWithoutChangeSet(parameters) is { } stackId)
        {
            // Deleted already: CloudFormation succeeds, and the CDK CLI relies on it to clear a name before reusing it.
            access.DemandOperation(stackId);
            return _ => { };
        }

        var (stack, changeSet) = Authorized(() => stacks.FindChangeSet(parameters), found => found.Stack.StackId, access, parameters);
        switch (operation)
        {
            case "ExecuteChangeSet":
                await SettledAsync(stacks.ExecuteChangeSet(parameters, access), cancellationToken);
                return _ => { };
            case "DeleteChangeSet":
                stacks.DeleteChangeSet(parameters);
                return _ => { };
            default:
                return xml => ChangeSetXml.WriteDescription(xml, stack, changeSet);
        }
    }

    /// <summary>The id of the stack a request names by name when it has no change set by the name the request gives.</summary>
    private string? StackWithoutChangeSet(IReadOnlyDictionary<string, string> parameters)
    {
        var name = parameters.GetValueOrDefault("ChangeSetName") ?? string.Empty;
        return !name.StartsWith("arn:", StringComparison.Ordinal) && parameters.GetValueOrDefault("StackName") is { Length: > 0 } stackName
            && stacks.Stacks.Find(stackName) is { Status: not StackStatus.DeleteComplete } stack
            && !stack.ChangeSets.Exists(c => c.ChangeSetName == name || c.ChangeSetId == name)
            ? stack.StackId
            : null;
    }

    private Action<XmlWriter> ListChangeSets(IReadOnlyDictionary<string, string> parameters, AccessCheck access)
    {
        access.DemandOperation(StackArn(parameters));
        var stack = stacks.Existing(parameters);
        return xml => WriteList(xml, "Summaries", stack.ChangeSets, c => ChangeSetXml.WriteSummary(xml, stack, c));
    }

    /// <summary>
    /// Finds what a request names and demands the operation on its stack's ARN; a caller who may not act on the
    /// stack learns nothing of what it holds, so a missing change set is refused as the present one would be.
    /// </summary>
    private T Authorized<T>(Func<T> find, Func<T, string> stackArn, AccessCheck access, IReadOnlyDictionary<string, string> parameters)
    {
        T found;
        try
        {
            found = find();
        }
        catch (AwsServiceException)
        {
            access.DemandOperation(StackArn(parameters));
            throw;
        }

        access.DemandOperation(stackArn(found));
        return found;
    }

    private Action<XmlWriter> DescribeStacks(IReadOnlyDictionary<string, string> parameters, AccessCheck access)
    {
        IReadOnlyList<StackRecord> found;
        if (parameters.ContainsKey("StackName"))
        {
            access.DemandOperation(StackArn(parameters));
            found = [stacks.Existing(parameters)];
        }
        else
        {
            access.DemandOperation("*");
            found = [.. stacks.Stacks.All().Where(s => s.Status != StackStatus.DeleteComplete)];
        }

        return xml => WriteList(xml, "Stacks", found, stack => StackXml.WriteStack(xml, stack));
    }

    private Action<XmlWriter> ListStacks(IReadOnlyDictionary<string, string> parameters, AccessCheck access)
    {
        access.DemandOperation("*");
        var filter = QueryMembers.Strings(parameters, "StackStatusFilter");
        var found = stacks.Stacks.All().Where(s => filter.Count == 0 || filter.Contains(s.Status)).Reverse().ToList();
        return xml => WriteList(xml, "StackSummaries", found, stack => StackXml.WriteSummary(xml, stack));
    }

    private Action<XmlWriter> ListExports(AccessCheck access)
    {
        access.DemandOperation("*");
        var exports = stacks.Stacks.All().Where(s => s.Status != StackStatus.DeleteComplete)
            .SelectMany(s => s.Outputs.Where(o => o.ExportName is not null).Select(o => (s.StackId, Output: o))).ToList();
        return xml => WriteList(xml, "Exports", exports, export =>
        {
            xml.WriteStartElement("member");
            xml.WriteElementString("ExportingStackId", export.StackId);
            xml.WriteElementString("Name", export.Output.ExportName);
            xml.WriteElementString("Value", export.Output.OutputValue);
            xml.WriteEndElement();
        });
    }

    /// <summary>The operations that read one named stack.</summary>
    private Action<XmlWriter> Describe(string operation, IReadOnlyDictionary<string, string> parameters, AccessCheck access)
    {
        access.DemandOperation(StackArn(parameters));
        var stack = stacks.Existing(parameters);
        var logicalId = parameters.GetValueOrDefault("LogicalResourceId");
        switch (operation)
        {
            case "DescribeStackEvents":
                return xml => WriteList(xml, "StackEvents", Enumerable.Reverse(stack.Events), e => StackXml.WriteEvent(xml, stack, e));
            case "DescribeStackResources":
                var resources = stack.Resources.Where(r => logicalId is null || r.LogicalId == logicalId).ToList();
                return xml => WriteList(xml, "StackResources", resources, r => StackXml.WriteResource(xml, stack, r, "member"));
            case "DescribeStackResource":
                var resource = stack.Resource(logicalId ?? string.Empty)
                    ?? throw CloudFormationErrors.Validation($"Resource {logicalId} does not exist for stack {stack.StackName}");
                return xml => StackXml.WriteResource(xml, stack, resource, "StackResourceDetail");
            case "ListStackResources":
                return xml => WriteList(xml, "StackResourceSummaries", stack.Resources, r => StackXml.WriteResourceSummary(xml, r));
            default:
                return xml =>
                {
                    xml.WriteElementString("TemplateBody", stack.TemplateBody);
                    xml.WriteStartElement("StagesAvailable");
                    xml.WriteElementString("member", "Original");
                    xml.WriteElementString("member", "Processed");
                    xml.WriteEndElement();
                };
        }
    }

    /// <summary>The ARN IAM evaluates for an operation on the named stack: the stack's own id, or the pattern for its name.</summary>
    private string StackArn(IReadOnlyDictionary<string, string> parameters)
    {
        var name = parameters.GetValueOrDefault("StackName") ?? "*";
        return name.StartsWith("arn:", StringComparison.Ordinal) ? name
            : stacks.Stacks.Find(name)?.StackId ?? $"arn:aws:cloudformation:{settings.Region}:{settings.AccountId}:stack/{name}/*";
    }

    private static void WriteList<T>(XmlWriter xml, string name, IEnumerable<T> items, Action<T> write)
    {
        xml.WriteStartElement(name);
        foreach (var item in items)
        {
            write(item);
        }

        xml.WriteEndElement();
    }
}
