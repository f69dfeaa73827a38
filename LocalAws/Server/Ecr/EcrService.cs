using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Ecr;

/// <summary>
/// ECR's repositories: create, describe, delete, tag mutability, the repository policy and the lifecycle policy,
/// with ECR's validation, errors and <c>ecr:</c> actions on the repository's ARN. Durable with a data directory, one
/// file per repository in <c>ecr/</c>. Images are not served: a repository is a place the CDK's bootstrap stack
/// declares, and TapStack ships no container image.
/// </summary>
internal sealed partial class EcrService(LocalAwsSettings settings, TimeProvider clock, ILogger<EcrService> logger) : IDisposable
{
    private static readonly string[] Mutabilities = ["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"];

    private readonly RecordStore<Repository> _repositories = new(settings.DataDirectory, "ecr", ".repository", format: 1, r => r.Name, _ => null, logger);

    public Repository? Find(string name) => _repositories.Find(name);

    public void CreateRepository(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        var mutability = request.Enum("imageTagMutability", Mutabilities) ?? "MUTABLE";
        var scanOnPush = request.Object("imageScanningConfiguration") is { } scanning && JsonRequest.Bool(scanning, "scanOnPush") == true;
        var (encryption, kmsKey) = Encryption(request);
        var tags = request.TagList("tags", keyMember: "Key", valueMember: "Value");
        access.DemandOperation(Arn(name));
        if (tags.Count > 0)
        {
            access.Demand("ecr:TagResource", Arn(name));
        }

        var created = _repositories.Change(name, current =>
        {
            if (current is not null)
            {
                throw AwsServiceException.Json("RepositoryAlreadyExistsException", $"The repository with name '{name}' already exists in the registry with id '{settings.AccountId}'");
            }

            var repository = new Repository(name, Arn(name), Uri(name), clock.GetUtcNow(),
                mutability, scanOnPush, encryption, kmsKey, tags, null, null);
            return (repository, repository);
        });
        writer.WriteStartObject();
        writer.WritePropertyName("repository");
        WriteRepository(writer, created);
        writer.WriteEndObject();
    }

    public void DescribeRepositories(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        CheckRegistry(request);
        var names = request.Strings("repositoryNames", 1, 100);
        var limit = request.Int("maxResults", 1, 1000) ?? 1000;
        var token = request.String("nextToken", 1, int.MaxValue);
        if (names is not null && token is not null)
        {
            throw AwsServiceException.Json("InvalidParameterException", "Invalid parameter at 'nextToken' failed to satisfy constraint: 'nextToken cannot be specified with repositoryNames'");
        }

        List<Repository> found;
        if (names is null)
        {
            access.DemandOperation(Arn("*"));
            found = [.. _repositories.All()];
        }
        else
        {
            found = [];
            foreach (var name in names)
            {
                access.DemandOperation(Arn(name));
                found.Add(Find(name) ?? throw NotFound(name));
            }
        }

        var offset = PageToken.Decode(token, found.Count, "InvalidParameterException");
        writer.WriteStartObject();
        writer.WriteStartArray("repositories");
        foreach (var repository in found.Skip(offset).Take(limit))
        {
            WriteRepository(writer, repository);
        }

        writer.WriteEndArray();
        if (found.Count > offset + limit)
        {
            writer.WriteString("nextToken", PageToken.Encode(offset + limit));
        }

        writer.WriteEndObject();
    }

    /// <summary>Deletes a repository; <c>force</c> is accepted and changes nothing, as no repository here holds images.</summary>
    public void DeleteRepository(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        _ = request.Bool("force");
        access.DemandOperation(Arn(name));

        // (An ECR repository that holds images refuses deletion without force; none here holds any.)
        var deleted = _repositories.Change(name, current => current is null ? throw NotFound(name) : ((Repository?)null, current));
        writer.WriteStartObject();
        writer.WritePropertyName("repository");
        WriteRepository(writer, deleted);
        writer.WriteEndObject();
    }

    public void PutImageTagMutability(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        var mutability = request.Enum("imageTagMutability", Mutabilities) ?? throw JsonRequest.Constraint("imageTagMutability", "Member must not be null");
        access.DemandOperation(Arn(name));
        Change(name, r => r with { ImageTagMutability = mutability });
        Answer(writer, name, ("imageTagMutability", mutability));
    }

    public void SetRepositoryPolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        var text = request.RequiredString("policyText", 0, 10240);
        _ = request.Bool("force");
        access.DemandOperation(Arn(name));
        try
        {
            _ = PolicyDocument.Parse(text);
        }
        catch (Exception ex) when (ex is JsonException or PolicyFormatException)
        {
            throw AwsServiceException.Json("InvalidParameterException", "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
        }

        Change(name, r => r with { PolicyText = text });
        Answer(writer, name, ("policyText", text));
    }

    public void GetRepositoryPolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        access.DemandOperation(Arn(name));
        var text = (Find(name) ?? throw NotFound(name)).PolicyText ?? throw PolicyNotFound(name);
        Answer(writer, name, ("policyText", text));
    }

    public void DeleteRepositoryPolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        access.DemandOperation(Arn(name));
        var text = Find(name)?.PolicyText;
        Change(name, r => r.PolicyText is null ? throw PolicyNotFound(name) : r with { PolicyText = null });
        Answer(writer, name, ("policyText", text!));
    }

    public void PutLifecyclePolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        var text = request.RequiredString("lifecyclePolicyText", 100, 30720);
        access.DemandOperation(Arn(name));
        if (LifecyclePolicyProblem(text) is { } problem)
        {
            throw AwsServiceException.Json("InvalidParameterException",
                $"Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: {problem}'");
        }

        Change(name, r => r with { LifecyclePolicyText = text });
        Answer(writer, name, ("lifecyclePolicyText", text));
    }

    public void GetLifecyclePolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        access.DemandOperation(Arn(name));
        var text = (Find(name) ?? throw NotFound(name)).LifecyclePolicyText ?? throw LifecyclePolicyNotFound(name);
        Answer(writer, name, ("lifecyclePolicyText", text));
    }

    public void DeleteLifecyclePolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = RepositoryName(request);
        access.DemandOperation(Arn(name));
        var text = Find(name)?.LifecyclePolicyText;
        Change(name, r => r.LifecyclePolicyText is null ? throw LifecyclePolicyNotFound(name) : r with { LifecyclePolicyText = null });
        Answer(writer, name, ("lifecyclePolicyText", text!));
    }

    public void Dispose() => _repositories.Dispose();

    public string Arn(string name) => $"arn:aws:ecr:{settings.Region}:{settings.AccountId}:repository/{name}";

    /// <summary>The address <c>docker push</c> and <c>pull</c> name the repository by.</summary>
    public string Uri(string name) => $"{settings.AccountId}.dkr.ecr.{settings.Region}.amazonaws.com/{name}";

    /// <summary>What is wrong with a lifecycle policy's shape (rules with a priority, a selection and an expire action), or null.</summary>
    private static string? LifecyclePolicyProblem(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (!document.RootElement.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array || rules.GetArrayLength() == 0)
            {
                return "the policy must have a non-empty 'rules' array";
            }

            var priorities = new HashSet<int>();
            foreach (var rule in rules.EnumerateArray())
            {
                if (rule.ValueKind != JsonValueKind.Object
                    || !rule.TryGetProperty("rulePriority", out var priority) || !priority.TryGetInt32(out var value) || value < 1 || !priorities.Add(value))
                {
                    return "each rule needs a unique positive integer 'rulePriority'";
                }

                if (!rule.TryGetProperty("selection", out var selection) || selection.ValueKind != JsonValueKind.Object
                    || !selection.TryGetProperty("tagStatus", out var status) || status.GetString() is not ("tagged" or "untagged" or "any"))
                {
                    return "each rule needs a 'selection' with 'tagStatus' tagged, untagged or any";
                }

                if (!rule.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
                    || !action.TryGetProperty("type", out var type) || type.GetString() != "expire")
                {
                    return "each rule needs an 'action' of type expire";
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return "the policy is not valid JSON";
        }
    }

    private AwsServiceException NotFound(string name) =>
        AwsServiceException.Json("RepositoryNotFoundException", $"The repository with name '{name}' does not exist in the registry with id '{settings.AccountId}'");

    private AwsServiceException PolicyNotFound(string name) => AwsServiceException.Json("RepositoryPolicyNotFoundException",
        $"Repository policy does not exist for the repository with name '{name}' in the registry with id '{settings.AccountId}'");

    private AwsServiceException LifecyclePolicyNotFound(string name) => AwsServiceException.Json("LifecyclePolicyNotFoundException",
        $"Lifecycle policy does not exist for the repository with name '{name}' in the registry with id '{settings.AccountId}'");

    private void Change(string name, Func<Repository, Repository> change) =>
        _repositories.Change(name, current => (change(current ?? throw NotFound(name)), 0));

    private string RepositoryName(JsonRequest request)
    {
        CheckRegistry(request);
        var name = request.RequiredString("repositoryName", 2, 256);
        return NamePattern().IsMatch(name)
            ? name
            : throw JsonRequest.Constraint("repositoryName", "Member must satisfy regular expression pattern: (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    }

    /// <summary>A request may name the registry; LocalAws's only registry is its account's.</summary>
    private void CheckRegistry(JsonRequest request)
    {
        if (request.String("registryId", 12, 12) is { } registry && registry != settings.AccountId)
        {
            throw AwsServiceException.Json("InvalidParameterException", $"Invalid parameter at 'registryId' failed to satisfy constraint: 'The registry with id '{registry}' is not this account's'");
        }
    }

    private static (string Type, string? Key) Encryption(JsonRequest request)
    {
        if (request.Object("encryptionConfiguration") is not { } configuration)
        {
            return ("AES256", null);
        }

        var type = JsonRequest.String(configuration, "encryptionType");
        var key = JsonRequest.String(configuration, "kmsKey");
        return type switch
        {
            "AES256" when key is null => ("AES256", null),
            "KMS" or "KMS_DSSE" => (type, key),
            _ => throw AwsServiceException.Json("InvalidParameterException",
                "Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'encryptionType must be AES256, KMS or KMS_DSSE, and kmsKey only with KMS'"),
        };
    }

    private void Answer(Utf8JsonWriter writer, string name, (string Member, string Value) extra)
    {
        writer.WriteStartObject();
        writer.WriteString("registryId", settings.AccountId);
        writer.WriteString("repositoryName", name);
        writer.WriteString(extra.Member, extra.Value);
        writer.WriteEndObject();
    }

    private static void WriteRepository(Utf8JsonWriter writer, Repository repository)
    {
        writer.WriteStartObject();
        writer.WriteString("repositoryArn", repository.Arn);
        writer.WriteString("registryId", repository.Arn.Split(':')[4]);
        writer.WriteString("repositoryName", repository.Name);
        writer.WriteString("repositoryUri", repository.Uri);
        writer.WriteNumber("createdAt", repository.CreatedAt.ToUnixTimeMilliseconds() / 1000.0);
        writer.WriteString("imageTagMutability", repository.ImageTagMutability);
        writer.WriteStartObject("imageScanningConfiguration");
        writer.WriteBoolean("scanOnPush", repository.ScanOnPush);
        writer.WriteEndObject();
        writer.WriteStartObject("encryptionConfiguration");
        writer.WriteString("encryptionType", repository.EncryptionType);
        if (repository.KmsKey is { } key)
        {
            writer.WriteString("kmsKey", key);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    [GeneratedRegex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
