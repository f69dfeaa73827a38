using System.Xml.Linq;
using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using static Tap.Aws.CloudFormation.Protocol.QueryXml;

namespace Tap.Aws.CloudFormation.Protocol;

/// <summary>CloudFormation's requests as Query forms (API version 2010-05-15) and its results read back into the model.</summary>
internal static class CloudFormationQuery
{
    public const string Version = "2010-05-15";

    public static QueryForm Form(DescribeStacksRequest request) =>
        new QueryForm("DescribeStacks", Version).Add("StackName", request.StackName).Add("NextToken", request.NextToken);

    public static QueryForm Form(CreateChangeSetRequest request) => new QueryForm("CreateChangeSet", Version)
        .Add("StackName", request.StackName)
        .Add("ChangeSetName", request.ChangeSetName)
        .Add("ChangeSetType", request.ChangeSetType?.Value)
        .Add("TemplateBody", request.TemplateBody)
        .Add("TemplateURL", request.TemplateURL)
        .Add("UsePreviousTemplate", request.UsePreviousTemplate)
        .AddMembers("Parameters", request.Parameters, static (form, prefix, parameter) => form
            .Add(prefix + ".ParameterKey", parameter.ParameterKey)
            .Add(prefix + ".ParameterValue", parameter.ParameterValue)
            .Add(prefix + ".UsePreviousValue", parameter.UsePreviousValue))
        .AddList("Capabilities", request.Capabilities)
        .AddMembers("Tags", request.Tags, static (form, prefix, tag) => form.Add(prefix + ".Key", tag.Key).Add(prefix + ".Value", tag.Value))
        .Add("RoleARN", request.RoleARN)
        .Add("Description", request.Description);

    public static QueryForm Form(DescribeChangeSetRequest request) => new QueryForm("DescribeChangeSet", Version)
        .Add("ChangeSetName", request.ChangeSetName).Add("StackName", request.StackName).Add("NextToken", request.NextToken);

    public static QueryForm Form(ExecuteChangeSetRequest request) => new QueryForm("ExecuteChangeSet", Version)
        .Add("ChangeSetName", request.ChangeSetName).Add("StackName", request.StackName);

    public static QueryForm Form(DescribeStackEventsRequest request) => new QueryForm("DescribeStackEvents", Version)
        .Add("StackName", request.StackName).Add("NextToken", request.NextToken);

    public static QueryForm Form(DescribeStackResourcesRequest request) => new QueryForm("DescribeStackResources", Version)
        .Add("StackName", request.StackName).Add("LogicalResourceId", request.LogicalResourceId).Add("PhysicalResourceId", request.PhysicalResourceId);

    public static QueryForm Form(DeleteStackRequest request) => new QueryForm("DeleteStack", Version)
        .Add("StackName", request.StackName).Add("RoleARN", request.RoleARN).AddList("RetainResources", request.RetainResources);

    public static DescribeStacksResponse DescribeStacks(XElement result) => new()
    {
        Stacks = Members(result, "Stacks", ReadStack),
        NextToken = Text(result, "NextToken"),
    };

    public static CreateChangeSetResponse CreateChangeSet(XElement result) => new() { Id = Text(result, "Id"), StackId = Text(result, "StackId") };

    public static DescribeChangeSetResponse DescribeChangeSet(XElement result) => new()
    {
        ChangeSetId = Text(result, "ChangeSetId"),
        ChangeSetName = Text(result, "ChangeSetName"),
        StackId = Text(result, "StackId"),
        StackName = Text(result, "StackName"),
        Status = Text(result, "Status") is { } status ? ChangeSetStatus.FindValue(status) : null,
        StatusReason = Text(result, "StatusReason"),
        ExecutionStatus = Text(result, "ExecutionStatus") is { } execution ? ExecutionStatus.FindValue(execution) : null,
        CreationTime = Time(result, "CreationTime"),
        Changes = Members(result, "Changes", change => new Change
        {
            Type = Text(change, "Type"),
            ResourceChange = Child(change, "ResourceChange") is { } resource
                ? new ResourceChange
                {
                    Action = Text(resource, "Action") is { } action ? ChangeAction.FindValue(action) : null,
                    LogicalResourceId = Text(resource, "LogicalResourceId"),
                    PhysicalResourceId = Text(resource, "PhysicalResourceId"),
                    ResourceType = Text(resource, "ResourceType"),
                    Replacement = Text(resource, "Replacement"),
                }
                : null,
        }),
        Parameters = Members(result, "Parameters", ReadParameter),
        Tags = Members(result, "Tags", ReadTag),
        Capabilities = Strings(result, "Capabilities"),
        NextToken = Text(result, "NextToken"),
    };

    public static DescribeStackEventsResponse DescribeStackEvents(XElement result) => new()
    {
        StackEvents = Members(result, "StackEvents", e => new StackEvent
        {
            EventId = Text(e, "EventId"),
            StackId = Text(e, "StackId"),
            StackName = Text(e, "StackName"),
            LogicalResourceId = Text(e, "LogicalResourceId"),
            PhysicalResourceId = Text(e, "PhysicalResourceId"),
            ResourceType = Text(e, "ResourceType"),
            Timestamp = Time(e, "Timestamp"),
            ResourceStatus = Text(e, "ResourceStatus") is { } status ? ResourceStatus.FindValue(status) : null,
            ResourceStatusReason = Text(e, "ResourceStatusReason"),
        }),
        NextToken = Text(result, "NextToken"),
    };

    public static DescribeStackResourcesResponse DescribeStackResources(XElement result) => new()
    {
        StackResources = Members(result, "StackResources", r => new StackResource
        {
            StackId = Text(r, "StackId"),
            StackName = Text(r, "StackName"),
            LogicalResourceId = Text(r, "LogicalResourceId"),
            PhysicalResourceId = Text(r, "PhysicalResourceId"),
            ResourceType = Text(r, "ResourceType"),
            Timestamp = Time(r, "Timestamp"),
            ResourceStatus = Text(r, "ResourceStatus") is { } status ? ResourceStatus.FindValue(status) : null,
            ResourceStatusReason = Text(r, "ResourceStatusReason"),
        }),
    };

    private static Stack ReadStack(XElement stack) => new()
    {
        StackId = Text(stack, "StackId"),
        StackName = Text(stack, "StackName"),
        Description = Text(stack, "Description"),
        StackStatus = Text(stack, "StackStatus") is { } status ? StackStatus.FindValue(status) : null,
        StackStatusReason = Text(stack, "StackStatusReason"),
        CreationTime = Time(stack, "CreationTime"),
        LastUpdatedTime = Time(stack, "LastUpdatedTime"),
        Parameters = Members(stack, "Parameters", ReadParameter),
        Outputs = Members(stack, "Outputs", output => new Output
        {
            OutputKey = Text(output, "OutputKey"),
            OutputValue = Text(output, "OutputValue"),
            Description = Text(output, "Description"),
            ExportName = Text(output, "ExportName"),
        }),
        Tags = Members(stack, "Tags", ReadTag),
        Capabilities = Strings(stack, "Capabilities"),
        RoleARN = Text(stack, "RoleARN"),
    };

    private static Parameter ReadParameter(XElement parameter) => new()
    {
        ParameterKey = Text(parameter, "ParameterKey"),
        ParameterValue = Text(parameter, "ParameterValue"),
        UsePreviousValue = Boolean(parameter, "UsePreviousValue"),
        ResolvedValue = Text(parameter, "ResolvedValue"),
    };

    private static Tag ReadTag(XElement tag) => new() { Key = Text(tag, "Key"), Value = Text(tag, "Value") };
}
