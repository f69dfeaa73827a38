using System.Xml;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Iam.Entities;

/// <summary>Roles, users, policies and keys in IAM's Query shapes; policy documents URL-encoded, as IAM returns them.</summary>
internal static class IamXml
{
    public static void WriteRole(XmlWriter xml, IamRole role, string element = "Role")
    {
        xml.WriteStartElement(element);
        xml.WriteElementString("Path", role.Path);
        xml.WriteElementString("RoleName", role.Name);
        xml.WriteElementString("RoleId", role.RoleId);
        xml.WriteElementString("Arn", role.Arn);
        xml.WriteElementString("CreateDate", AwsTimestamp.ToIso8601(role.CreateDate));
        xml.WriteElementString("AssumeRolePolicyDocument", Uri.EscapeDataString(role.TrustPolicy));
        if (role.Description is { } description)
        {
            xml.WriteElementString("Description", description);
        }

        xml.WriteElementString("MaxSessionDuration", role.MaxSessionDuration.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WriteTags(xml, role.Tags);
        xml.WriteEndElement();
    }

    public static void WriteUser(XmlWriter xml, string path, string name, string userId, string arn, DateTimeOffset created, IReadOnlyDictionary<string, string> tags)
    {
        xml.WriteStartElement("User");
        xml.WriteElementString("Path", path);
        xml.WriteElementString("UserName", name);
        xml.WriteElementString("UserId", userId);
        xml.WriteElementString("Arn", arn);
        xml.WriteElementString("CreateDate", AwsTimestamp.ToIso8601(created));
        WriteTags(xml, tags);
        xml.WriteEndElement();
    }

    public static void WritePolicy(XmlWriter xml, ManagedPolicy policy, int attachments)
    {
        xml.WriteStartElement("Policy");
        xml.WriteElementString("PolicyName", policy.Name);
        xml.WriteElementString("PolicyId", policy.PolicyId);
        xml.WriteElementString("Arn", policy.Arn);
        xml.WriteElementString("Path", policy.Path);
        xml.WriteElementString("DefaultVersionId", policy.DefaultVersionId);
        xml.WriteElementString("AttachmentCount", attachments.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteElementString("PermissionsBoundaryUsageCount", "0");
        xml.WriteElementString("IsAttachable", "true");
        if (policy.Description is { } description)
        {
            xml.WriteElementString("Description", description);
        }

        xml.WriteElementString("CreateDate", AwsTimestamp.ToIso8601(policy.CreateDate));
        xml.WriteElementString("UpdateDate", AwsTimestamp.ToIso8601(policy.UpdateDate));
        xml.WriteEndElement();
    }

    public static void WritePolicyVersion(XmlWriter xml, PolicyVersion version, bool isDefault)
    {
        xml.WriteStartElement("PolicyVersion");
        xml.WriteElementString("Document", Uri.EscapeDataString(version.Document));
        xml.WriteElementString("VersionId", version.VersionId);
        xml.WriteElementString("IsDefaultVersion", isDefault ? "true" : "false");
        xml.WriteElementString("CreateDate", AwsTimestamp.ToIso8601(version.CreateDate));
        xml.WriteEndElement();
    }

    public static void WriteAccessKey(XmlWriter xml, string userName, IamAccessKey key)
    {
        xml.WriteStartElement("AccessKey");
        xml.WriteElementString("UserName", userName);
        xml.WriteElementString("AccessKeyId", key.AccessKeyId);
        xml.WriteElementString("Status", key.Status);
        xml.WriteElementString("SecretAccessKey", key.SecretAccessKey);
        xml.WriteElementString("CreateDate", AwsTimestamp.ToIso8601(key.CreateDate));
        xml.WriteEndElement();
    }

    /// <summary>A list IAM pages (LocalAws answers every item at once).</summary>
    public static void WriteList<T>(XmlWriter xml, string name, IEnumerable<T> items, Action<T> write)
    {
        xml.WriteStartElement(name);
        foreach (var item in items)
        {
            write(item);
        }

        xml.WriteEndElement();
        xml.WriteElementString("IsTruncated", "false");
    }

    /// <summary>IAM leaves <c>Tags</c> out of an entity that has none.</summary>
    private static void WriteTags(XmlWriter xml, IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count > 0)
        {
            QueryProtocol.WriteTags(xml, tags);
        }
    }
}
