using System.Text.Json.Nodes;
using Tap.Aws.Errors;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Lambda.Deployment;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::Lambda::Permission</c>: a statement of a function's resource-based policy, added through Lambda's own
/// AddPermission as the stack's principal; Invoke then enforces it (API Gateway may invoke only from a matching
/// <c>SourceArn</c>). Every property is create-only, as in CloudFormation: a change replaces it. <c>Ref</c> is the
/// statement id.
/// </summary>
internal sealed class PermissionProvider(LambdaService lambda, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::Lambda::Permission";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["Action"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["FunctionName"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["Principal"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["SourceArn"] = PropertySchema.Text() with { CreateOnly = true },
        ["SourceAccount"] = PropertySchema.Text() with { CreateOnly = true },
        ["PrincipalOrgID"] = PropertySchema.Text() with { CreateOnly = true },
        ["FunctionUrlAuthType"] = PropertySchema.Text() with { CreateOnly = true },
        ["EventSourceToken"] = PropertySchema.Text() with { CreateOnly = true },
    });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = request.Properties;
        var statementId = request.GeneratedName(maxLength: 100);
        var statement = new FunctionPolicyStatement(statementId, Intrinsics.Text(properties["Action"])!, Intrinsics.Text(properties["Principal"])!)
        {
            SourceArn = Intrinsics.Text(properties["SourceArn"]),
            SourceAccount = Intrinsics.Text(properties["SourceAccount"]),
            PrincipalOrgId = Intrinsics.Text(properties["PrincipalOrgID"]),
            FunctionUrlAuthType = Intrinsics.Text(properties["FunctionUrlAuthType"]),
        };
        lambda.AddPermission(Function(request), statement, LambdaApi.ActingFor("AddPermission", request.Principal, settings.Region));
        return Task.FromResult(new ProvisionedResource(statementId, new Dictionary<string, JsonNode?>()));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(current);

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            lambda.RemovePermission(Function(request), current.PhysicalId, LambdaApi.ActingFor("RemovePermission", request.Principal, settings.Region));
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "ResourceNotFoundException")
        {
            // The function or the statement is gone already: deleting it succeeds.
        }

        return Task.CompletedTask;
    }

    /// <summary>The function's name, from a name, a partial ARN or a full one.</summary>
    private static string Function(ResourceRequest request)
    {
        var named = Intrinsics.Text(request.Properties["FunctionName"])!;
        return FunctionName.Parse(named, qualifierParameter: null)?.Name
            ?? throw new AwsServiceException(new AwsError(400, "ValidationException", $"1 validation error detected: Value '{named}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern"));
    }
}
