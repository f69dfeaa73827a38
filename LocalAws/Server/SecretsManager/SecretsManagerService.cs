using Amazon.SecretsManager.Model;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.SecretsManager.Storage;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// Secrets Manager's operations with AWS's semantics: authorization against the secret's ARN (and the extra
/// permissions an input implies, as the Service Authorization Reference lists them), version stages
/// (AWSCURRENT/AWSPREVIOUS), idempotent ClientRequestTokens, scheduled deletion and restore. Requests arrive
/// already checked against their modeled constraints (<see cref="RequestValidation"/>); a write changes a clone
/// of the stored secret and commits it, so a failure at any point leaves the secret as it was.
/// </summary>
public sealed partial class SecretsManagerService(SecretStore store, TimeProvider clock)
{
    private const string Current = "AWSCURRENT";
    private const string Previous = "AWSPREVIOUS";

    /// <summary>Secrets Manager keeps at most this many versions, dropping the oldest ones without stages.</summary>
    private const int MaxVersions = 100;

    public CreateSecretResponse CreateSecret(CreateSecretRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        SecretValidation.Name(request.Name!);
        var binary = request.SecretBinary?.ToArray();
        SecretValidation.Value(request.SecretString, binary, required: false);

        return store.Execute(s =>
        {
            var arn = s.NewArn(request.Name!);
            access.DemandOperation(arn, requestedAs: request.Name);
            if (request.Tags is { Count: > 0 })
            {
                // Tagging at creation is tagging: AWS requires both permissions.
                access.Demand("secretsmanager:TagResource", arn, requestedAs: request.Name);
            }

            if (s.FindByName(request.Name!) is { } existing)
            {
                throw existing.IsScheduledForDeletion
                    ? AwsServiceException.Json("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.")
                    : AwsServiceException.Json("ResourceExistsException", $"The operation failed because the secret {request.Name} already exists.");
            }

            var now = Now();
            var secret = new SecretRecord
            {
                Name = request.Name!,
                Arn = arn,
                Description = request.Description,
                KmsKeyId = request.KmsKeyId,
                Tags = MergeTags([], request.Tags ?? []),
                CreatedDate = now,
                LastChangedDate = now,
            };
            string? versionId = null;
            if (request.SecretString is not null || binary is not null)
            {
                versionId = request.ClientRequestToken ?? Guid.NewGuid().ToString();
                secret.Versions.Add(new SecretVersion { VersionId = versionId, SecretString = request.SecretString, SecretBinary = binary, Stages = [Current], CreatedDate = now });
            }

            s.Add(secret);
            return new CreateSecretResponse { ARN = secret.Arn, Name = secret.Name, VersionId = versionId };
        });
    }

    public GetSecretValueResponse GetSecretValue(GetSecretValueRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access);
            RejectIfDeleted(secret);
            var version = SelectVersion(secret, request.VersionId, request.VersionStage);
            s.RecordAccess(secret, version.VersionId);
            return new GetSecretValueResponse
            {
                ARN = secret.Arn,
                Name = secret.Name,
                VersionId = version.VersionId,
                SecretString = version.SecretString,
                SecretBinary = version.SecretBinary is null ? null : new MemoryStream(version.SecretBinary),
                VersionStages = [.. version.Stages],
                CreatedDate = version.CreatedDate,
            };
        });
    }

    public PutSecretValueResponse PutSecretValue(PutSecretValueRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        var binary = request.SecretBinary?.ToArray();
        SecretValidation.Value(request.SecretString, binary, required: true);

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            RejectIfDeleted(secret);
            var version = AddVersion(secret, request.ClientRequestToken, request.SecretString, binary, request.VersionStages ?? [Current]);
            s.Commit(secret);
            return new PutSecretValueResponse { ARN = secret.Arn, Name = secret.Name, VersionId = version.VersionId, VersionStages = [.. version.Stages] };
        });
    }

    public UpdateSecretResponse UpdateSecret(UpdateSecretRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        var binary = request.SecretBinary?.ToArray();
        SecretValidation.Value(request.SecretString, binary, required: false);

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            RejectIfDeleted(secret);
            secret.Description = request.Description ?? secret.Description;
            secret.KmsKeyId = request.KmsKeyId ?? secret.KmsKeyId;
            secret.LastChangedDate = Now();
            var version = request.SecretString is not null || binary is not null
                ? AddVersion(secret, request.ClientRequestToken, request.SecretString, binary, [Current])
                : null;
            s.Commit(secret);
            return new UpdateSecretResponse { ARN = secret.Arn, Name = secret.Name, VersionId = version?.VersionId };
        });
    }

    public DescribeSecretResponse DescribeSecret(DescribeSecretRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access);
            return new DescribeSecretResponse
            {
                ARN = secret.Arn,
                Name = secret.Name,
                Description = secret.Description,
                KmsKeyId = secret.KmsKeyId,
                RotationEnabled = false,
                CreatedDate = secret.CreatedDate,
                LastChangedDate = secret.LastChangedDate,
                LastAccessedDate = secret.LastAccessedDate,
                DeletedDate = secret.DeletionDate,
                Tags = secret.Tags.Count == 0 ? null : [.. secret.Tags],
                VersionIdsToStages = secret.VersionIdsToStages(),
            };
        });
    }

    public DeleteSecretResponse DeleteSecret(DeleteSecretRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        var force = request.ForceDeleteWithoutRecovery == true;
        if (force && request.RecoveryWindowInDays is not null)
        {
            throw AwsServiceException.Json("InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }

        var window = request.RecoveryWindowInDays ?? 30;
        if (!force && window is < 7 or > 30)
        {
            throw AwsServiceException.Json("InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            var now = Now();
            if (force)
            {
                s.Remove(secret);
                return new DeleteSecretResponse { ARN = secret.Arn, Name = secret.Name, DeletionDate = now };
            }

            if (secret.IsScheduledForDeletion)
            {
                throw AwsServiceException.Json("InvalidRequestException", "You can't perform this operation on the secret because it was already scheduled for deletion.");
            }

            secret.DeletionDate = now.AddDays(window);
            secret.LastChangedDate = now;
            s.Commit(secret);
            return new DeleteSecretResponse { ARN = secret.Arn, Name = secret.Name, DeletionDate = secret.DeletionDate };
        });
    }

    public RestoreSecretResponse RestoreSecret(RestoreSecretRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            secret.DeletionDate = null;
            secret.LastChangedDate = Now();
            s.Commit(secret);
            return new RestoreSecretResponse { ARN = secret.Arn, Name = secret.Name };
        });
    }

    public ListSecretsResponse ListSecrets(ListSecretsRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation("*");
        return store.Execute(s => SecretListing.List(s.All, request));
    }

    public GetRandomPasswordResponse GetRandomPassword(GetRandomPasswordRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation("*");
        return new GetRandomPasswordResponse { RandomPassword = RandomPasswordGenerator.Generate(request) };
    }

    /// <summary>
    /// Authorizes against the secret's ARN when it exists, else against the ARN the id names; a denial names the
    /// secret as the caller did, so a caller without permission learns nothing about which secrets exist.
    /// Returns the stored record: read it, or <see cref="SecretRecord.Clone"/> it to change it.
    /// </summary>
    private static SecretRecord Authorize(SecretStore s, string secretId, AccessCheck access)
    {
        var secret = s.Find(secretId);
        access.DemandOperation(secret?.Arn ?? s.ArnFor(secretId), secret?.ParsedResourcePolicy, requestedAs: secretId);
        return secret ?? s.Get(secretId);
    }

    /// <summary>Tags with each key once (a later tag with the same key replaces the earlier), in order.</summary>
    private static List<Tag> MergeTags(List<Tag> existing, IEnumerable<Tag> added)
    {
        var merged = existing.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
        foreach (var tag in added)
        {
            merged.RemoveAll(t => t.Key == tag.Key);
            merged.Add(new Tag { Key = tag.Key, Value = tag.Value ?? string.Empty });
        }

        return merged;
    }

    private static void RejectIfDeleted(SecretRecord secret)
    {
        if (secret.IsScheduledForDeletion)
        {
            throw AwsServiceException.Json("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");
        }
    }

    private static SecretVersion SelectVersion(SecretRecord secret, string? versionId, string? versionStage)
    {
        if (versionId is not null)
        {
            var version = secret.Versions.FirstOrDefault(v => v.VersionId == versionId)
                ?? throw AwsServiceException.Json("ResourceNotFoundException", $"Secrets Manager can't find the specified secret value for VersionId: {versionId}");
            return versionStage is null || version.Stages.Contains(versionStage)
                ? version
                : throw AwsServiceException.Json("InvalidRequestException", $"The version {versionId} doesn't have the staging label {versionStage}.");
        }

        var stage = versionStage ?? Current;
        return secret.VersionWithStage(stage)
            ?? throw AwsServiceException.Json("ResourceNotFoundException", $"Secrets Manager can't find the specified secret value for staging label: {stage}");
    }

    /// <summary>
    /// Adds a version (or, for a repeated token with the same value, returns the existing one). Stages move to the
    /// new version; when AWSCURRENT moves, the old current version becomes AWSPREVIOUS.
    /// </summary>
    private SecretVersion AddVersion(SecretRecord secret, string? token, string? secretString, byte[]? secretBinary, List<string> stages)
    {
        var versionId = token ?? Guid.NewGuid().ToString();
        if (secret.Versions.FirstOrDefault(v => v.VersionId == versionId) is { } existing)
        {
            return existing.HasSameValue(secretString, secretBinary)
                ? existing
                : throw AwsServiceException.Json("ResourceExistsException", "You can't modify an existing version, you can only create a new version.");
        }

        var now = Now();
        var version = new SecretVersion { VersionId = versionId, SecretString = secretString, SecretBinary = secretBinary, Stages = [], CreatedDate = now };
        if (stages.Contains(Current) && secret.VersionWithStage(Current) is { } oldCurrent)
        {
            secret.VersionWithStage(Previous)?.Stages.Remove(Previous);
            oldCurrent.Stages.Remove(Current);
            oldCurrent.Stages.Add(Previous);
        }

        foreach (var stage in stages.Distinct(StringComparer.Ordinal))
        {
            foreach (var other in secret.Versions)
            {
                other.Stages.Remove(stage);
            }

            version.Stages.Add(stage);
        }

        secret.Versions.Add(version);
        secret.LastChangedDate = now;
        while (secret.Versions.Count > MaxVersions && secret.Versions.FirstOrDefault(v => v.Stages.Count == 0) is { } deprecated)
        {
            secret.Versions.Remove(deprecated);
        }

        return version;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
