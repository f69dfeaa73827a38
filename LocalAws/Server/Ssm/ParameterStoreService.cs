using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Ssm;

/// <summary>
/// Parameter Store's operations: each reads its request (<see cref="JsonRequest"/>), demands its <c>ssm:</c> action on
/// the parameter's ARN (or the path's), and writes its answer in the API's shape. A <c>SecureString</c> is returned
/// as an opaque ciphertext unless <c>WithDecryption</c> is true; its value reaches no log and no error.
/// </summary>
internal sealed class ParameterStoreService(ParameterStore store, LocalAwsSettings localAws, TimeProvider clock)
{
    private const int StandardValueLimit = 4096;
    private const int AdvancedValueLimit = 8192;
    private const string DefaultKeyId = "alias/aws/ssm";
    private static readonly string[] Types = ["String", "StringList", "SecureString"];

    // SecureString values read without decryption come back sealed under a key that lives as long as this process,
    // standing in for KMS: opaque to the caller, as in AWS.
    private readonly byte[] _sealingKey = RandomNumberGenerator.GetBytes(32);

    public void PutParameter(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = request.RequiredString("Name", 1, 2048);
        var value = request.RequiredString("Value", 0, int.MaxValue);
        var type = request.Enum("Type", Types);
        var description = request.String("Description", 0, 1024);
        var keyId = request.String("KeyId", 1, 256);
        var overwrite = request.Bool("Overwrite") ?? false;
        var allowedPattern = request.String("AllowedPattern", 0, 1024);
        var tier = request.Enum("Tier", "Standard", "Advanced", "Intelligent-Tiering");
        var dataType = request.String("DataType", 0, 128) ?? "text";
        var tags = request.Array("Tags", 0, 1000) ?? [];
        if (request.Array("Policies", 0, int.MaxValue) is { Count: > 0 } || request.String("Policies", 0, int.MaxValue) is { Length: > 0 })
        {
            throw Validation("Parameter policies are an advanced-tier feature LocalAws does not serve.");
        }

        ParameterNames.Validate(name);
        access.DemandOperation(Arn(name));
        if (value.Length == 0)
        {
            throw JsonRequest.Constraint("Value", "Member must have length greater than or equal to 1");
        }

        if (dataType != "text")
        {
            throw Validation($"The data type {dataType} is not one LocalAws serves: only text.");
        }

        if (tags.Count > 0 && overwrite)
        {
            throw Validation("tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        }

        var effectiveTier = tier switch
        {
            "Advanced" => "Advanced",
            "Intelligent-Tiering" when value.Length > StandardValueLimit => "Advanced",
            _ => "Standard",
        };
        if (value.Length > (effectiveTier == "Advanced" ? AdvancedValueLimit : StandardValueLimit))
        {
            throw Validation(effectiveTier == "Advanced"
                ? $"Advanced tier parameters support a maximum parameter value of {AdvancedValueLimit} characters."
                : $"Standard tier parameters support a maximum parameter value of {StandardValueLimit} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
        }

        if (allowedPattern is not null && !Matches(allowedPattern, value))
        {
            throw AwsServiceException.Json("ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {allowedPattern}");
        }

        var tagMap = Tags(tags);
        var version = store.Change(name, current =>
        {
            if (current is not null && !overwrite)
            {
                throw AwsServiceException.Json("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            }

            var previous = current?.Current;
            var effectiveType = type ?? previous?.Type
                ?? throw Validation("A parameter type is required when you create a parameter.");
            if (keyId is not null && effectiveType != "SecureString")
            {
                throw Validation("KeyId is required for SecureString type parameter only.");
            }

            var next = new ParameterVersion(
                (previous?.Version ?? 0) + 1,
                effectiveType,
                value,
                description ?? previous?.Description,
                allowedPattern ?? previous?.AllowedPattern,
                effectiveType == "SecureString" ? keyId ?? (previous?.Type == "SecureString" ? previous.KeyId : null) ?? DefaultKeyId : null,
                previous?.Tier == "Advanced" ? "Advanced" : effectiveTier,
                dataType,
                clock.GetUtcNow(),
                access.Caller.Arn,
                []);
            var versions = (current?.Versions ?? []).Append(next).TakeLast(ParameterStore.MaxVersions).ToList();
            return (new StoredParameter(name, versions, current?.Tags ?? tagMap), next);
        });

        writer.WriteStartObject();
        writer.WriteNumber("Version", version.Version);
        writer.WriteString("Tier", version.Tier);
        writer.WriteEndObject();
    }

    public void GetParameter(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var requested = request.RequiredString("Name", 1, 2048);
        var decrypt = request.Bool("WithDecryption") ?? false;
        var (name, selector) = Selector(requested);
        access.DemandOperation(Arn(name));
        var (parameter, version) = Resolve(name, selector);
        writer.WriteStartObject();
        writer.WritePropertyName("Parameter");
        WriteParameter(writer, parameter, version, selector, decrypt);
        writer.WriteEndObject();
    }

    public void GetParameters(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var names = request.Strings("Names", 1, 10) ?? throw JsonRequest.Constraint("Names", "Member must not be null");
        var decrypt = request.Bool("WithDecryption") ?? false;
        var found = new List<(StoredParameter, ParameterVersion, string?)>();
        var invalid = new List<string>();
        foreach (var requested in names.Distinct(StringComparer.Ordinal))
        {
            var (name, selector) = Selector(requested);
            access.DemandOperation(Arn(name));
            if (TryResolve(name, selector) is { } resolved)
            {
                found.Add((resolved.Parameter, resolved.Version, selector));
            }
            else
            {
                invalid.Add(requested);
            }
        }

        writer.WriteStartObject();
        writer.WriteStartArray("Parameters");
        foreach (var (parameter, version, selector) in found)
        {
            WriteParameter(writer, parameter, version, selector, decrypt);
        }

        writer.WriteEndArray();
        WriteStrings(writer, "InvalidParameters", invalid);
        writer.WriteEndObject();
    }

    public void GetParametersByPath(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var path = request.RequiredString("Path", 1, 2048);
        var recursive = request.Bool("Recursive") ?? false;
        var decrypt = request.Bool("WithDecryption") ?? false;
        var maxResults = request.Int("MaxResults", 1, 10) ?? 10;
        var token = request.String("NextToken", 0, int.MaxValue);
        RefuseFilters(request);
        ParameterNames.ValidatePath(path);
        access.DemandOperation(ParameterNames.Arn(localAws.Region, localAws.AccountId, path.Length > 1 ? path.TrimEnd('/') : string.Empty));
        var matching = store.All().Where(p => ParameterNames.IsUnder(p.Name, path, recursive)).ToList();
        var page = Page(matching, token, maxResults, out var next);
        writer.WriteStartObject();
        writer.WriteStartArray("Parameters");
        foreach (var parameter in page)
        {
            WriteParameter(writer, parameter, parameter.Current, selector: null, decrypt);
        }

        writer.WriteEndArray();
        WriteNextToken(writer, next);
        writer.WriteEndObject();
    }

    public void DeleteParameter(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = ParameterNames.FromNameOrArn(request.RequiredString("Name", 1, 2048), localAws.Region, localAws.AccountId);
        access.DemandOperation(Arn(name));
        if (!Delete(name))
        {
            throw NotFound(name);
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    public void DeleteParameters(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var names = request.Strings("Names", 1, 10) ?? throw JsonRequest.Constraint("Names", "Member must not be null");
        var deleted = new List<string>();
        var invalid = new List<string>();
        foreach (var requested in names.Distinct(StringComparer.Ordinal))
        {
            var name = ParameterNames.FromNameOrArn(requested, localAws.Region, localAws.AccountId);
            access.DemandOperation(Arn(name));
            (Delete(name) ? deleted : invalid).Add(requested);
        }

        writer.WriteStartObject();
        WriteStrings(writer, "DeletedParameters", deleted);
        WriteStrings(writer, "InvalidParameters", invalid);
        writer.WriteEndObject();
    }

    public void DescribeParameters(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var maxResults = request.Int("MaxResults", 1, 50) ?? 50;
        var token = request.String("NextToken", 0, int.MaxValue);
        var filters = ParameterFilters.Read(request);
        if (request.Array("Filters", 0, int.MaxValue) is { Count: > 0 })
        {
            throw Validation("Filters is deprecated: use ParameterFilters.");
        }

        access.DemandOperation("*");
        var matching = store.All().Where(filters.Match).ToList();
        var page = Page(matching, token, maxResults, out var next);
        writer.WriteStartObject();
        writer.WriteStartArray("Parameters");
        foreach (var parameter in page)
        {
            var current = parameter.Current;
            writer.WriteStartObject();
            writer.WriteString("Name", parameter.Name);
            writer.WriteString("ARN", Arn(parameter.Name));
            WriteVersionMetadata(writer, current);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteNextToken(writer, next);
        writer.WriteEndObject();
    }

    public void GetParameterHistory(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var requested = request.RequiredString("Name", 1, 2048);
        var name = ParameterNames.FromNameOrArn(requested, localAws.Region, localAws.AccountId);
        var decrypt = request.Bool("WithDecryption") ?? false;
        var maxResults = request.Int("MaxResults", 1, 50) ?? 50;
        var token = request.String("NextToken", 0, int.MaxValue);
        access.DemandOperation(Arn(name));
        var parameter = store.Find(name) ?? throw NotFound(requested);
        var page = Page(parameter.Versions, token, maxResults, out var next);
        writer.WriteStartObject();
        writer.WriteStartArray("Parameters");
        foreach (var version in page)
        {
            writer.WriteStartObject();
            writer.WriteString("Name", parameter.Name);
            writer.WriteString("Value", Reveal(version, decrypt));
            WriteVersionMetadata(writer, version);
            WriteStrings(writer, "Labels", version.Labels);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteNextToken(writer, next);
        writer.WriteEndObject();
    }

    private string Arn(string name) => ParameterNames.Arn(localAws.Region, localAws.AccountId, name);

    /// <summary><c>name:3</c> names version 3, <c>name:label</c> a label; a plain name (or ARN) the current version.</summary>
    private (string Name, string? Selector) Selector(string requested)
    {
        var name = ParameterNames.FromNameOrArn(requested, localAws.Region, localAws.AccountId);
        var colon = name.LastIndexOf(':');
        return colon > 0 && !name.StartsWith("arn:", StringComparison.Ordinal) ? (name[..colon], name[(colon + 1)..]) : (name, null);
    }

    private (StoredParameter Parameter, ParameterVersion Version) Resolve(string name, string? selector)
    {
        _ = store.Find(name) ?? throw NotFound(name);
        return TryResolve(name, selector) ?? throw AwsServiceException.Json("ParameterVersionNotFound",
            $"Systems Manager could not find version {selector} of {name}. Verify the version and try again.");
    }

    private (StoredParameter Parameter, ParameterVersion Version)? TryResolve(string name, string? selector)
    {
        if (store.Find(name) is not { } parameter)
        {
            return null;
        }

        if (selector is null)
        {
            return (parameter, parameter.Current);
        }

        var version = long.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? parameter.Versions.FirstOrDefault(v => v.Version == number)
            : parameter.Versions.FirstOrDefault(v => v.Labels.Contains(selector, StringComparer.Ordinal));
        return version is null ? null : (parameter, version);
    }

    private bool Delete(string name) => store.Change(name, current => ((StoredParameter?)null, current is not null));

    private void WriteParameter(Utf8JsonWriter writer, StoredParameter parameter, ParameterVersion version, string? selector, bool decrypt)
    {
        writer.WriteStartObject();
        writer.WriteString("Name", parameter.Name);
        writer.WriteString("Type", version.Type);
        writer.WriteString("Value", Reveal(version, decrypt));
        writer.WriteNumber("Version", version.Version);
        if (selector is not null)
        {
            writer.WriteString("Selector", ":" + selector);
        }

        writer.WriteNumber("LastModifiedDate", version.LastModifiedDate.ToUnixTimeMilliseconds() / 1000.0);
        writer.WriteString("ARN", Arn(parameter.Name));
        writer.WriteString("DataType", version.DataType);
        writer.WriteEndObject();
    }

    private static void WriteVersionMetadata(Utf8JsonWriter writer, ParameterVersion version)
    {
        writer.WriteString("Type", version.Type);
        if (version.KeyId is not null)
        {
            writer.WriteString("KeyId", version.KeyId);
        }

        writer.WriteNumber("LastModifiedDate", version.LastModifiedDate.ToUnixTimeMilliseconds() / 1000.0);
        writer.WriteString("LastModifiedUser", version.LastModifiedUser);
        if (version.Description is not null)
        {
            writer.WriteString("Description", version.Description);
        }

        if (version.AllowedPattern is not null)
        {
            writer.WriteString("AllowedPattern", version.AllowedPattern);
        }

        writer.WriteNumber("Version", version.Version);
        writer.WriteString("Tier", version.Tier);
        writer.WriteStartArray("Policies");
        writer.WriteEndArray();
        writer.WriteString("DataType", version.DataType);
    }

    private string Reveal(ParameterVersion version, bool decrypt)
    {
        if (version.Type != "SecureString" || decrypt)
        {
            return version.Value;
        }

        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var plaintext = Encoding.UTF8.GetBytes(version.Value);
        var sealedValue = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(_sealingKey, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, sealedValue, tag);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        return Convert.ToBase64String([.. nonce, .. tag, .. sealedValue]);
    }

    private static IReadOnlyList<T> Page<T>(IReadOnlyList<T> items, string? token, int size, out string? next)
    {
        var offset = PageToken.Decode(token, items.Count, "InvalidNextToken");
        next = offset + size < items.Count ? PageToken.Encode(offset + size) : null;
        return [.. items.Skip(offset).Take(size)];
    }

    private static void WriteNextToken(Utf8JsonWriter writer, string? next)
    {
        if (next is not null)
        {
            writer.WriteString("NextToken", next);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static Dictionary<string, string> Tags(IReadOnlyList<JsonElement> tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var key = JsonRequest.String(tag, "Key") ?? throw JsonRequest.Constraint("Tags", "Member must not be null");
            map[key] = JsonRequest.String(tag, "Value") ?? string.Empty;
        }

        return map;
    }

    private static void RefuseFilters(JsonRequest request)
    {
        if (request.Array("ParameterFilters", 0, int.MaxValue) is { Count: > 0 })
        {
            throw Validation("LocalAws does not filter GetParametersByPath: call it without ParameterFilters, or use DescribeParameters.");
        }
    }

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw Validation("The AllowedPattern is not a valid regular expression.");
        }
        catch (RegexMatchTimeoutException)
        {
            throw Validation("The AllowedPattern took too long to evaluate.");
        }
    }

    private static AwsServiceException NotFound(string name) =>
        AwsServiceException.Json("ParameterNotFound", $"Parameter {name} not found.");

    private static AwsServiceException Validation(string message) => AwsServiceException.Json("ValidationException", message);
}
