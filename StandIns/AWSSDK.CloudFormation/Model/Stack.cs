namespace Amazon.CloudFormation.Model;

/// <summary>A stack as <c>DescribeStacks</c> describes it.</summary>
#pragma warning disable CA1711 // The official name.
public sealed class Stack
#pragma warning restore CA1711
{
    public string? StackId { get; set; }

    public string? StackName { get; set; }

    public string? Description { get; set; }

    public StackStatus? StackStatus { get; set; }

    public string? StackStatusReason { get; set; }

    public DateTime? CreationTime { get; set; }

    public DateTime? LastUpdatedTime { get; set; }

    public List<Parameter>? Parameters { get; set; }

    public List<Output>? Outputs { get; set; }

    public List<Tag>? Tags { get; set; }

    public List<string>? Capabilities { get; set; }

    public string? RoleARN { get; set; }
}

/// <summary>One of a stack's outputs.</summary>
public sealed class Output
{
    public string? OutputKey { get; set; }

    public string? OutputValue { get; set; }

    public string? Description { get; set; }

    public string? ExportName { get; set; }
}

/// <summary>A template parameter's value, given or in effect.</summary>
public sealed class Parameter
{
    public string? ParameterKey { get; set; }

    public string? ParameterValue { get; set; }

    public bool? UsePreviousValue { get; set; }

    public string? ResolvedValue { get; set; }
}

/// <summary>A stack's tag, which CloudFormation also puts on the stack's resources.</summary>
public sealed class Tag
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}
