namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// A parsed HTTP API route key: <c>$default</c>, or <c>{METHOD} {path}</c> where the method may be <c>ANY</c> and the
/// path's segments are literals, <c>{name}</c> (one segment) or, last only, greedy <c>{name+}</c> (one or more).
/// </summary>
internal sealed record RouteKey
{
    public const string Default = "$default";
    public const string AnyMethod = "ANY";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", AnyMethod];

    private RouteKey(string text, string? method, IReadOnlyList<RouteSegment> segments)
    {
        Text = text;
        Method = method;
        Segments = segments;
    }

    /// <summary>The route key as configured, e.g. <c>ANY /{proxy+}</c>.</summary>
    public string Text { get; }

    /// <summary>The method, <c>ANY</c>, or <see langword="null"/> for <c>$default</c>.</summary>
    public string? Method { get; }

    public IReadOnlyList<RouteSegment> Segments { get; }

    public bool IsDefault => Method is null;

    /// <summary>The path template, e.g. <c>/{proxy+}</c>; empty for <c>$default</c>.</summary>
    public string Path => IsDefault ? string.Empty : Text[(Text.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    /// <summary>Parses a route key, or says why API Gateway would refuse it.</summary>
    public static RouteKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == Default)
        {
            return new RouteKey(text, null, []);
        }

        var parts = text.Split(' ');
        if (parts.Length != 2 || !Methods.Contains(parts[0], StringComparer.Ordinal) || !parts[1].StartsWith('/'))
        {
            throw new FormatException($"'{text}' is not a route key: use $default or '<METHOD> /<path>' with a method of {string.Join(", ", Methods)}.");
        }

        var raw = parts[1].Length == 1 ? [] : parts[1][1..].Split('/');
        var segments = new List<RouteSegment>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var segment = RouteSegment.Parse(raw[i], text);
            if (segment.Kind == RouteSegmentKind.Greedy && i != raw.Length - 1)
            {
                throw new FormatException($"'{text}': a greedy path variable must be the last segment.");
            }

            if (segment.Kind != RouteSegmentKind.Literal && segments.Any(s => s.Name == segment.Name))
            {
                throw new FormatException($"'{text}': the path variable {segment.Name} appears twice.");
            }

            segments.Add(segment);
        }

        return new RouteKey(text, parts[0], segments);
    }

    public override string ToString() => Text;
}

internal enum RouteSegmentKind
{
    Literal,
    Variable,
    Greedy,
}

/// <summary>One path segment of a route key: its text for a literal, its name for a variable.</summary>
internal sealed record RouteSegment(RouteSegmentKind Kind, string Name)
{
    public static RouteSegment Parse(string segment, string routeKey)
    {
        if (segment.Length == 0)
        {
            throw new FormatException($"'{routeKey}': a path has no empty segments.");
        }

        if (segment[0] != '{')
        {
            return segment.Contains('{', StringComparison.Ordinal) || segment.Contains('}', StringComparison.Ordinal)
                ? throw new FormatException($"'{routeKey}': a path variable must be a whole segment.")
                : new RouteSegment(RouteSegmentKind.Literal, segment);
        }

        if (segment[^1] != '}' || segment.Length < 3)
        {
            throw new FormatException($"'{routeKey}': '{segment}' is not a path variable.");
        }

        var name = segment[1..^1];
        var greedy = name.EndsWith('+');
        name = greedy ? name[..^1] : name;
        return name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? throw new FormatException($"'{routeKey}': '{segment}' is not a path variable.")
            : new RouteSegment(greedy ? RouteSegmentKind.Greedy : RouteSegmentKind.Variable, name);
    }
}
