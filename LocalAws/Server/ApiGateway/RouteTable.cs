namespace Tap.LocalAws.ApiGateway;

/// <summary>A route the request matched, with its path variables (decoded; a greedy one joins its segments with '/').</summary>
internal sealed record RouteMatch(HttpRoute Route, IReadOnlyDictionary<string, string> PathParameters);

/// <summary>
/// Picks the route for a request as API Gateway HTTP APIs do: of the routes whose method (or <c>ANY</c>) and path
/// match, the most specific path wins — compared segment by segment, a literal before a variable before a greedy
/// variable, so a longer prefix before a greedy variable wins — then an explicit method over <c>ANY</c>; <c>$default</c>
/// only when nothing else matches. A greedy variable needs at least one segment: <c>ANY /{proxy+}</c> does not
/// match <c>/</c>, which is why APIs route <c>ANY /</c> too.
/// </summary>
internal sealed class RouteTable(IReadOnlyList<HttpRoute> routes)
{
    public IReadOnlyList<HttpRoute> Routes => routes;

    /// <summary>The route for <paramref name="method"/> and <paramref name="path"/> (the canonical path after the stage).</summary>
    public RouteMatch? Match(string method, RequestPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Segments;
        RouteMatch? best = null;
        foreach (var route in routes)
        {
            if (route.Key.IsDefault
                || (route.Key.Method != RouteKey.AnyMethod && !string.Equals(route.Key.Method, method, StringComparison.OrdinalIgnoreCase))
                || PathParameters(route.Key, segments) is not { } parameters)
            {
                continue;
            }

            if (best is null || Compare(route.Key, best.Route.Key) < 0)
            {
                best = new RouteMatch(route, parameters);
            }
        }

        return best ?? (routes.FirstOrDefault(r => r.Key.IsDefault) is { } fallback
            ? new RouteMatch(fallback, new Dictionary<string, string>(StringComparer.Ordinal))
            : null);
    }

    private static Dictionary<string, string>? PathParameters(RouteKey key, IReadOnlyList<string> segments)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < key.Segments.Count; i++)
        {
            var template = key.Segments[i];
            if (template.Kind == RouteSegmentKind.Greedy)
            {
                if (i >= segments.Count)
                {
                    return null;
                }

                parameters[template.Name] = string.Join('/', segments.Skip(i));
                return parameters;
            }

            if (i >= segments.Count || (template.Kind == RouteSegmentKind.Literal && !string.Equals(template.Name, segments[i], StringComparison.Ordinal)))
            {
                return null;
            }

            if (template.Kind == RouteSegmentKind.Variable)
            {
                parameters[template.Name] = segments[i];
            }
        }

        return key.Segments.Count == segments.Count ? parameters : null;
    }

    /// <summary>Negative when <paramref name="a"/> is the more specific route for a request both match.</summary>
    private static int Compare(RouteKey a, RouteKey b)
    {
        for (var i = 0; ; i++)
        {
            var kindA = i < a.Segments.Count ? a.Segments[i].Kind : (RouteSegmentKind?)null;
            var kindB = i < b.Segments.Count ? b.Segments[i].Kind : (RouteSegmentKind?)null;
            if (kindA is null || kindB is null)
            {
                // Both matched the same request, so both ended (exact) or one ended as the other went greedy.
                break;
            }

            if (kindA != kindB)
            {
                return kindA.Value.CompareTo(kindB.Value);
            }
        }

        var methodA = a.Method == RouteKey.AnyMethod ? 1 : 0;
        var methodB = b.Method == RouteKey.AnyMethod ? 1 : 0;
        return methodA.CompareTo(methodB);
    }
}
