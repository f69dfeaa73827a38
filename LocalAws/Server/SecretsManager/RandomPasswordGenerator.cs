using System.Security.Cryptography;
using Amazon.SecretsManager.Model;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>GetRandomPassword: cryptographically random, from the character classes the request includes.</summary>
internal static class RandomPasswordGenerator
{
    private const string Lowercase = "abcdefghijklmnopqrstuvwxyz";
    private const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Numbers = "0123456789";
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Generate(GetRandomPasswordRequest request)
    {
        var length = request.PasswordLength ?? 32;
        if (length is < 1 or > 4096)
        {
            throw AwsServiceException.Json("InvalidParameterException", "Password length must be between 1 and 4096 characters.");
        }

        var excluded = request.ExcludeCharacters ?? string.Empty;
        var classes = new List<string>();
        void Include(bool exclude, string characters)
        {
            var allowed = new string(characters.Where(c => !excluded.Contains(c, StringComparison.Ordinal)).ToArray());
            if (!exclude && allowed.Length > 0)
            {
                classes.Add(allowed);
            }
        }

        Include(request.ExcludeLowercase == true, Lowercase);
        Include(request.ExcludeUppercase == true, Uppercase);
        Include(request.ExcludeNumbers == true, Numbers);
        Include(request.ExcludePunctuation == true, Punctuation);
        Include(request.IncludeSpace != true, " ");
        if (classes.Count == 0)
        {
            throw AwsServiceException.Json("InvalidParameterException", "The request excludes every character; no password can be generated.");
        }

        var requireEach = request.RequireEachIncludedType ?? true;
        if (requireEach && length < classes.Count)
        {
            throw AwsServiceException.Json("InvalidParameterException",
                $"Password length {length} is too short to include each of the {classes.Count} required character types.");
        }

        var all = string.Concat(classes);
        var password = new char[length];
        for (var i = 0; i < length; i++)
        {
            password[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        if (requireEach)
        {
            // Put one character of each class at distinct random positions.
            var positions = Enumerable.Range(0, (int)length).ToArray();
            RandomNumberGenerator.Shuffle(positions.AsSpan());
            for (var i = 0; i < classes.Count; i++)
            {
                password[positions[i]] = classes[i][RandomNumberGenerator.GetInt32(classes[i].Length)];
            }
        }

        return new string(password);
    }
}
