using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>IAM decides: a call the policy does not allow is denied with AWS's message.</summary>
public sealed class AuthorizationTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>, IAsyncLifetime
{
    private readonly IAmazonSecretsManager _admin = factory.SecretsManager(TestPrincipals.Admin);
    private readonly IAmazonSecretsManager _reader = factory.SecretsManager(TestPrincipals.Reader);
    private readonly IAmazonSecretsManager _restricted = factory.SecretsManager(TestPrincipals.Restricted);

    public async ValueTask InitializeAsync()
    {
        try
        {
            await _admin.CreateSecretAsync(new CreateSecretRequest { Name = TestPrincipals.ConfigSecretName, SecretString = """{"API_KEY":"k"}""" });
        }
        catch (ResourceExistsException)
        {
            // Another test class in this fixture created it first.
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_reader_may_read_the_one_secret_its_policy_names()
    {
        var value = await _reader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = TestPrincipals.ConfigSecretName }, TestContext.Current.CancellationToken);

        Assert.Equal("""{"API_KEY":"k"}""", value.SecretString);
    }

    [Fact]
    public async Task A_reader_is_denied_other_secrets_with_AWS_message()
    {
        var other = $"other/{Guid.NewGuid():N}";
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = other, SecretString = "x" }, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = other }, TestContext.Current.CancellationToken));

        Assert.Equal(
            $"User: arn:aws:iam::000000000000:user/reader is not authorized to perform: secretsmanager:GetSecretValue on resource: {other} " +
            "because no identity-based policy allows the secretsmanager:GetSecretValue action",
            ex.Message);
    }

    [Fact]
    public async Task A_reader_cannot_learn_whether_a_secret_exists()
    {
        var existing = $"exists/{Guid.NewGuid():N}";
        var arn = (await _admin.CreateSecretAsync(new CreateSecretRequest { Name = existing, SecretString = "x" }, TestContext.Current.CancellationToken)).ARN!;
        var missing = $"exists/{Guid.NewGuid():N}";

        var deniedExisting = await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.DescribeSecretAsync(new DescribeSecretRequest { SecretId = existing }, TestContext.Current.CancellationToken));
        var deniedMissing = await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.DescribeSecretAsync(new DescribeSecretRequest { SecretId = missing }, TestContext.Current.CancellationToken));

        // The same words either way, naming the secret as asked: the random ARN suffix never leaks.
        Assert.Equal(deniedMissing.Message.Replace(missing, existing, StringComparison.Ordinal), deniedExisting.Message);
        Assert.DoesNotContain(arn, deniedExisting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_cannot_write_list_or_delete()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.PutSecretValueAsync(new PutSecretValueRequest { SecretId = TestPrincipals.ConfigSecretName, SecretString = "evil" }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.ListSecretsAsync(new ListSecretsRequest(), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.DeleteSecretAsync(new DeleteSecretRequest { SecretId = TestPrincipals.ConfigSecretName, ForceDeleteWithoutRecovery = true }, TestContext.Current.CancellationToken));

        Assert.Equal("""{"API_KEY":"k"}""", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = TestPrincipals.ConfigSecretName }, TestContext.Current.CancellationToken)).SecretString);
    }

    [Fact]
    public async Task An_explicit_deny_beats_an_allow_all()
    {
        var name = $"restricted/{Guid.NewGuid():N}";
        await _restricted.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "x" }, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => _restricted.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name }, TestContext.Current.CancellationToken));

        Assert.EndsWith("with an explicit deny in an identity-based policy", ex.Message, StringComparison.Ordinal);
    }
}
