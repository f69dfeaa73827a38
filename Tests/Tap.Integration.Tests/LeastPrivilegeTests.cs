using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Tap.Definition;

namespace Tap.Integration.Tests;

/// <summary>The Function reads its secret as its execution role, through LocalAws's container credentials endpoint.</summary>
[Trait("Category", "Process")]
[Collection(TapAppCollectionDefinition.Name)]
public sealed class LeastPrivilegeTests(TapAppFixture fixture)
{
    [Fact]
    public async Task The_secret_is_read_by_the_functions_role_session()
    {
        using (var client = fixture.CreateFunctionClient())
        {
            (await client.GetAsync(new Uri("/", UriKind.Relative))).Dispose();
        }

        var expected = $"Secrets Manager.GetSecretValue by arn:aws:sts::000000000000:assumed-role/{TapApplication.FunctionRole.Name}/";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        string? line = null;
        var localAws = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "localaws");
        await foreach (var batch in logs.WatchAsync(localAws).WithCancellation(timeout.Token))
        {
            line = batch.Select(l => l.Content).FirstOrDefault(c => c.Contains(expected, StringComparison.Ordinal));
            if (line is not null)
            {
                break;
            }
        }

        Assert.NotNull(line);
        Assert.Contains($"secret:{TapApplication.Secret.Name}-", line, StringComparison.Ordinal);
        Assert.EndsWith(": Success", line.TrimEnd(), StringComparison.Ordinal);
    }
}
