using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Configuration;

/// <summary>AWS's limits on LocalAws's settings, each refused with a message naming the exact setting.</summary>
internal static class SettingLimits
{
    /// <summary><paramref name="value"/> if it is from <paramref name="min"/> to <paramref name="max"/>, else an error naming the setting.</summary>
    public static int Integer(string path, string setting, int value, int min, int max) =>
        value >= min && value <= max ? value : throw SettingsSection.Invalid(path, setting, $"must be a whole number from {min} to {max}.");

    /// <summary>As <see cref="Integer(string, string, int, int, int)"/>, with <paramref name="defaultValue"/> when unset.</summary>
    public static int Integer(string path, string setting, int? value, int defaultValue, int min, int max) =>
        value is { } set ? Integer(path, setting, set, min, max) : defaultValue;

    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static double Number(string path, string setting, double value, double min, double max) =>
        value >= min && value <= max ? value : throw SettingsSection.Invalid(path, setting, $"must be a number from {min} to {max}.");
}
