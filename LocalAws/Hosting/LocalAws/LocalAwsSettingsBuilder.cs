using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;
using Tap.Aws.Protocol;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Hosting;

/// <summary>LocalAws's settings from the app model: its principals, the Lambda functions it serves and the HTTP APIs.</summary>
internal static class LocalAwsSettingsBuilder
{
    public const string AdminUserName = "admin";

    /// <summary>A deployed API's port in the settings model until its endpoint's port replaces it in the environment.</summary>
    internal const int DeployedApiPortPlaceholder = 1;

    private static readonly string AllowAll = new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject { ["Effect"] = "Allow", ["Action"] = "*", ["Resource"] = "*" }),
    }.ToJsonString();

    public static async Task<LocalAwsSettings> BuildAsync(LocalAwsResource localAws, IEnumerable<IResource> resources, CancellationToken cancellationToken)
    {
        var functions = resources.OfType<LambdaProjectResource>()
            .Select(f => (Function: f, Settings: f.Annotations.OfType<LocalAwsFunctionAnnotation>().SingleOrDefault()))
            .Where(f => f.Settings?.LocalAws == localAws)
            .Select(f => (f.Function, Settings: f.Settings!))
            .ToList();

        var admin = await localAws.GetAdminCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var principals = new List<LocalAwsPrincipalSettings>
        {
            new(AdminUserName, localAws.IamArn("user/" + AdminUserName))
            {
                AccessKeyId = admin.AccessKey,
                SecretAccessKey = admin.SecretKey,
                Policies = [AllowAll],
            },
        };

        foreach (var principal in localAws.Annotations.OfType<IamPrincipalAnnotation>())
        {
            principals.Add(new(principal.Name, principal.Arn(localAws))
            {
                AccessKeyId = principal.AccessKey is { } key ? await key.AccessKeyId.Resource.GetValueAsync(cancellationToken).ConfigureAwait(false) : null,
                SecretAccessKey = principal.AccessKey is { } secret ? await secret.SecretAccessKey.Resource.GetValueAsync(cancellationToken).ConfigureAwait(false) : null,
                AssumeRolePolicyDocument = principal.TrustPolicy is { } trust ? await trust(localAws, cancellationToken).ConfigureAwait(false) : null,
                Policies = await PoliciesAsync(principal.Policies, localAws, cancellationToken).ConfigureAwait(false),
                ManagedPolicyArns = principal.ManagedPolicyArns,
            });
        }

        // Each function's execution role: its grants, and credentials through the container credentials endpoint. A
        // deployed function's role is its stack's.
        foreach (var (_, function) in functions.Where(f => !f.Settings.IsDeployed))
        {
            principals.Add(new(function.RoleName, localAws.IamArn("role/" + function.RoleName))
            {
                ContainerCredentialsToken = function.CredentialsToken,
                MaxSessionDuration = AwsLimits.MaxRoleSessionDurationSeconds,
                Policies = await PoliciesAsync(function.RolePolicies, localAws, cancellationToken).ConfigureAwait(false),
            });
        }

        var apis = resources.OfType<APIGatewayEmulatorResource>()
            .Select(api => (Api: api, Settings: api.Annotations.OfType<LocalAwsHttpApiAnnotation>().SingleOrDefault()))
            .Where(api => api.Settings?.LocalAws == localAws)
            .Select(api => (api.Api, Settings: api.Settings!))
            .ToList();
        var defaults = new LocalAwsSettings();
        return new LocalAwsSettings
        {
            AccountId = localAws.AccountId,
            Region = localAws.Region,
            DataDirectory = localAws.DataDirectory,
            S3MaxObjectMegabytes = localAws.S3MaxObjectMegabytes ?? defaults.S3MaxObjectMegabytes,
            S3MaxStorageMegabytes = localAws.S3MaxStorageMegabytes ?? defaults.S3MaxStorageMegabytes,
            Principals = principals,
            Functions =
            [
                .. functions.Where(f => !f.Settings.IsDeployed).Select(f => FunctionSettings(f.Function, localAws.IamArn("role/" + f.Settings.RoleName))),
            ],
            HostedFunctions =
            [
                .. functions.Where(f => f.Settings.IsDeployed).Select(f => new LocalAwsHostedFunctionSettings(f.Settings.FunctionName) { CredentialsToken = f.Settings.CredentialsToken, ServiceName = f.Function.Name }),
            ],
            // A deployed API's port is set apart, as it is known only when the process starts.
            ApiPorts = [.. apis.Where(api => api.Settings.DeployedUrl is not null).Select(api => new LocalAwsApiPortSettings(api.Api.Name, DeployedApiPortPlaceholder))],
            HttpApis = [.. apis.Where(api => api.Settings.DeployedUrl is null).Select(api => HttpApi(api.Api, api.Settings))],
        };
    }

    private static async Task<IReadOnlyList<string>> PoliciesAsync(IEnumerable<IamPolicy> policies, LocalAwsResource localAws, CancellationToken cancellationToken)
    {
        var documents = new List<string>();
        foreach (var policy in policies)
        {
            documents.Add(await policy(localAws, cancellationToken).ConfigureAwait(false));
        }

        return documents;
    }

    private static LocalAwsFunctionSettings FunctionSettings(LambdaProjectResource function, string roleArn)
    {
        var configuration = function.GetLambdaConfiguration();
        return new LocalAwsFunctionSettings(function.Name, roleArn)
        {
            MemorySize = configuration.MemorySize,
            Timeout = configuration.Timeout is { } timeout ? (int)timeout.TotalSeconds : null,
            LogFormat = configuration.LogFormat,
        };
    }

    /// <summary>
    /// The API's settings; its URL is set apart, as the port is known only when the process starts. It listens once
    /// its functions, which the AppHost starts after LocalAws, have started.
    /// </summary>
    private static LocalAwsHttpApiSettings HttpApi(APIGatewayEmulatorResource api, LocalAwsHttpApiAnnotation settings)
    {
        var routes = api.Annotations.OfType<APIGatewayRouteAnnotation>()
            .Select(route => new LocalAwsRouteSettings(route.RouteKey, route.Function.Name) { AuthorizationType = settings.AuthorizationType });
        return new LocalAwsHttpApiSettings(api.Name, [.. routes])
        {
            ApiId = settings.ApiId,
            Stage = settings.Stage,
            Throttle = settings.Throttle,
            Cors = settings.Cors,
            AccessLogFormat = settings.AccessLogFormat,
            DetailedMetricsEnabled = settings.DetailedMetrics ? true : null,
            WaitForFunctions = true,
        };
    }
}
