using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>LocalAws processes configured with the test principals, its admin among them.</summary>
public static class TestLocalAws
{
    /// <inheritdoc cref="LocalAwsProcess(Amazon.Runtime.ImmutableCredentials, IReadOnlyDictionary{string, string?}, bool, string?, bool)"/>
    /// <param name="settings">Configuration on top of the test principals (functions, say).</param>
    public static LocalAwsProcess Process(bool durable = false, string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null, bool https = false)
    {
        var merged = TestPrincipals.Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return new(TestPrincipals.Admin, merged, durable, dataDirectory, https);
    }
}

/// <summary>One LocalAws process shared by the tests that drive it with real clients.</summary>
#pragma warning disable CA1001 // xunit disposes fixtures through IAsyncLifetime.DisposeAsync.
public sealed class LocalAwsProcessFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly LocalAwsProcess _process = TestLocalAws.Process();

    public Uri Endpoint => _process.Endpoint;

    public async ValueTask InitializeAsync() => await _process.StartAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LocalAwsProcessCollectionDefinition : ICollectionFixture<LocalAwsProcessFixture>
{
    public const string Name = "LocalAws process";
}
