using System.Xml;
using Tap.Aws.Protocol;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudFormation;

/// <summary>Stacks, their events and resources in CloudFormation's Query shapes; a <c>NoEcho</c> parameter's value is always masked.</summary>
internal static class StackXml
{
    public static void WriteStack(XmlWriter xml, StackRecord stack)
    {
        xml.WriteStartElement("member");
        xml.WriteElementString("StackName", stack.StackName);
        xml.WriteElementString("StackId", stack.StackId);
        TemplateXml.WriteOptional(xml, "Description", stack.Description);
        WriteParameters(xml, stack.Parameters, stack.ResolvedParameters, stack.NoEchoParameters);
        xml.WriteElementString("CreationTime", AwsTimestamp.ToIso8601Milliseconds(stack.CreationTime));
        WriteTime(xml, "LastUpdatedTime", stack.LastUpdatedTime);
        WriteTime(xml, "DeletionTime", stack.DeletionTime);
        xml.WriteElementString("StackStatus", stack.Status);
        TemplateXml.WriteOptional(xml, "StackStatusReason", stack.StatusReason);
        xml.WriteElementString("DisableRollback", stack.DisableRollback ? "true" : "false");
        xml.WriteElementString("NotificationARNs", string.Empty);
        xml.WriteStartElement("Capabilities");
        foreach (var capability in stack.Capabilities)
        {
            xml.WriteElementString("member", capability);
        }

        xml.WriteEndElement();
        xml.WriteStartElement("Outputs");
        foreach (var output in stack.Outputs)
        {
            xml.WriteStartElement("member");
            xml.WriteElementString("OutputKey", output.OutputKey);
            xml.WriteElementString("OutputValue", output.OutputValue);
            TemplateXml.WriteOptional(xml, "Description", output.Description);
            TemplateXml.WriteOptional(xml, "ExportName", output.ExportName);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        TemplateXml.WriteOptional(xml, "RoleARN", stack.RoleArn);
        QueryProtocol.WriteTags(xml, stack.Tags);
        xml.WriteElementString("EnableTerminationProtection", "false");
        xml.WriteStartElement("DriftInformation");
        xml.WriteElementString("StackDriftStatus", "NOT_CHECKED");
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>A stack's or change set's parameters; a <c>NoEcho</c> one's value, and its resolved value, masked.</summary>
    public static void WriteParameters(
        XmlWriter xml, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> resolvedParameters, IReadOnlySet<string> noEcho)
    {
        xml.WriteStartElement("Parameters");
        foreach (var (key, value) in parameters)
        {
            var masked = noEcho.Contains(key);
            xml.WriteStartElement("member");
            xml.WriteElementString("ParameterKey", key);
            xml.WriteElementString("ParameterValue", masked ? ParameterDeclaration.Masked : value);
            if (resolvedParameters.TryGetValue(key, out var resolved))
            {
                xml.WriteElementString("ResolvedValue", masked ? ParameterDeclaration.Masked : resolved);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    public static void WriteSummary(XmlWriter xml, StackRecord stack)
    {
        xml.WriteStartElement("member");
        xml.WriteElementString("StackId", stack.StackId);
        xml.WriteElementString("StackName", stack.StackName);
        TemplateXml.WriteOptional(xml, "TemplateDescription", stack.Description);
        xml.WriteElementString("CreationTime", AwsTimestamp.ToIso8601Milliseconds(stack.CreationTime));
        WriteTime(xml, "LastUpdatedTime", stack.LastUpdatedTime);
        WriteTime(xml, "DeletionTime", stack.DeletionTime);
        xml.WriteElementString("StackStatus", stack.Status);
        TemplateXml.WriteOptional(xml, "StackStatusReason", stack.StatusReason);
        xml.WriteEndElement();
    }

    public static void WriteEvent(XmlWriter xml, StackRecord stack, StackEvent stackEvent)
    {
        xml.WriteStartElement("member");
        xml.WriteElementString("StackId", stack.StackId);
        xml.WriteElementString("EventId", stackEvent.EventId);
        xml.WriteElementString("StackName", stack.StackName);
        xml.WriteElementString("LogicalResourceId", stackEvent.LogicalResourceId);
        TemplateXml.WriteOptional(xml, "PhysicalResourceId", stackEvent.PhysicalResourceId);
        xml.WriteElementString("ResourceType", stackEvent.ResourceType);
        xml.WriteElementString("Timestamp", AwsTimestamp.ToIso8601Milliseconds(stackEvent.Timestamp));
        xml.WriteElementString("ResourceStatus", stackEvent.ResourceStatus);
        TemplateXml.WriteOptional(xml, "ResourceStatusReason", stackEvent.ResourceStatusReason);
        xml.WriteEndElement();
    }

    /// <summary>A resource as DescribeStackResources (<paramref name="element"/> <c>member</c>) or DescribeStackResource (<c>StackResourceDetail</c>) shows it.</summary>
    public static void WriteResource(XmlWriter xml, StackRecord stack, StackResourceRecord resource, string element)
    {
        xml.WriteStartElement(element);
        xml.WriteElementString("StackName", stack.StackName);
        xml.WriteElementString("StackId", stack.StackId);
        xml.WriteElementString("LogicalResourceId", resource.LogicalId);
        TemplateXml.WriteOptional(xml, "PhysicalResourceId", resource.PhysicalId);
        xml.WriteElementString("ResourceType", resource.ResourceType);
        xml.WriteElementString(element == "member" ? "Timestamp" : "LastUpdatedTimestamp", AwsTimestamp.ToIso8601Milliseconds(resource.LastUpdated));
        xml.WriteElementString("ResourceStatus", resource.Status);
        TemplateXml.WriteOptional(xml, "ResourceStatusReason", resource.StatusReason);
        xml.WriteStartElement("DriftInformation");
        xml.WriteElementString("StackResourceDriftStatus", "NOT_CHECKED");
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    public static void WriteResourceSummary(XmlWriter xml, StackResourceRecord resource)
    {
        xml.WriteStartElement("member");
        xml.WriteElementString("LogicalResourceId", resource.LogicalId);
        TemplateXml.WriteOptional(xml, "PhysicalResourceId", resource.PhysicalId);
        xml.WriteElementString("ResourceType", resource.ResourceType);
        xml.WriteElementString("LastUpdatedTimestamp", AwsTimestamp.ToIso8601Milliseconds(resource.LastUpdated));
        xml.WriteElementString("ResourceStatus", resource.Status);
        TemplateXml.WriteOptional(xml, "ResourceStatusReason", resource.StatusReason);
        xml.WriteEndElement();
    }

    private static void WriteTime(XmlWriter xml, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            xml.WriteElementString(name, AwsTimestamp.ToIso8601Milliseconds(value));
        }
    }
}
