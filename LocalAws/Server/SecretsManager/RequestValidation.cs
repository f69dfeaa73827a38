using System.Text.RegularExpressions;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// Every Secrets Manager request's modeled constraints, checked in full before an operation reads or changes
/// anything. A field shared by several operations (tags, filters, ids, tokens) is checked by one method, so
/// CreateSecret and TagResource accept exactly the same tags.
/// </summary>
internal static partial class RequestValidation
{
    public const int MaxSecretValueBytes = 65536;
    public const int MaxResourcePolicyLength = 20480;
    public const int MaxTagsPerSecret = 50;
    public const int MaxBatchSize = 20;

    public static readonly string[] FilterKeys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];
    private static readonly string[] SortOrders = ["asc", "desc"];

    /// <summary>Validates <paramref name="request"/> (any Secrets Manager request type).</summary>
    /// <exception cref="Protocols.AwsServiceException">A <c>ValidationException</c> naming every violation.</exception>
    public static void Validate(object request)
    {
        var v = new ShapeValidator();
        switch (request)
        {
            case CreateSecretRequest r:
                v.Required("name", r.Name).Length("name", r.Name, 1, 512);
                Token(v, r.ClientRequestToken);
                Description(v, r.Description);
                KmsKeyId(v, r.KmsKeyId);
                Value(v, r.SecretString, r.SecretBinary);
                Tags(v, r.Tags);
                break;
            case GetSecretValueRequest r:
                SecretId(v, r.SecretId);
                VersionId(v, "versionId", r.VersionId);
                VersionStage(v, "versionStage", r.VersionStage);
                break;
            case PutSecretValueRequest r:
                SecretId(v, r.SecretId);
                Token(v, r.ClientRequestToken);
                Value(v, r.SecretString, r.SecretBinary);
                v.List("versionStages", r.VersionStages, 1, 20, (e, path, stage) => VersionStage(e, path, stage));
                break;
            case UpdateSecretRequest r:
                SecretId(v, r.SecretId);
                Token(v, r.ClientRequestToken);
                Description(v, r.Description);
                KmsKeyId(v, r.KmsKeyId);
                Value(v, r.SecretString, r.SecretBinary);
                break;
            case DescribeSecretRequest r:
                SecretId(v, r.SecretId);
                break;
            case DeleteSecretRequest r:
                SecretId(v, r.SecretId);
                break;
            case RestoreSecretRequest r:
                SecretId(v, r.SecretId);
                break;
            case ListSecretsRequest r:
                v.Range("maxResults", r.MaxResults, 1, 100);
                NextToken(v, r.NextToken);
                Filters(v, r.Filters);
                v.OneOf("sortOrder", r.SortOrder, SortOrders);
                break;
            case BatchGetSecretValueRequest r:
                v.List("secretIdList", r.SecretIdList, 1, MaxBatchSize, (e, path, id) => e.Length(path, id, 1, 2048));
                Filters(v, r.Filters);
                v.Range("maxResults", r.MaxResults, 1, MaxBatchSize);
                NextToken(v, r.NextToken);
                break;
            case GetRandomPasswordRequest r:
                v.Range("passwordLength", r.PasswordLength, 1, 4096);
                v.Length("excludeCharacters", r.ExcludeCharacters, 0, 4096);
                break;
            case ListSecretVersionIdsRequest r:
                SecretId(v, r.SecretId);
                v.Range("maxResults", r.MaxResults, 1, 100);
                NextToken(v, r.NextToken);
                break;
            case UpdateSecretVersionStageRequest r:
                SecretId(v, r.SecretId);
                v.Required("versionStage", r.VersionStage);
                VersionStage(v, "versionStage", r.VersionStage);
                VersionId(v, "removeFromVersionId", r.RemoveFromVersionId);
                VersionId(v, "moveToVersionId", r.MoveToVersionId);
                break;
            case TagResourceRequest r:
                SecretId(v, r.SecretId);
                v.Required("tags", r.Tags);
                Tags(v, r.Tags);
                break;
            case UntagResourceRequest r:
                SecretId(v, r.SecretId);
                v.Required("tagKeys", r.TagKeys);
                v.List("tagKeys", r.TagKeys, 0, MaxTagsPerSecret, (e, path, key) => TagKey(e, path, key));
                break;
            case PutResourcePolicyRequest r:
                SecretId(v, r.SecretId);
                v.Required("resourcePolicy", r.ResourcePolicy).Length("resourcePolicy", r.ResourcePolicy, 1, MaxResourcePolicyLength, quote: false);
                break;
            case GetResourcePolicyRequest r:
                SecretId(v, r.SecretId);
                break;
            case DeleteResourcePolicyRequest r:
                SecretId(v, r.SecretId);
                break;
            case ValidateResourcePolicyRequest r:
                v.Length("secretId", r.SecretId, 1, 2048);
                v.Required("resourcePolicy", r.ResourcePolicy).Length("resourcePolicy", r.ResourcePolicy, 1, MaxResourcePolicyLength, quote: false);
                break;
            case RotateSecretRequest r:
                SecretId(v, r.SecretId);
                Token(v, r.ClientRequestToken);
                v.Length("rotationLambdaARN", r.RotationLambdaARN, 0, 2048);
                break;
            default:
                throw new ArgumentException($"No constraints are known for {request.GetType().Name}.", nameof(request));
        }

        v.ThrowIfInvalid();
    }

    private static void SecretId(ShapeValidator v, string? secretId) => v.Required("secretId", secretId).Length("secretId", secretId, 1, 2048);

    private static void Token(ShapeValidator v, string? token) => v.Length("clientRequestToken", token, 32, 64);

    private static void Description(ShapeValidator v, string? description) => v.Length("description", description, 0, 2048);

    private static void KmsKeyId(ShapeValidator v, string? kmsKeyId) => v.Length("kmsKeyId", kmsKeyId, 0, 2048);

    private static void VersionId(ShapeValidator v, string member, string? versionId) => v.Length(member, versionId, 32, 64);

    private static void VersionStage(ShapeValidator v, string member, string? stage) => v.Length(member, stage, 1, 256);

    private static void NextToken(ShapeValidator v, string? token) => v.Length("nextToken", token, 1, 4096);

    private static void Value(ShapeValidator v, string? secretString, MemoryStream? secretBinary)
    {
        v.ByteLength("secretString", secretString, MaxSecretValueBytes);
        v.ByteLength("secretBinary", secretBinary, MaxSecretValueBytes);
    }

    private static void Tags(ShapeValidator v, List<Tag>? tags) =>
        // How many a secret may hold is the service's check (LimitExceededException), not the shape's.
        v.List("tags", tags, 0, int.MaxValue, (e, path, tag) =>
        {
            e.Required(path + ".key", tag.Key);
            TagKey(e, path + ".key", tag.Key);
            e.Length(path + ".value", tag.Value, 0, 256)
                .Pattern(path + ".value", tag.Value, value => TagPattern().IsMatch(value), TagPattern().ToString());
        });

    private static void TagKey(ShapeValidator v, string member, string? key) =>
        v.Length(member, key, 1, 128).Pattern(member, key, k => TagPattern().IsMatch(k), TagPattern().ToString());

    private static void Filters(ShapeValidator v, List<Filter>? filters) =>
        v.List("filters", filters, 0, 10, (e, path, filter) =>
        {
            e.Required(path + ".key", filter.Key).OneOf(path + ".key", filter.Key, FilterKeys);
            e.List(path + ".values", filter.Values, 1, 10, (ev, valuePath, value) =>
                ev.Length(valuePath, value, 1, 512).Pattern(valuePath, value, x => FilterValuePattern().IsMatch(x), FilterValuePattern().ToString()));
        });

    [GeneratedRegex(@"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$")]
    private static partial Regex FilterValuePattern();
}
