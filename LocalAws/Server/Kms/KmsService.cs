using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Kms;

/// <summary>
/// KMS keys and aliases: create and describe a key, its key policy and rotation setting, schedule or cancel its
/// deletion, and its aliases, with KMS's validation, errors and <c>kms:</c> actions. A request may name a key by id,
/// key ARN, alias name or alias ARN, as KMS allows. A key's own policy must let the caller in, as in KMS: one that
/// names the account (the default) lets the caller's IAM policies decide. Durable with a data directory: <c>kms/keys/</c> and <c>kms/aliases/</c>.
/// </summary>
internal sealed partial class KmsService : IDisposable
{
    private static readonly string[] KeyUsages = ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"];

    private static readonly string[] KeySpecs =
    [
        "SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
        "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87",
    ];

    private readonly LocalAwsSettings _settings;
    private readonly TimeProvider _clock;
    private readonly RecordStore<KmsKey> _keys;
    private readonly RecordStore<KmsAlias> _aliases;

    public KmsService(LocalAwsSettings settings, TimeProvider clock, ILogger<KmsService> logger)
    {
        (_settings, _clock) = (settings, clock);
        _keys = new(settings.DataDirectory, Path.Combine("kms", "keys"), ".key", format: 1, k => k.KeyId, _ => null, logger);
        _aliases = new(settings.DataDirectory, Path.Combine("kms", "aliases"), ".alias", format: 1, a => a.Name, _ => null, logger);
    }

    /// <summary>The key a reference names (id, key ARN, alias name or alias ARN), or null.</summary>
    public KmsKey? Find(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var (aliasArn, keyArn) = (AliasArn(string.Empty), KeyArn(string.Empty));
        var alias = reference.StartsWith("alias/", StringComparison.Ordinal) ? reference
            : reference.StartsWith(aliasArn, StringComparison.Ordinal) ? "alias/" + reference[aliasArn.Length..] : null;
        if (alias is not null)
        {
            return _aliases.Find(alias) is { } found ? _keys.Find(found.TargetKeyId) : null;
        }

        return _keys.Find(reference.StartsWith(keyArn, StringComparison.Ordinal) ? reference[keyArn.Length..] : reference);
    }

    public void CreateKey(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var description = request.String("Description", 0, 8192) ?? string.Empty;
        var usage = request.Enum("KeyUsage", KeyUsages) ?? "ENCRYPT_DECRYPT";
        var spec = request.Enum("KeySpec", KeySpecs) ?? request.Enum("CustomerMasterKeySpec", KeySpecs) ?? "SYMMETRIC_DEFAULT";
        var origin = request.Enum("Origin", "AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE") ?? "AWS_KMS";
        var tags = request.TagList("Tags", keyMember: "TagKey", valueMember: "TagValue");
        if (origin != "AWS_KMS" || request.Bool("MultiRegion") == true)
        {
            throw AwsServiceException.Json("UnsupportedOperationException", "LocalAws makes single-Region keys with key material from KMS (Origin AWS_KMS) only.");
        }

        if ((spec == "SYMMETRIC_DEFAULT") != (usage == "ENCRYPT_DECRYPT") && !(spec.StartsWith("RSA_", StringComparison.Ordinal) || spec == "SM2"))
        {
            throw AwsServiceException.Json("ValidationException", $"KeySpec {spec} is not valid for KeyUsage {usage}");
        }

        access.DemandOperation("*");
        if (tags.Count > 0)
        {
            access.Demand("kms:TagResource", "*");
        }

        var id = Guid.NewGuid().ToString();
        var policy = request.String("Policy", 1, 32768) is { } given ? CheckedPolicy(given, KeyArn(id), request, access) : DefaultPolicy();
        var key = new KmsKey(id, KeyArn(id), _clock.GetUtcNow(), description, usage, spec, policy, "Enabled", null, RotationEnabled: false, tags);
        _keys.Change(id, _ => (key, 0));
        writer.WriteStartObject();
        writer.WritePropertyName("KeyMetadata");
        WriteMetadata(writer, key);
        writer.WriteEndObject();
    }

    public void DescribeKey(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var key = Authorized(request, access, allowPendingDeletion: true);
        writer.WriteStartObject();
        writer.WritePropertyName("KeyMetadata");
        WriteMetadata(writer, key);
        writer.WriteEndObject();
    }

    public void ListKeys(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        access.DemandOperation("*");
        Page(request, writer, "Keys", _keys.All(), key =>
        {
            writer.WriteStartObject();
            writer.WriteString("KeyId", key.KeyId);
            writer.WriteString("KeyArn", key.Arn);
            writer.WriteEndObject();
        });
    }

    public void UpdateKeyDescription(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var description = request.String("Description", 0, 8192) ?? throw JsonRequest.Constraint("Description", "Member must not be null");
        var key = Authorized(request, access, allowPendingDeletion: false);
        Change(key.KeyId, k => k with { Description = description });
        Empty(writer);
    }

    public void SetEnabled(JsonRequest request, AccessCheck access, Utf8JsonWriter writer, bool enabled)
    {
        var key = Authorized(request, access, allowPendingDeletion: false);
        Change(key.KeyId, k => k with { KeyState = enabled ? "Enabled" : "Disabled" });
        Empty(writer);
    }

    public void GetKeyPolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        _ = request.Enum("PolicyName", "default");
        var key = Authorized(request, access, allowPendingDeletion: true);
        writer.WriteStartObject();
        writer.WriteString("Policy", key.Policy);
        writer.WriteString("PolicyName", "default");
        writer.WriteEndObject();
    }

    public void PutKeyPolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        _ = request.Enum("PolicyName", "default");
        var key = Authorized(request, access, allowPendingDeletion: false);
        var policy = CheckedPolicy(request.RequiredString("Policy", 1, 32768), key.Arn, request, access);
        Change(key.KeyId, k => k with { Policy = policy });
        Empty(writer);
    }

    public void SetKeyRotation(JsonRequest request, AccessCheck access, Utf8JsonWriter writer, bool enabled)
    {
        var key = Authorized(request, access, allowPendingDeletion: false);
        if (key.KeySpec != "SYMMETRIC_DEFAULT")
        {
            throw AwsServiceException.Json("UnsupportedOperationException", $"{key.Arn} key rotation is supported only on symmetric encryption keys.");
        }

        Change(key.KeyId, k => k with { RotationEnabled = enabled });
        Empty(writer);
    }

    public void GetKeyRotationStatus(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var key = Authorized(request, access, allowPendingDeletion: true);
        writer.WriteStartObject();
        writer.WriteBoolean("KeyRotationEnabled", key.RotationEnabled);
        writer.WriteString("KeyId", key.Arn);
        writer.WriteEndObject();
    }

    public void ScheduleKeyDeletion(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var days = request.Int("PendingWindowInDays", 7, 30) ?? 30;
        var key = Authorized(request, access, allowPendingDeletion: false);
        var deletion = _clock.GetUtcNow().AddDays(days);
        Change(key.KeyId, k => k with { KeyState = "PendingDeletion", DeletionDate = deletion });
        writer.WriteStartObject();
        writer.WriteString("KeyId", key.Arn);
        writer.WriteNumber("DeletionDate", deletion.ToUnixTimeMilliseconds() / 1000.0);
        writer.WriteString("KeyState", "PendingDeletion");
        writer.WriteNumber("PendingWindowInDays", days);
        writer.WriteEndObject();
    }

    public void CancelKeyDeletion(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var key = Authorized(request, access, allowPendingDeletion: true);
        if (key.KeyState != "PendingDeletion")
        {
            throw InvalidState($"{key.Arn} is not pending deletion.");
        }

        // A cancelled deletion leaves the key disabled, as in KMS.
        Change(key.KeyId, k => k with { KeyState = "Disabled", DeletionDate = null });
        writer.WriteStartObject();
        writer.WriteString("KeyId", key.Arn);
        writer.WriteEndObject();
    }

    public void CreateAlias(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = AliasName(request);
        var key = Target(request, access);
        access.DemandOperation(AliasArn(name[6..]));
        _aliases.Change(name, current => current is not null
            ? throw AwsServiceException.Json("AlreadyExistsException", $"An alias with the name {AliasArn(name[6..])} already exists")
            : (new KmsAlias(name, AliasArn(name[6..]), key.KeyId, _clock.GetUtcNow()), 0));
        Empty(writer);
    }

    public void UpdateAlias(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = AliasName(request);
        var key = Target(request, access);
        access.DemandOperation(AliasArn(name[6..]));
        _aliases.Change(name, current => ((current ?? throw AliasNotFound(name)) with { TargetKeyId = key.KeyId }, 0));
        Empty(writer);
    }

    public void DeleteAlias(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = AliasName(request);
        access.DemandOperation(AliasArn(name[6..]));
        _aliases.Change(name, current => current is null ? throw AliasNotFound(name) : ((KmsAlias?)null, 0));
        Empty(writer);
    }

    public void ListAliases(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var keyId = request.String("KeyId", 1, 2048);
        access.DemandOperation("*");
        var target = keyId is null ? null : Find(keyId) ?? throw KeyNotFound(keyId);
        Page(request, writer, "Aliases", [.. _aliases.All().Where(a => target is null || a.TargetKeyId == target.KeyId)], alias =>
        {
            writer.WriteStartObject();
            writer.WriteString("AliasName", alias.Name);
            writer.WriteString("AliasArn", alias.Arn);
            writer.WriteString("TargetKeyId", alias.TargetKeyId);
            writer.WriteNumber("CreationDate", alias.CreationDate.ToUnixTimeMilliseconds() / 1000.0);
            writer.WriteEndObject();
        });
    }

    public void Dispose()
    {
        _keys.Dispose();
        _aliases.Dispose();
    }

    public string KeyArn(string id) => $"arn:aws:kms:{_settings.Region}:{_settings.AccountId}:key/{id}";

    private string AliasArn(string nameWithoutPrefix) => $"arn:aws:kms:{_settings.Region}:{_settings.AccountId}:alias/{nameWithoutPrefix}";

    /// <summary>The key the request's <c>KeyId</c> names, once the caller may act on it under its key policy.</summary>
    private KmsKey Authorized(JsonRequest request, AccessCheck access, bool allowPendingDeletion)
    {
        var reference = request.RequiredString("KeyId", 1, 2048);
        var key = Find(reference);
        if (key is null)
        {
            // A key that does not exist: the caller's own policies decide whether it learns so.
            access.DemandOperation(reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : KeyArn(reference), requestedAs: reference);
            throw KeyNotFound(reference);
        }

        access.DemandUnderKeyPolicy(access.Operation.IamAction!, key.Arn, PolicyDocument.Parse(key.Policy), reference);
        return !allowPendingDeletion && key.KeyState == "PendingDeletion" ? throw InvalidState($"{key.Arn} is pending deletion.") : key;
    }

    /// <summary>An alias's target: a key by id or key ARN (not by alias), which the caller may also alias.</summary>
    private KmsKey Target(JsonRequest request, AccessCheck access)
    {
        var reference = request.RequiredString("TargetKeyId", 1, 2048);
        if (reference.StartsWith("alias/", StringComparison.Ordinal) || reference.Contains(":alias/", StringComparison.Ordinal))
        {
            throw AwsServiceException.Json("ValidationException", "Aliases must refer to keys. Not aliases");
        }

        var key = Find(reference) ?? throw KeyNotFound(reference);
        access.DemandUnderKeyPolicy(access.Operation.IamAction!, key.Arn, PolicyDocument.Parse(key.Policy), reference);
        return key.KeyState == "PendingDeletion" ? throw InvalidState($"{key.Arn} is pending deletion.") : key;
    }

    private static string AliasName(JsonRequest request)
    {
        var name = request.RequiredString("AliasName", 1, 256);
        if (!AliasPattern().IsMatch(name))
        {
            throw JsonRequest.Constraint("AliasName", "Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
        }

        return name.StartsWith("alias/aws/", StringComparison.Ordinal)
            ? throw AwsServiceException.Json("NotAuthorizedException", "The alias/aws/ prefix is reserved for AWS managed keys.")
            : name;
    }

    /// <summary>
    /// A key policy KMS accepts: well formed, and (unless the request bypasses the lockout safety check) one that
    /// still lets the caller change it, so no one locks themselves out of a key by accident.
    /// </summary>
    private static string CheckedPolicy(string policy, string keyArn, JsonRequest request, AccessCheck access)
    {
        PolicyDocument document;
        try
        {
            document = PolicyDocument.Parse(policy);
        }
        catch (Exception ex) when (ex is JsonException or PolicyFormatException)
        {
            throw AwsServiceException.Json("MalformedPolicyDocumentException", $"The key policy is not valid: {ex.Message}");
        }

        if (request.Bool("BypassPolicyLockoutSafetyCheck") != true
            && IamAuthorizer.DecideUnderKeyPolicy(access.Caller, "kms:PutKeyPolicy", keyArn, access.Region, access.SecureTransport, document).Decision != PolicyDecision.Allow)
        {
            throw AwsServiceException.Json("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.");
        }

        return policy;
    }

    /// <summary>KMS's default key policy: the account's IAM policies decide.</summary>
    private string DefaultPolicy() =>
        $$"""{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{_settings.AccountId}}:root"},"Action":"kms:*","Resource":"*"}]}""";

    private void Change(string id, Func<KmsKey, KmsKey> change) => _keys.Change(id, current => (change(current ?? throw KeyNotFound(id)), 0));

    private static void Page<T>(JsonRequest request, Utf8JsonWriter writer, string member, IReadOnlyList<T> items, Action<T> write)
    {
        var limit = request.Int("Limit", 1, 1000) ?? 100;
        var offset = PageToken.Decode(request.String("Marker", 1, 320), items.Count, "InvalidMarkerException");
        writer.WriteStartObject();
        writer.WriteStartArray(member);
        foreach (var item in items.Skip(offset).Take(limit))
        {
            write(item);
        }

        writer.WriteEndArray();
        var truncated = items.Count > offset + limit;
        writer.WriteBoolean("Truncated", truncated);
        if (truncated)
        {
            writer.WriteString("NextMarker", PageToken.Encode(offset + limit));
        }

        writer.WriteEndObject();
    }

    private void WriteMetadata(Utf8JsonWriter writer, KmsKey key)
    {
        writer.WriteStartObject();
        writer.WriteString("AWSAccountId", _settings.AccountId);
        writer.WriteString("KeyId", key.KeyId);
        writer.WriteString("Arn", key.Arn);
        writer.WriteNumber("CreationDate", key.CreationDate.ToUnixTimeMilliseconds() / 1000.0);
        writer.WriteBoolean("Enabled", key.KeyState == "Enabled");
        writer.WriteString("Description", key.Description);
        writer.WriteString("KeyUsage", key.KeyUsage);
        writer.WriteString("KeyState", key.KeyState);
        if (key.DeletionDate is { } deletion)
        {
            writer.WriteNumber("DeletionDate", deletion.ToUnixTimeMilliseconds() / 1000.0);
        }

        writer.WriteString("Origin", "AWS_KMS");
        writer.WriteString("KeyManager", "CUSTOMER");
        writer.WriteString("CustomerMasterKeySpec", key.KeySpec);
        writer.WriteString("KeySpec", key.KeySpec);
        if (key.KeySpec == "SYMMETRIC_DEFAULT")
        {
            writer.WriteStartArray("EncryptionAlgorithms");
            writer.WriteStringValue("SYMMETRIC_DEFAULT");
            writer.WriteEndArray();
        }

        writer.WriteBoolean("MultiRegion", false);
        writer.WriteEndObject();
    }

    private static AwsServiceException KeyNotFound(string reference) => AwsServiceException.Json("NotFoundException", $"Key '{reference}' does not exist");

    private AwsServiceException AliasNotFound(string name) => AwsServiceException.Json("NotFoundException", $"Alias {AliasArn(name[6..])} is not found.");

    private static AwsServiceException InvalidState(string message) => AwsServiceException.Json("KMSInvalidStateException", message);

    private static void Empty(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    [GeneratedRegex("^alias/[a-zA-Z0-9/_-]+$")]
    private static partial Regex AliasPattern();
}
