using System.Text.RegularExpressions;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Lambda;

/// <summary>
/// Reads <c>LocalAws:Functions</c> and refuses, naming the setting, what Lambda's CreateFunction would refuse: a
/// bad name, a timeout or memory size out of range, a role that is not one of the account's configured roles.
/// </summary>
internal static partial class FunctionConfiguration
{
    private const int MinTimeout = 1;
    private const int MaxTimeout = 900;
    private const int DefaultTimeout = 3;
    private const int MinMemory = 128;
    private const int MaxMemory = 10240;
    private const int DefaultMemory = 128;

    public static IReadOnlyList<LambdaFunction> Load(IConfiguration configuration, IamDirectory iam, string accountId, string region, DateTimeOffset now)
    {
        var functions = new List<LambdaFunction>();
        foreach (var section in configuration.GetSection($"{LocalAwsSettings.SectionName}:Functions").GetChildren())
        {
            var name = section["Name"];
            if (name is null || !NamePattern().IsMatch(name))
            {
                throw SettingsSection.Invalid(section, "Name", "must be 1 to 64 letters, digits, hyphens or underscores.");
            }

            if (functions.Any(f => f.Name == name))
            {
                throw SettingsSection.Invalid(section, "Name", $"names the function {name} a second time.");
            }

            var role = section["Role"];
            if (role is null || iam.FindRole(role) is null)
            {
                throw SettingsSection.Invalid(section, "Role", "must be the ARN of a role configured in LocalAws:Principals (Lambda must be able to assume it).");
            }

            var logFormat = section["LogFormat"] ?? LocalAwsFunctionSettings.TextLogFormat;
            if (logFormat is not (LocalAwsFunctionSettings.TextLogFormat or LocalAwsFunctionSettings.JsonLogFormat))
            {
                throw SettingsSection.Invalid(section, "LogFormat", $"must be {LocalAwsFunctionSettings.TextLogFormat} or {LocalAwsFunctionSettings.JsonLogFormat}.");
            }

            var environment = section.GetSection("Environment").GetChildren()
                .ToDictionary(v => v.Key, v => v.Value ?? string.Empty, StringComparer.Ordinal);
            functions.Add(new LambdaFunction(
                name,
                $"arn:aws:lambda:{region}:{accountId}:function:{name}",
                role,
                SettingsSection.Integer(section, "Timeout", DefaultTimeout, MinTimeout, MaxTimeout),
                SettingsSection.Integer(section, "MemorySize", DefaultMemory, MinMemory, MaxMemory),
                logFormat == LocalAwsFunctionSettings.JsonLogFormat,
                environment,
                now));
        }

        return functions;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
