using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Generates a random password (32 characters of every type by default).</summary>
public sealed class GetRandomPasswordRequest
{
    public long? PasswordLength { get; set; }

    public string? ExcludeCharacters { get; set; }

    public bool? ExcludeNumbers { get; set; }

    public bool? ExcludePunctuation { get; set; }

    public bool? ExcludeUppercase { get; set; }

    public bool? ExcludeLowercase { get; set; }

    public bool? IncludeSpace { get; set; }

    public bool? RequireEachIncludedType { get; set; }
}

public sealed class GetRandomPasswordResponse : AmazonWebServiceResponse
{
    public string? RandomPassword { get; set; }
}
