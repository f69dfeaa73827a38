using System.Xml;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation;

/// <summary>ValidateTemplate's and GetTemplateSummary's answers: parameters (a <c>NoEcho</c> default masked), description, capabilities, resource types.</summary>
internal static class TemplateXml
{
    public static void WriteValidation(XmlWriter xml, Template template)
    {
        xml.WriteStartElement("Parameters");
        foreach (var parameter in template.Parameters.Values)
        {
            xml.WriteStartElement("member");
            xml.WriteElementString("ParameterKey", parameter.Name);
            WriteOptional(xml, "DefaultValue", Shown(parameter, parameter.Default));
            xml.WriteElementString("NoEcho", parameter.NoEcho ? "true" : "false");
            WriteOptional(xml, "Description", parameter.Description);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        WriteOptional(xml, "Description", template.Description);
        WriteCapabilities(xml, template);
        xml.WriteElementString("DeclaredTransforms", string.Empty);
    }

    public static void WriteSummary(XmlWriter xml, Template template)
    {
        xml.WriteStartElement("Parameters");
        foreach (var parameter in template.Parameters.Values)
        {
            xml.WriteStartElement("member");
            xml.WriteElementString("ParameterKey", parameter.Name);
            WriteOptional(xml, "DefaultValue", Shown(parameter, parameter.Default));
            xml.WriteElementString("ParameterType", parameter.Type);
            xml.WriteElementString("NoEcho", parameter.NoEcho ? "true" : "false");
            WriteOptional(xml, "Description", parameter.Description);
            xml.WriteStartElement("ParameterConstraints");
            if (parameter.AllowedValues is { } allowed)
            {
                xml.WriteStartElement("AllowedValues");
                foreach (var value in allowed)
                {
                    xml.WriteElementString("member", value);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        WriteOptional(xml, "Description", template.Description);
        WriteCapabilities(xml, template);
        xml.WriteStartElement("ResourceTypes");
        foreach (var type in template.Resources.Select(r => r.Type).Distinct())
        {
            xml.WriteElementString("member", type);
        }

        xml.WriteEndElement();
        xml.WriteElementString("Version", "2010-09-09");
        xml.WriteElementString("DeclaredTransforms", string.Empty);
    }

    private static void WriteCapabilities(XmlWriter xml, Template template)
    {
        var (capability, types) = TemplateCapabilities.Required(template);
        xml.WriteStartElement("Capabilities");
        if (capability is not null)
        {
            xml.WriteElementString("member", capability);
        }

        xml.WriteEndElement();
        if (capability is not null)
        {
            xml.WriteElementString("CapabilitiesReason", TemplateCapabilities.Reason(types));
        }
    }

    /// <summary>A parameter's value as answers show it: a <c>NoEcho</c> one masked.</summary>
    private static string? Shown(ParameterDeclaration parameter, string? value) => value is not null && parameter.NoEcho ? ParameterDeclaration.Masked : value;

    internal static void WriteOptional(XmlWriter xml, string name, string? value)
    {
        if (value is not null)
        {
            xml.WriteElementString(name, value);
        }
    }
}
