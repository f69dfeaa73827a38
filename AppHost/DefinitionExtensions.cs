using Tap.Definition;
using Tap.LocalAws.Settings;

namespace Tap.AppHost;

/// <summary>The definition's shapes as LocalAws's settings take them.</summary>
internal static class DefinitionExtensions
{
    public static LocalAwsCorsSettings ToLocalAws(this CorsDefinition cors) => new()
    {
        AllowOrigins = cors.AllowOrigins,
        AllowMethods = cors.AllowMethods,
        AllowHeaders = cors.AllowHeaders,
        MaxAge = (int)cors.MaxAge.TotalSeconds,
    };
}
