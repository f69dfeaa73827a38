using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;
using Tap.Tests.Shared;

namespace Tap.LocalAws.Hosting.Tests;

public sealed class AddLocalAwsTests
{
    [Fact]
    public void One_localaws_serves_the_app()
    {
        var (builder, _) = LocalAwsModel.Create();

        Assert.Throws<InvalidOperationException>(() => builder.AddLocalAws("other"));
    }

    [Fact]
    public void It_is_the_apps_lambda_service_emulator_with_an_aws_endpoint_and_an_unproxied_runtime_api()
    {
        var (builder, localAws) = LocalAwsModel.Create();

        Assert.Same(localAws.Resource, Assert.Single(builder.Resources.OfType<ILambdaServiceEmulatorResource>()));
        var endpoints = localAws.Resource.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.True(endpoints[LocalAwsResource.PrimaryEndpointName].IsProxied);
        Assert.False(endpoints[LocalAwsResource.RuntimeApiEndpointName].IsProxied);
        Assert.Contains(localAws.Resource.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
    }

    [Fact]
    public void It_serves_https_beside_http_with_its_own_ca_not_the_developer_certificate()
    {
        var (_, localAws) = LocalAwsModel.Create();

        var https = Assert.Single(localAws.Resource.Annotations.OfType<EndpointAnnotation>(), e => e.Name == LocalAwsResource.HttpsEndpointName);
        Assert.Equal("https", https.UriScheme);
#pragma warning disable ASPIRECERTIFICATES001 // Evaluation-only API.
        var certificate = Assert.Single(localAws.Resource.Annotations.OfType<HttpsCertificateAnnotation>());
        Assert.False(certificate.UseDeveloperCertificate);
        Assert.Null(certificate.Certificate);
#pragma warning restore ASPIRECERTIFICATES001
        Assert.Null(localAws.Resource.CaCertificatePath);

        localAws.WithDataDirectory("/tmp/localaws-model");
        Assert.Equal("/tmp/localaws-model/tls/ca.pem", localAws.Resource.CaCertificatePath);
    }

    [Fact]
    public async Task It_runs_its_built_program_with_dotnet_on_its_three_kestrel_endpoints()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        builder.AllocateEndpoints(endpoint => endpoint.Name switch { "http" => 4566, "https" => 4567, _ => 9001 });

        var configuration = await ResourceConfiguration.EvaluateAsync(builder.ExecutionContext, localAws.Resource);

        Assert.Equal(("dotnet", "/nonexistent"), (localAws.Resource.Command, localAws.Resource.WorkingDirectory));
        Assert.Equal(["/nonexistent/Tap.LocalAws.dll", "--config"], configuration.Arguments.Select(a => a.Value).Take(2));
        var environment = configuration.EnvironmentVariables.ToDictionary();
        // Target ports: DCP's proxies listen on the allocated ones.
        Assert.Equal("http://localhost:4567;https://localhost:4568;http://localhost:9001", environment["ASPNETCORE_URLS"]);
        // Its own runtimeconfig turns tiered PGO off, however it is started.
        Assert.DoesNotContain("DOTNET_TieredPGO", environment.Keys);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", environment.Keys);
    }

    [Fact]
    public async Task Without_its_program_named_by_the_apphosts_build_it_says_what_is_missing()
    {
        var builder = DistributedApplication.CreateBuilder();
        var localAws = builder.AddLocalAws("localaws");
        builder.AllocateEndpoints(_ => 4566);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ResourceConfiguration.EvaluateAsync(builder.ExecutionContext, localAws.Resource));

        Assert.Null(localAws.Resource.ProgramPath);
        Assert.Contains("OutputItemType=\"LocalAwsProgram\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_admins_key_is_a_pair_of_secret_parameters()
    {
        var (builder, localAws) = LocalAwsModel.Create();

        Assert.True(localAws.Resource.AdminAccessKeyId.Secret);
        Assert.True(localAws.Resource.AdminSecretAccessKey.Secret);
        Assert.Contains(builder.Resources.OfType<ParameterResource>(), p => p.Name == "localaws-admin-secret-access-key");
    }

    [Fact]
    public void A_function_and_an_api_added_after_it_are_served_by_it()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap");
        var api = builder.AddAWSAPIGatewayEmulator("orders", APIGatewayType.HttpV2, new APIGatewayEmulatorOptions { HttpPort = 4000 });

        Assert.True(function.Resource.TryGetLastAnnotation<ResourceRelationshipAnnotation>(out var parent) && parent.Resource == localAws.Resource);
        Assert.Contains(function.Resource.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        var endpoint = Assert.Single(localAws.Resource.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "orders");
        Assert.Equal(4000, endpoint.Port);
        Assert.Matches("^[a-z0-9]{10}$", api.Resource.GetApiId());
    }

    [Fact]
    public async Task The_region_comes_from_the_referenced_sdk_configuration()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        localAws.WithReference(builder.AddAWSSDKConfig().WithRegion("eu-central-1"));

        Assert.Equal("eu-central-1", localAws.Resource.Region);
        Assert.Equal("eu-central-1", (await LocalAwsModel.SettingsAsync(builder, localAws.Resource)).Region);
    }

    [Fact]
    public void The_data_directory_is_resolved_against_the_apphost_and_adds_the_reset_command()
    {
        var (builder, localAws) = LocalAwsModel.Create();

        localAws.WithDataDirectory("state");

        Assert.Equal(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "state")), localAws.Resource.DataDirectory);
        Assert.Contains(localAws.Resource.Annotations.OfType<ResourceCommandAnnotation>(), c => c.DisplayName == "Reset local state");
        Assert.ThrowsAny<ArgumentException>(() => localAws.WithDataDirectory(" "));
    }

    [Fact]
    public async Task S3s_limits_reach_LocalAws_and_default_to_its_own()
    {
        var (plainBuilder, plain) = LocalAwsModel.Create();
        var defaults = await LocalAwsModel.SettingsAsync(plainBuilder, plain.Resource);
        Assert.Equal((5120, 10240), (defaults.S3MaxObjectMegabytes, defaults.S3MaxStorageMegabytes));

        var (builder, localAws) = LocalAwsModel.Create();
        localAws.WithS3Limits(maxObjectMegabytes: 64, maxStorageMegabytes: 512);
        var limited = await LocalAwsModel.SettingsAsync(builder, localAws.Resource);

        Assert.Equal((64, 512), (limited.S3MaxObjectMegabytes, limited.S3MaxStorageMegabytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => localAws.WithS3Limits(0, 512));
        Assert.Throws<ArgumentOutOfRangeException>(() => localAws.WithS3Limits(64, 32));
    }
}
