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
        var secretId = request.SecretId!;
        var maxResults = request.MaxResults ?? 100;

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access);
            var versions = secret.Versions.Where(v => request.IncludeDeprecated == true || v.Stages.Count > 0).ToList();
            var offset = PageToken.Decode(request.NextToken, versions.Count, "InvalidNextTokenException");
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
        var secretId = request.SecretId!;
        var stage = request.VersionStage!;

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
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
            s.Commit(secret);
            return new UpdateSecretVersionStageResponse { ARN = secret.Arn, Name = secret.Name };
        });
    }

    public TagResourceResponse TagResource(TagResourceRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        var tags = request.Tags!;
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            secret.Tags = MergeTags(secret.Tags, tags);
            if (secret.Tags.Count > RequestValidation.MaxTagsPerSecret)
            {
                throw AwsServiceException.Json("LimitExceededException", $"A secret can have at most {RequestValidation.MaxTagsPerSecret} tags.");
            }

            secret.LastChangedDate = Now();
            s.Commit(secret);
            return new TagResourceResponse();
        });
    }

    public UntagResourceResponse UntagResource(UntagResourceRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        var keys = request.TagKeys!;
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            secret.Tags.RemoveAll(t => keys.Contains(t.Key!, StringComparer.Ordinal));
            secret.LastChangedDate = Now();
            s.Commit(secret);
            return new UntagResourceResponse();
        });
    }

    /// <summary>Rotation runs a Lambda function in AWS; LocalAws runs none, and says how to rotate instead.</summary>
    public RotateSecretResponse RotateSecret(RotateSecretRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        return store.Execute<RotateSecretResponse>(s =>
        {
            Authorize(s, secretId, access);
            throw AwsServiceException.Json("InvalidRequestException",
                "LocalAws does not emulate rotation functions. Rotate by calling PutSecretValue (the new version becomes AWSCURRENT and the old one AWSPREVIOUS), or move labels with UpdateSecretVersionStage.");
        });
    }
}
