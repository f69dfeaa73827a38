using System.Xml;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.CloudFormation;

/// <summary>
/// AWS CloudFormation over the Query protocol (<c>Version=2010-05-15</c>), signing name <c>cloudformation</c>. It
/// shares <c>POST /</c> with STS and takes the requests signed for it. Served so far: ValidateTemplate and
/// GetTemplateSummary, over the template engine stack operations use.
/// </summary>
internal sealed class CloudFormationApi(TemplateSource templates) : IAwsServiceApi
{
    private const string ApiVersion = "2010-05-15";

    private static readonly AwsOperation ValidateTemplate = new("ValidateTemplate", "cloudformation:ValidateTemplate", "*");
    private static readonly AwsOperation GetTemplateSummary = new("GetTemplateSummary", "cloudformation:GetTemplateSummary", "*");

    public AwsServiceMetadata Metadata => AwsServiceMetadata.CloudFormation;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [ValidateTemplate, GetTemplateSummary];

    /// <summary>A form-encoded template body of 51,200 bytes grows up to three times when percent-encoded.</summary>
    public int MaxRequestBytes => 4 * TemplateReader.MaxBodyBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Query);

    public bool Accepts(HttpRequest request) => QueryRouting.AcceptsSignedFor(Metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => QueryRouting.Route(request, body, Operations);

    public async Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (parameters, access) = (request.Parameters, request.Access);
        if (parameters.GetValueOrDefault("Version") is { } version && version != ApiVersion)
        {
            throw AwsServiceException.Query(400, "InvalidAction", $"Could not find operation {request.Operation.Name} for version {version}");
        }

        if (request.Operation.IamAction is null)
        {
            throw AwsServiceException.Query(400, "InvalidAction", $"Could not find operation {request.Operation.Name} for version {ApiVersion}");
        }

        access.DemandOperation("*");
        var template = Parse(await templates.ReadAsync(parameters, access, request.Context.RequestAborted));
        await QueryProtocol.WriteAsync(request.Context.Response, Metadata, request.Operation.Name, request.RequestId, xml =>
        {
            if (request.Operation == ValidateTemplate)
            {
                WriteValidation(xml, template);
            }
            else
            {
                WriteSummary(xml, template);
            }
        });
    }

    /// <summary>A template as every operation that takes one checks it: its structure, its references and its dependency order.</summary>
    private static Template Parse(string body)
    {
        try
        {
            var template = Template.Parse(body);
            DependencyGraph.Build(template);
            return template;
        }
        catch (TemplateException ex)
        {
            throw CloudFormationErrors.Validation(ex.Message);
        }
    }

    private static void WriteValidation(XmlWriter xml, Template template)
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

    private static void WriteSummary(XmlWriter xml, Template template)
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

    private static void WriteOptional(XmlWriter xml, string name, string? value)
    {
        if (value is not null)
        {
            xml.WriteElementString(name, value);
        }
    }
}
