using System.Globalization;

namespace Tap.LocalAws.Configuration;

/// <summary>
/// Reading one entry of LocalAws's configuration (a principal, a function, an HTTP API): numbers within AWS's
/// ranges, and errors that name the exact setting (<c>LocalAws configuration LocalAws:Functions:0:Timeout must …</c>).
/// </summary>
internal static class SettingsSection
{
    public static InvalidOperationException Invalid(IConfigurationSection section, string setting, string problem)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new($"LocalAws configuration {section.Path}:{setting} {problem}");
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="defaultValue"/> when unset.</summary>
    public static int Integer(IConfigurationSection section, string setting, int defaultValue, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(section);
        var text = section[setting];
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(section, setting, $"must be a whole number from {min} to {max}.");
    }

    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/>, or <see langword="null"/> when unset.</summary>
    public static double? Number(IConfigurationSection section, string setting, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(section);
        var text = section[setting];
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(section, setting, $"must be a number from {min} to {max}.");
    }
}
