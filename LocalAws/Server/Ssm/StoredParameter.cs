namespace Tap.LocalAws.Ssm;

/// <summary>A Parameter Store parameter: every kept version, oldest first; the last is the current one.</summary>
/// <param name="Name">The name as created (case-sensitive).</param>
/// <param name="Versions">At most <see cref="ParameterStore.MaxVersions"/>, oldest first.</param>
/// <param name="Tags">Its tags, set when it was created.</param>
internal sealed record StoredParameter(string Name, IReadOnlyList<ParameterVersion> Versions, IReadOnlyDictionary<string, string> Tags)
{
    public ParameterVersion Current => Versions[^1];
}

/// <summary>One version of a parameter, as GetParameterHistory reports it.</summary>
internal sealed record ParameterVersion(
    long Version,
    string Type,
    string Value,
    string? Description,
    string? AllowedPattern,
    string? KeyId,
    string Tier,
    string DataType,
    DateTimeOffset LastModifiedDate,
    string LastModifiedUser,
    IReadOnlyList<string> Labels);
