using System.Text.RegularExpressions;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Settings;

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

    public static IReadOnlyList<LambdaFunction> Load(LocalAwsSettings settings, IamDirectory iam, DateTimeOffset now)
    {
        var functions = new List<LambdaFunction>();
        foreach (var function in settings.Functions)
        {
            var path = function.ConfigurationPath;
            var name = function.Name;
            if (!NamePattern().IsMatch(name))
            {
                throw SettingsSection.Invalid(path, nameof(function.Name), "must be 1 to 64 letters, digits, hyphens or underscores.");
            }

            if (functions.Any(f => f.Name == name))
            {
                throw SettingsSection.Invalid(path, nameof(function.Name), $"names the function {name} a second time.");
            }

            if (iam.FindRole(function.Role) is null)
            {
                throw SettingsSection.Invalid(path, nameof(function.Role), "must be the ARN of a role configured in LocalAws:Principals (Lambda must be able to assume it).");
            }

            var logFormat = function.LogFormat ?? LocalAwsFunctionSettings.TextLogFormat;
            if (logFormat is not (LocalAwsFunctionSettings.TextLogFormat or LocalAwsFunctionSettings.JsonLogFormat))
            {
                throw SettingsSection.Invalid(path, nameof(function.LogFormat), $"must be {LocalAwsFunctionSettings.TextLogFormat} or {LocalAwsFunctionSettings.JsonLogFormat}.");
            }

            functions.Add(new LambdaFunction(
                name,
                $"arn:aws:lambda:{settings.Region}:{settings.AccountId}:function:{name}",
                function.Role,
                SettingLimits.Integer(path, nameof(function.Timeout), function.Timeout, DefaultTimeout, MinTimeout, MaxTimeout),
                SettingLimits.Integer(path, nameof(function.MemorySize), function.MemorySize, DefaultMemory, MinMemory, MaxMemory),
                logFormat == LocalAwsFunctionSettings.JsonLogFormat,
                function.Environment,
                now));
        }

        return functions;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
