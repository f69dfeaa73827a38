using System.Security.Cryptography;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// The secrets of the emulated account, in memory. Every read-modify-write runs under one lock, so concurrent
/// writers see Secrets Manager's semantics (no lost versions, idempotent tokens).
/// </summary>
public sealed class SecretStore(string accountId, string region)
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, SecretRecord> _byArn = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string AccountId => accountId;

    public string Region => region;

    /// <summary>Runs <paramref name="operation"/> with exclusive access to the store.</summary>
    public T Execute<T>(Func<SecretStore, T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (_gate)
        {
            return operation(this);
        }
    }

    /// <summary>The ARN a new secret of this name gets: AWS appends a hyphen and 6 random characters.</summary>
    public string NewArn(string name) =>
        $"{ArnPrefix}{name}-{RandomNumberGenerator.GetString(SuffixAlphabet, 6)}";

    /// <summary>The ARN pattern IAM grants use before the suffix is known: <c>…:secret:{name}-??????</c>.</summary>
    public string ArnFor(string secretId) => secretId.StartsWith("arn:", StringComparison.Ordinal) ? secretId : ArnPrefix + secretId;

    public IEnumerable<SecretRecord> All => _byArn.Values;

    public SecretRecord? FindByName(string name) => _byArn.Values.FirstOrDefault(s => s.Name == name);

    /// <summary>Finds a secret by name, full ARN, or partial ARN (the ARN without its random suffix).</summary>
    public SecretRecord? Find(string secretId)
    {
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return FindByName(secretId);
        }

        return _byArn.TryGetValue(secretId, out var exact)
            ? exact
            : _byArn.Values.FirstOrDefault(s => s.Arn.Length == secretId.Length + 7 && s.Arn.StartsWith(secretId + "-", StringComparison.Ordinal));
    }

    public SecretRecord Get(string secretId) =>
        Find(secretId) ?? throw AwsServiceException.Json("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

    public void Add(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _byArn.Add(secret.Arn, secret);
    }

    public void Remove(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _byArn.Remove(secret.Arn);
    }

    private string ArnPrefix => $"arn:aws:secretsmanager:{region}:{accountId}:secret:";
}
