using Amazon.SecretsManager.Model;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.SecretsManager.Storage;

namespace Tap.LocalAws.SecretsManager;

/// <summary>BatchGetSecretValue: many values in one call, with a per-secret error for each one that fails.</summary>
public sealed partial class SecretsManagerService
{
    public BatchGetSecretValueResponse BatchGetSecretValue(BatchGetSecretValueRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        var ids = request.SecretIdList;
        var filters = request.Filters;
        if ((ids is null) == (filters is null))
        {
            throw AwsServiceException.Json("InvalidParameterException", "Either SecretIdList or Filters must be provided, but not both.");
        }

        if (ids is not null && request.MaxResults is not null)
        {
            throw AwsServiceException.Json("InvalidParameterException", "MaxResults applies only to Filters, not to SecretIdList.");
        }

        var maxResults = request.MaxResults ?? RequestValidation.MaxBatchSize;
        access.DemandOperation("*");
        if (filters is not null)
        {
            // Filters enumerate secrets, and each unreadable one comes back as an error naming its ARN: listing needs
            // ListSecrets, as AWS requires for filter-based batches.
            access.Demand("secretsmanager:ListSecrets", "*");
        }

        return store.Execute(s =>
        {
            var response = new BatchGetSecretValueResponse { SecretValues = [], Errors = [] };
            IEnumerable<(string Id, SecretRecord? Secret)> targets;
            if (ids is not null)
            {
                targets = ids.Select(id => (id, s.Find(id)));
            }
            else
            {
                var matching = s.All.Where(x => !x.IsScheduledForDeletion && filters!.All(f => SecretListing.Matches(x, f)))
                    .OrderBy(x => x.CreatedDate).ThenBy(x => x.Name, StringComparer.Ordinal).ToList();
                var offset = PageToken.Decode(request.NextToken, matching.Count, "InvalidNextTokenException");
                targets = matching.Skip(offset).Take(maxResults).Select(x => (x.Arn, (SecretRecord?)x)).ToList();
                var next = offset + maxResults;
                response.NextToken = next < matching.Count ? PageToken.Encode(next) : null;
            }

            foreach (var (id, secret) in targets)
            {
                var entry = TryRead(id, secret, access, out var error);
                if (entry is not null)
                {
                    response.SecretValues.Add(entry);
                    s.RecordAccess(secret!, entry.VersionId!);
                }
                else
                {
                    response.Errors.Add(error!);
                }
            }

            return response;
        });
    }

    private SecretValueEntry? TryRead(string id, SecretRecord? secret, AccessCheck access, out APIErrorType? error)
    {
        error = null;
        var arn = secret?.Arn ?? store.ArnFor(id);
        if (!access.IsAllowed("secretsmanager:GetSecretValue", arn, secret?.ParsedResourcePolicy, out var decision))
        {
            error = Error(id, "AccessDeniedException", IamAuthorizer.DenialMessage(access.Caller, "secretsmanager:GetSecretValue", id, decision));
            return null;
        }

        if (secret is null || secret.VersionWithStage(Current) is not { } version)
        {
            error = Error(id, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            return null;
        }

        if (secret.IsScheduledForDeletion)
        {
            error = Error(id, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");
            return null;
        }

        return new SecretValueEntry
        {
            ARN = secret.Arn,
            Name = secret.Name,
            VersionId = version.VersionId,
            SecretString = version.SecretString,
            SecretBinary = version.SecretBinary is null ? null : new MemoryStream(version.SecretBinary),
            VersionStages = [.. version.Stages],
            CreatedDate = version.CreatedDate,
        };
    }

    private static APIErrorType Error(string id, string code, string message) => new() { SecretId = id, ErrorCode = code, Message = message };
}
