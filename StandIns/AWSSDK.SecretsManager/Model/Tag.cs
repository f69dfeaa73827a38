namespace Amazon.SecretsManager.Model;

/// <summary>A key/value tag on a secret.</summary>
public sealed class Tag
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}
