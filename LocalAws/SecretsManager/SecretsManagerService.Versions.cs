using Amazon.SecretsManager.Model;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>Version listing, staging labels, tags, and rotation (which LocalAws does not emulate).</summary>
public sealed partial class SecretsManagerService
{
    public ListSecretVersionIdsResponse ListSecretVersionIds(ListSecretVersionIdsRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = SecretValidation.SecretId(request.SecretId);
        var maxResults = request.MaxResults ?? 100;
        if (maxResults is < 1 or > 100)
        {
            throw AwsServiceException.Json("ValidationException",
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100");
        }

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, "secretsmanager:ListSecretVersionIds", access);
            var versions = secret.Versions.Where(v => request.IncludeDeprecated == true || v.Stages.Count > 0).ToList();
            var offset = PageToken.Decode(request.NextToken);
            var page = versions.Skip(offset).Take(maxResults).Select(v => new SecretVersionsListEntry
            {
                VersionId = v.VersionId,
                VersionStages = [.. v.Stages],
                CreatedDate = v.CreatedDate,
                LastAccessedDate = v.LastAccessedDate,
            }).ToList();
            return new ListSecretVersionIdsResponse
            {
                ARN = secret.Arn,
                Name = secret.Name,
                Versions = page,
                NextToken = offset + page.Count < versions.Count ? PageToken.Encode(offset + page.Count) : null,
            };
        });
    }

    /// <summary>
    /// Moves (or removes) a staging label. A label attached elsewhere must be named in RemoveFromVersionId; moving
    /// AWSCURRENT gives the version that had it AWSPREVIOUS.
    /// </summary>
    public UpdateSecretVersionStageResponse UpdateSecretVersionStage(UpdateSecretVersionStageRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = SecretValidation.SecretId(request.SecretId);
        var stage = request.VersionStage is { Length: > 0 and <= 256 } label
            ? label
            : throw AwsServiceException.Json("ValidationException", "1 validation error detected: Value at 'versionStage' failed to satisfy constraint: Member must have length between 1 and 256");

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, "secretsmanager:UpdateSecretVersionStage", access);
            RejectIfDeleted(secret);
            var holder = secret.VersionWithStage(stage);
            var target = request.MoveToVersionId is { } moveTo
                ? secret.Versions.FirstOrDefault(v => v.VersionId == moveTo)
                    ?? throw AwsServiceException.Json("ResourceNotFoundException", $"Secrets Manager can't find the specified secret version: {moveTo}")
                : null;

            if (holder is not null && holder != target && holder.VersionId != request.RemoveFromVersionId)
            {
                throw AwsServiceException.Json("InvalidParameterException",
                    $"The parameter RemoveFromVersionId must be specified and equal to {holder.VersionId} because the staging label {stage} is currently attached to it.");
            }

            if (request.RemoveFromVersionId is { } removeFrom && holder?.VersionId != removeFrom)
            {
                throw AwsServiceException.Json("InvalidParameterException", $"The staging label {stage} is not attached to version {removeFrom}.");
            }

            if (target is null && stage == Current)
            {
                throw AwsServiceException.Json("InvalidParameterException", "You can't remove the staging label AWSCURRENT without moving it to another version.");
            }

            if (target is not null && holder != target)
            {
                if (stage == Current && holder is not null)
                {
                    // The version losing AWSCURRENT becomes AWSPREVIOUS.
                    secret.VersionWithStage(Previous)?.Stages.Remove(Previous);
                    holder.Stages.Add(Previous);
                }

                target.Stages.Add(stage);
            }

            if (holder is not null && holder != target)
            {
                holder.Stages.Remove(stage);
            }

            secret.LastChangedDate = Now();
            s.Save(secret);
            return new UpdateSecretVersionStageResponse { ARN = secret.Arn, Name = secret.Name };
        });
    }

    public TagResourceResponse TagResource(TagResourceRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = SecretValidation.SecretId(request.SecretId);
        var tags = request.Tags ?? throw AwsServiceException.Json("ValidationException", "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
        if (tags.Any(t => t.Key is not { Length: > 0 and <= 128 } || t.Value?.Length > 256))
        {
            throw AwsServiceException.Json("ValidationException", "Tag keys must be 1 to 128 characters and tag values at most 256 characters.");
        }

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, "secretsmanager:TagResource", access);
            var keys = secret.Tags.Select(t => t.Key).Concat(tags.Select(t => t.Key)).Distinct(StringComparer.Ordinal).Count();
            if (keys > 50)
            {
                throw AwsServiceException.Json("LimitExceededException", "A secret can have at most 50 tags.");
            }

            foreach (var tag in tags)
            {
                secret.Tags.RemoveAll(t => t.Key == tag.Key);
                secret.Tags.Add(new Tag { Key = tag.Key, Value = tag.Value ?? string.Empty });
            }

            secret.LastChangedDate = Now();
            s.Save(secret);
            return new TagResourceResponse();
        });
    }

    public UntagResourceResponse UntagResource(UntagResourceRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = SecretValidation.SecretId(request.SecretId);
        var keys = request.TagKeys ?? throw AwsServiceException.Json("ValidationException", "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, "secretsmanager:UntagResource", access);
            secret.Tags.RemoveAll(t => keys.Contains(t.Key!));
            secret.LastChangedDate = Now();
            s.Save(secret);
            return new UntagResourceResponse();
        });
    }

    /// <summary>Rotation runs a Lambda function in AWS; LocalAws runs none, and says how to rotate instead.</summary>
    public RotateSecretResponse RotateSecret(RotateSecretRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = SecretValidation.SecretId(request.SecretId);
        return store.Execute<RotateSecretResponse>(s =>
        {
            Authorize(s, secretId, "secretsmanager:RotateSecret", access);
            throw AwsServiceException.Json("InvalidRequestException",
                "LocalAws does not emulate rotation functions. Rotate by calling PutSecretValue (the new version becomes AWSCURRENT and the old one AWSPREVIOUS), or move labels with UpdateSecretVersionStage.");
        });
    }
}
