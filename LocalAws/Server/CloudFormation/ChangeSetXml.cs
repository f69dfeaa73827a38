using System.Xml;
using Tap.Aws.Protocol;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudFormation;

/// <summary>Change sets in CloudFormation's Query shapes (DescribeChangeSet, ListChangeSets); <c>NoEcho</c> values masked.</summary>
internal static class ChangeSetXml
{
    public static void WriteDescription(XmlWriter xml, StackRecord stack, ChangeSetRecord changeSet)
    {
        WriteIdentity(xml, stack, changeSet);
        StackXml.WriteParameters(xml, changeSet.Parameters, changeSet.ResolvedParameters, changeSet.NoEchoParameters);
        xml.WriteElementString("NotificationARNs", string.Empty);
        WriteMembers(xml, "Capabilities", changeSet.Capabilities);
        QueryProtocol.WriteTags(xml, changeSet.Tags);
        xml.WriteStartElement("Changes");
        foreach (var change in changeSet.Changes)
        {
            WriteChange(xml, change);
        }

        xml.WriteEndElement();
        TemplateXml.WriteOptional(xml, "RoleARN", changeSet.RoleArn);
        xml.WriteElementString("OnStackFailure", changeSet.DisableRollback ? "DO_NOTHING" : "ROLLBACK");
    }

    public static void WriteSummary(XmlWriter xml, StackRecord stack, ChangeSetRecord changeSet)
    {
        xml.WriteStartElement("member");
        WriteIdentity(xml, stack, changeSet);
        xml.WriteEndElement();
    }

    private static void WriteIdentity(XmlWriter xml, StackRecord stack, ChangeSetRecord changeSet)
    {
        xml.WriteElementString("ChangeSetName", changeSet.ChangeSetName);
        xml.WriteElementString("ChangeSetId", changeSet.ChangeSetId);
        xml.WriteElementString("StackId", stack.StackId);
        xml.WriteElementString("StackName", stack.StackName);
        TemplateXml.WriteOptional(xml, "Description", changeSet.Description);
        xml.WriteElementString("CreationTime", AwsTimestamp.ToIso8601Milliseconds(changeSet.CreationTime));
        xml.WriteElementString("ExecutionStatus", changeSet.ExecutionStatus);
        xml.WriteElementString("Status", changeSet.Status);
        TemplateXml.WriteOptional(xml, "StatusReason", changeSet.StatusReason);
        xml.WriteElementString("IncludeNestedStacks", "false");
    }

    private static void WriteChange(XmlWriter xml, ResourceChange change)
    {
        xml.WriteStartElement("member");
        xml.WriteElementString("Type", "Resource");
        xml.WriteStartElement("ResourceChange");
        xml.WriteElementString("Action", change.Action);
        xml.WriteElementString("LogicalResourceId", change.LogicalResourceId);
        TemplateXml.WriteOptional(xml, "PhysicalResourceId", change.PhysicalResourceId);
        xml.WriteElementString("ResourceType", change.ResourceType);
        TemplateXml.WriteOptional(xml, "Replacement", change.Replacement);
        WriteMembers(xml, "Scope", change.Scope);
        xml.WriteStartElement("Details");
        foreach (var detail in change.Details)
        {
            xml.WriteStartElement("member");
            xml.WriteStartElement("Target");
            xml.WriteElementString("Attribute", detail.Attribute);
            xml.WriteElementString("Name", detail.Name);
            xml.WriteElementString("RequiresRecreation", detail.RequiresRecreation);
            xml.WriteEndElement();
            xml.WriteElementString("Evaluation", detail.Evaluation);
            xml.WriteElementString("ChangeSource", detail.ChangeSource);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteMembers(XmlWriter xml, string name, IEnumerable<string> values)
    {
        xml.WriteStartElement(name);
        foreach (var value in values)
        {
            xml.WriteElementString("member", value);
        }

        xml.WriteEndElement();
    }
}
