using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Tests;

/// <summary>LocalAws refuses to start rather than run weaker than AWS, or beside another LocalAws on the same data.</summary>
public sealed class StartupSafetyTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("localaws-start-").FullName;

    [Fact]
    public void An_empty_container_credentials_token_stops_the_start_naming_the_setting()
    {
        var tokenSetting = TestPrincipals.Settings().Single(setting => setting.Value == TestPrincipals.RoleToken).Key;
        using var localAws = new LocalAwsFactory { Settings = new Dictionary<string, string?> { [tokenSetting] = string.Empty } };

        var ex = Assert.Throws<InvalidOperationException>(() => localAws.CreateClient());

        Assert.Contains($"{tokenSetting} must be at least 16 characters", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LocalAws:AccountId", "12345", "LocalAws:AccountId must be 12 digits")]
    [InlineData("LocalAws:Region", "Mars", "LocalAws:Region must be a region name")]
    public void A_malformed_account_or_region_stops_the_start(string setting, string value, string expected)
    {
        using var localAws = new LocalAwsFactory { Settings = new Dictionary<string, string?> { [setting] = value } };

        var ex = Assert.ThrowsAny<Exception>(() => localAws.CreateClient());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_LocalAws_on_the_same_data_directory_refuses_to_start()
    {
        using var first = new LocalAwsFactory { DataDirectory = _dataDirectory };
        first.CreateClient().Dispose();

        using var second = new LocalAwsFactory { DataDirectory = _dataDirectory };
        var ex = Assert.Throws<LocalAwsStoreInUseException>(() => second.CreateClient());

        Assert.Contains("is in use by another LocalAws process", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_directory_is_free_again_once_LocalAws_stops()
    {
        using (var first = new LocalAwsFactory { DataDirectory = _dataDirectory })
        {
            first.CreateClient().Dispose();
        }

        using var second = new LocalAwsFactory { DataDirectory = _dataDirectory };
        second.CreateClient().Dispose();
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}
