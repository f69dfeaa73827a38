using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Tap.Function.Tests;

/// <summary>The Function in-process, with a controllable clock.</summary>
public sealed class FunctionFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 34, 56, 789, TimeSpan.Zero);

    public TimeProvider Clock { get; init; } = new FakeTimeProvider(Now);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureTestServices(services => services.AddSingleton(Clock));
    }
}
