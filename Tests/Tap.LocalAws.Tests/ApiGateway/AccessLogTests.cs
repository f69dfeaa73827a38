using System.Text.Json;
using Tap.Definition;
using Tap.LocalAws.ApiGateway;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>The stage's access log: the definition's format (the one the CDK stage uses) filled in per request.</summary>
public sealed class AccessLogTests
{
    private static readonly AccessLogEntry Entry = new("Lx2Z5iCuIAMEJUA=", DateTimeOffset.Parse("2026-11-28T10:11:12Z", System.Globalization.CultureInfo.InvariantCulture),
        "GET", "HTTP/1.1", "203.0.113.7", "say \"hi\" \\ bye")
    {
        Path = "/prod/orders",
        Route = RouteKey.Parse("ANY /{proxy+}"),
        Status = 200,
        ResponseLength = 313,
        IntegrationLatency = TimeSpan.FromMilliseconds(12.7),
        CallerArn = "arn:aws:iam::000000000000:user/invoker",
        CallerId = "AIDAEXAMPLE",
    };

    [Fact]
    public void The_definitions_format_renders_one_JSON_object_with_its_fields_in_order()
    {
        var format = AccessLogFormat.Parse(TapApplication.HttpApi.AccessLogFormat);

        var line = format.Render(Entry);

        using var json = JsonDocument.Parse(line);
        Assert.Equal(TapApplication.HttpApi.AccessLogFields.Select(f => f.Key), json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("28/Nov/2026:10:11:12 +0000", json.RootElement.GetProperty("requestTime").GetString());
        Assert.Equal("12", json.RootElement.GetProperty("integrationLatency").GetString());
        Assert.Equal("200", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("-", json.RootElement.GetProperty("integrationError").GetString());
        Assert.Equal(json.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value.GetString())), format.Fields(Entry));
    }

    [Fact]
    public void Values_are_escaped_so_a_client_cannot_break_the_line_and_unknown_variables_are_dashes()
    {
        var format = AccessLogFormat.Parse("""{"ua":"$context.identity.userAgent","x":"$context.nothing.here"}""");

        using var json = JsonDocument.Parse(format.Render(Entry));
        Assert.Equal("say \"hi\" \\ bye", json.RootElement.GetProperty("ua").GetString());
        Assert.Equal("say \"hi\" \\ bye", format.Fields(Entry)[0].Value);
        Assert.Equal("-", json.RootElement.GetProperty("x").GetString());
    }

    [Fact]
    public void A_format_that_is_not_JSON_is_rendered_as_a_line_without_fields()
    {
        var format = AccessLogFormat.Parse("$context.identity.sourceIp $context.httpMethod $context.status");

        Assert.Equal("203.0.113.7 GET 200", format.Render(Entry));
        Assert.Empty(format.Fields(Entry));
    }
}
