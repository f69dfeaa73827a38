using System.Security.Cryptography;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;
using Tap.Aws.Protocol;
using Tap.Definition;
using Tap.LocalAws.Configuration;

namespace Tap.AppHost;

/// <summary>
/// Wires LocalAws into the app model: generated credentials (secret parameters kept in user secrets, never
/// committed), the IAM principals, durable state under <c>.localaws/</c>, and the app's secret,
/// provisioned once LocalAws is healthy.
/// </summary>
internal static class LocalAwsResourceExtensions
{
    public const string AccountId = "000000000000";
    public const string Region = "us-east-1";
    private const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public sealed record LocalAwsCredentials(
        IResourceBuilder<ParameterResource> AdminKeyId,
        IResourceBuilder<ParameterResource> AdminSecret,
        IResourceBuilder<ParameterResource> RoleToken);

    public static LocalAwsCredentials AddLocalAwsCredentials(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("localaws-admin-key-id", new GenerateParameterDefault { MinLength = 16, Lower = false, Special = false }, secret: true, persist: true),
        builder.AddParameter("localaws-admin-secret", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true),
        builder.AddParameter("localaws-role-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true));

    /// <summary>The account and its principals: an admin the AppHost provisions with, and the function's execution role.</summary>
    public static IResourceBuilder<ProjectResource> WithPrincipals(this IResourceBuilder<ProjectResource> localAws, LocalAwsCredentials credentials)
    {
        var role = TapApplication.FunctionRole;
        var rolePolicy = role.SecretPolicy(TapApplication.Secret, Region, AccountId);

        return localAws.WithEnvironment(async context =>
        {
            var settings = new LocalAwsSettings
            {
                AccountId = AccountId,
                Region = Region,
                Principals =
                [
                    new LocalAwsPrincipalSettings("admin", $"arn:aws:iam::{AccountId}:user/admin")
                    {
                        AccessKeyId = "AKIA" + await credentials.AdminKeyId.Resource.GetValueAsync(context.CancellationToken),
                        SecretAccessKey = await credentials.AdminSecret.Resource.GetValueAsync(context.CancellationToken),
                        Policies = [AllowAll],
                    },
                    new LocalAwsPrincipalSettings(role.Name, RoleArn(role))
                    {
                        ContainerCredentialsToken = await credentials.RoleToken.Resource.GetValueAsync(context.CancellationToken),
                        MaxSessionDuration = AwsLimits.MaxRoleSessionDurationSeconds,
                        Policies = [rolePolicy],
                    },
                ],
            };
            foreach (var (name, value) in settings.ToEnvironmentVariables())
            {
                context.EnvironmentVariables[name] = value;
            }
        });
    }

    /// <summary>The function runs as its role, through the container credentials endpoint, as the AWS SDKs do.</summary>
    public static IResourceBuilder<ProjectResource> WithLocalAwsRole(
        this IResourceBuilder<ProjectResource> function, IResourceBuilder<ProjectResource> localAws, LocalAwsCredentials credentials)
    {
        var endpoint = localAws.GetEndpoint("http");
        return function
            .WithEnvironment("AWS_REGION", Region)
            .WithEnvironment(AwsServiceMetadata.SecretsManager.EndpointVariable, endpoint)
            .WithEnvironment("AWS_CONTAINER_CREDENTIALS_FULL_URI", ReferenceExpression.Create(
                $"http://127.0.0.1:{endpoint.Property(EndpointProperty.Port)}/_localaws/container-credentials/{TapApplication.FunctionRole.Name}"))
            .WithEnvironment("AWS_CONTAINER_AUTHORIZATION_TOKEN", credentials.RoleToken)
            .WithEnvironment("AWS_EC2_METADATA_DISABLED", "true");
    }

    /// <summary>Creates the app's secret (its keys with random values) once LocalAws is healthy, unless it exists.</summary>
    public static IResourceBuilder<ProjectResource> WithProvisionedSecret(this IResourceBuilder<ProjectResource> localAws, LocalAwsCredentials credentials)
    {
        localAws.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(localAws.Resource, async (_, cancellationToken) =>
        {
            var keyId = "AKIA" + await credentials.AdminKeyId.Resource.GetValueAsync(cancellationToken);
            var secret = await credentials.AdminSecret.Resource.GetValueAsync(cancellationToken);
            using var client = new AmazonSecretsManagerClient(
                new BasicAWSCredentials(keyId, secret),
                new AmazonSecretsManagerConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(Region), ServiceURL = localAws.GetEndpoint("http").Url });
            var values = TapApplication.Secret.Keys.ToDictionary(key => key, _ => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32));
            try
            {
                await client.CreateSecretAsync(
                    new CreateSecretRequest { Name = TapApplication.Secret.Name, SecretString = JsonSerializer.Serialize(values) }, cancellationToken);
            }
            catch (ResourceExistsException)
            {
                // Kept from an earlier run in .localaws/: leave it as it is.
            }
        });
        return localAws;
    }

    private static string RoleArn(RoleDefinition role) => $"arn:aws:iam::{AccountId}:role/{role.Name}";
}
