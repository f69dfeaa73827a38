using System.Text;
using Tap.Aws.Signing;

namespace Tap.Aws.Core.Tests;

/// <summary>One case of the AWS SigV4 test suite: the request (.req), the expected canonical request (.creq),
/// string to sign (.sts), Authorization header (.authz) and signed request (.sreq).</summary>
public sealed class SigV4TestSuiteCase
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static readonly CredentialScope Scope = new("20150830", "us-east-1", "service");
    public static readonly DateTimeOffset SigningTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "SigV4TestSuite", "aws-sig-v4-test-suite");

    private SigV4TestSuiteCase(string directory)
    {
        Name = Path.GetRelativePath(Root, directory).Replace('\\', '/');
        var stem = Path.Combine(directory, Path.GetFileName(directory));
        Request = ParseHttp(File.ReadAllText(stem + ".req"));
        SignedRequest = ParseHttp(File.ReadAllText(stem + ".sreq"));
        CanonicalRequest = File.ReadAllText(stem + ".creq");
        StringToSign = File.ReadAllText(stem + ".sts");
        Authorization = File.ReadAllText(stem + ".authz");
    }

    public string Name { get; }

    public SigV4Request Request { get; }

    public SigV4Request SignedRequest { get; }

    public string CanonicalRequest { get; }

    public string StringToSign { get; }

    public string Authorization { get; }

    /// <summary>The signed header names the suite's canonical request lists (its next-to-last line).</summary>
    public IReadOnlyList<string> SignedHeaders => CanonicalRequest.Split('\n')[^2].Split(';');

    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Root, "*.req", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static SigV4TestSuiteCase Load(string name) => new(Path.Combine(Root, name));

    /// <summary>
    /// Parses the suite's raw HTTP: the request target may contain spaces and raw UTF-8; a continuation line
    /// (leading whitespace) is another value of the previous header, as the suite's expected output treats it.
    /// </summary>
    private static SigV4Request ParseHttp(string text)
    {
        var separator = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = separator < 0 ? text : text[..separator];
        var body = separator < 0 ? string.Empty : text[(separator + 2)..];
        var lines = head.Split('\n');

        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]))
            {
                headers.Add(new(headers[^1].Key, line));
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        return new SigV4Request(
            method,
            queryStart < 0 ? target : target[..queryStart],
            queryStart < 0 ? string.Empty : target[(queryStart + 1)..],
            headers,
            Signing.CanonicalRequest.HexSha256(Encoding.UTF8.GetBytes(body)));
    }

    public override string ToString() => Name;
}
