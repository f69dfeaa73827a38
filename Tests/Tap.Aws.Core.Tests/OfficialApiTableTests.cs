using System.Reflection;
using System.Text.RegularExpressions;

namespace Tap.Aws.Core.Tests;

/// <summary>
/// StandIns/README.md's table is the contract of the stand-ins: every public type we declare in an official namespace is
/// listed with its status, and every type the table names exists, so the table cannot drift from the code.
/// </summary>
public sealed partial class OfficialApiTableTests
{
    private static readonly Assembly[] StandIns =
    [
        typeof(Tap.Aws.Signing.SigV4Signer).Assembly,
        typeof(Amazon.SecretsManager.AmazonSecretsManagerClient).Assembly,
        typeof(Amazon.CloudFormation.AmazonCloudFormationClient).Assembly,
        typeof(Amazon.Lambda.AspNetCoreServer.Hosting.HostingOptions).Assembly,
        typeof(Amazon.Lambda.APIGatewayEvents.APIGatewayHttpApiV2ProxyRequest).Assembly,
        typeof(Aspire.Hosting.AWS.Lambda.LambdaProjectResource).Assembly,
    ];

    private static readonly string[] OfficialNamespaces = ["Amazon.", "Aspire.Hosting.", "Microsoft.Extensions.DependencyInjection"];

    [Fact]
    public void Every_public_type_in_an_official_namespace_is_in_the_table()
    {
        var table = ReadTable();
        var missing = OfficialTypes().Where(name => !table.ContainsKey(name)).ToList();

        Assert.True(missing.Count == 0, "Not in StandIns/README.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void No_stand_in_depends_on_localaws()
    {
        foreach (var assembly in StandIns)
        {
            var references = assembly.GetReferencedAssemblies().Select(r => r.Name!).ToList();
            Assert.DoesNotContain(references, name => name.StartsWith("Tap.LocalAws", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_row_names_a_type_that_exists_with_a_known_status()
    {
        var declared = StandIns.SelectMany(a => a.GetExportedTypes()).Select(Name).ToHashSet(StringComparer.Ordinal);

        foreach (var (name, status) in ReadTable())
        {
            Assert.Contains(name, declared);
            Assert.Contains(status, (string[])["identical", "differs", "Tap-only"]);
            Assert.True(status == "Tap-only" || !name.StartsWith("Tap.", StringComparison.Ordinal), $"{name} is ours, so it is Tap-only");
        }
    }

    [Fact]
    public void Tap_types_never_live_in_official_namespaces_unlisted()
    {
        var tapOnlyInOfficial = ReadTable().Where(row => row.Value == "Tap-only" && IsOfficial(row.Key)).Select(row => row.Key).ToList();

        // The only exception is AccessDeniedException, IAM's error that the official SDK leaves untyped.
        Assert.Equal(["Amazon.SecretsManager.Model.AccessDeniedException"], tapOnlyInOfficial);
    }

    private static IEnumerable<string> OfficialTypes() =>
        StandIns.SelectMany(a => a.GetExportedTypes()).Select(Name).Where(IsOfficial).Order(StringComparer.Ordinal);

    private static bool IsOfficial(string name) => OfficialNamespaces.Any(ns => name.StartsWith(ns, StringComparison.Ordinal));

    /// <summary>Generic arity and nesting written as C# does: <c>Outer.Inner</c>, no <c>`1</c>.</summary>
    private static string Name(Type type) => GenericArity().Replace(type.FullName!.Replace('+', '.'), string.Empty);

    /// <summary>The "ours" column of each row → its status.</summary>
    private static Dictionary<string, string> ReadTable()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "StandIns-README.md")))
        {
            var cells = line.Split('|');
            if (cells.Length < 5 || !line.StartsWith("| ", StringComparison.Ordinal) || OursCell().Match(cells[2]) is not { Success: true } ours)
            {
                continue;
            }

            Assert.True(rows.TryAdd(ours.Groups[1].Value, cells[3].Trim()), $"{ours.Groups[1].Value} is listed twice");
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    [GeneratedRegex(@"^\s*`([A-Za-z0-9_.]+)`\s*$")]
    private static partial Regex OursCell();

    [GeneratedRegex("`[0-9]+")]
    private static partial Regex GenericArity();
}
