using Amazon.SecretsManager;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Tap.Testing;

namespace Tap.Function.Tests;

/// <summary>The Function in-process under Kestrel semantics, with a controllable clock and Secrets Manager.</summary>
public sealed class FunctionFactory : WebApplicationFactory<Program>
{
    public static readonly string SecretId = Tap.Definition.TapApplication.Secret.Name;
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 34, 56, 789, TimeSpan.Zero);

    public TimeProvider Clock { get; init; } = new FakeTimeProvider(Now);

    public FakeSecretsManager SecretsManager { get; } = new();

    /// <summary>The SECRET_ID setting; <see langword="null"/> leaves it unset.</summary>
    public string? SecretIdSetting { get; init; } = SecretId;

    public FakeLogCollector Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("SECRET_ID", SecretIdSetting);
        builder.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(Logs)));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Clock);
            services.AddSingleton<IAmazonSecretsManager>(SecretsManager);
        });
    }
}
