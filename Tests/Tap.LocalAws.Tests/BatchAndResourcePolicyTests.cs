using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>BatchGetSecretValue with per-secret errors; resource policies evaluated with identity policies.</summary>
public sealed class BatchAndResourcePolicyTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private readonly IAmazonSecretsManager _admin = factory.SecretsManager(TestPrincipals.Admin);
    private readonly IAmazonSecretsManager _reader = factory.SecretsManager(TestPrincipals.Reader);
    private readonly IAmazonSecretsManager _restricted = factory.SecretsManager(TestPrincipals.Restricted);

    private async Task<CreateSecretResponse> CreateAsync(string prefix, string value = "v") =>
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = $"{prefix}/{Guid.NewGuid():N}", SecretString = value });

    private static string Policy(string effect, string principal, string action = "secretsmanager:GetSecretValue") => $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Principal":{"AWS":"{{principal}}"},"Action":"{{action}}","Resource":"*"}]}
        """;

    [Fact]
    public async Task BatchGetSecretValue_by_ids_returns_values_and_per_secret_errors()
    {
        var a = await CreateAsync("batch", "a");
        var b = await CreateAsync("batch", "b");

        var result = await _admin.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = [a.Name!, b.ARN!, "batch/missing"] }, TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b"], result.SecretValues!.Select(v => v.SecretString));
        var error = Assert.Single(result.Errors!);
        Assert.Equal(("batch/missing", "ResourceNotFoundException"), (error.SecretId, error.ErrorCode));
    }

    [Fact]
    public async Task BatchGetSecretValue_by_filters_pages_through_matches()
    {
        var prefix = $"batchf/{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++)
        {
            await _admin.CreateSecretAsync(new CreateSecretRequest { Name = $"{prefix}/{i}", SecretString = $"{i}" }, TestContext.Current.CancellationToken);
        }

        var first = await _admin.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { Filters = [new Filter { Key = "name", Values = [prefix] }], MaxResults = 2 }, TestContext.Current.CancellationToken);
        var second = await _admin.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { Filters = [new Filter { Key = "name", Values = [prefix] }], MaxResults = 2, NextToken = first.NextToken }, TestContext.Current.CancellationToken);

        Assert.Equal(["0", "1", "2"], first.SecretValues!.Concat(second.SecretValues!).Select(v => v.SecretString));
        Assert.Null(second.NextToken);
    }

    [Fact]
    public async Task BatchGetSecretValue_rejects_ids_and_filters_together()
    {
        await Assert.ThrowsAsync<InvalidParameterException>(() => _admin.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = ["x"], Filters = [new Filter { Key = "name", Values = ["x"] }] }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_resource_policy_can_grant_a_reader_another_secret()
    {
        var secret = await CreateAsync("shared");
        await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.ARN }, TestContext.Current.CancellationToken));

        await _admin.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = secret.ARN, ResourcePolicy = Policy("Allow", "arn:aws:iam::000000000000:user/reader") }, TestContext.Current.CancellationToken);

        Assert.Equal("v", (await _reader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.ARN }, TestContext.Current.CancellationToken)).SecretString);
        // BatchGetSecretValue needs its own identity permission, which the reader lacks.
        await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = [secret.ARN!] }, TestContext.Current.CancellationToken));

        await _admin.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { SecretId = secret.ARN }, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<AccessDeniedException>(() => _reader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.ARN }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_explicit_deny_in_a_resource_policy_beats_an_identity_allow_all()
    {
        var secret = await CreateAsync("fenced");
        await _admin.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = secret.ARN, ResourcePolicy = Policy("Deny", "arn:aws:iam::000000000000:user/restricted") }, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => _restricted.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.ARN }, TestContext.Current.CancellationToken));

        Assert.EndsWith("with an explicit deny in a resource-based policy", ex.Message, StringComparison.Ordinal);
        Assert.Equal("v", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.ARN }, TestContext.Current.CancellationToken)).SecretString);
    }

    [Fact]
    public async Task GetResourcePolicy_returns_the_policy_as_written()
    {
        var secret = await CreateAsync("policy");
        var policy = Policy("Allow", "arn:aws:iam::000000000000:role/api-handler-role");

        await _admin.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = secret.Name, ResourcePolicy = policy }, TestContext.Current.CancellationToken);

        Assert.Equal(policy, (await _admin.GetResourcePolicyAsync(new GetResourcePolicyRequest { SecretId = secret.Name }, TestContext.Current.CancellationToken)).ResourcePolicy);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")]
    public async Task Malformed_resource_policies_are_refused(string policy)
    {
        var secret = await CreateAsync("malformed");

        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() =>
            _admin.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = secret.Name, ResourcePolicy = policy }, TestContext.Current.CancellationToken));
        var validation = await _admin.ValidateResourcePolicyAsync(new ValidateResourcePolicyRequest { ResourcePolicy = policy }, TestContext.Current.CancellationToken);
        Assert.False(validation.PolicyValidationPassed);
        Assert.Null((await _admin.GetResourcePolicyAsync(new GetResourcePolicyRequest { SecretId = secret.Name }, TestContext.Current.CancellationToken)).ResourcePolicy);
    }

    [Fact]
    public async Task BlockPublicPolicy_refuses_a_policy_open_to_everyone()
    {
        var secret = await CreateAsync("public");
        var open = Policy("Allow", "*");

        await Assert.ThrowsAsync<PublicPolicyException>(() =>
            _admin.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = secret.Name, ResourcePolicy = open, BlockPublicPolicy = true }, TestContext.Current.CancellationToken));
        var validation = await _admin.ValidateResourcePolicyAsync(new ValidateResourcePolicyRequest { SecretId = secret.Name, ResourcePolicy = open }, TestContext.Current.CancellationToken);
        var passing = await _admin.ValidateResourcePolicyAsync(new ValidateResourcePolicyRequest { ResourcePolicy = Policy("Allow", "arn:aws:iam::000000000000:user/reader") }, TestContext.Current.CancellationToken);

        Assert.False(validation.PolicyValidationPassed);
        Assert.True(passing.PolicyValidationPassed);
    }
}
