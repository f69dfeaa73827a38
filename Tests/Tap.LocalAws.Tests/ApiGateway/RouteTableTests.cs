using Tap.LocalAws.ApiGateway;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>Route matching as API Gateway HTTP APIs document it: the most specific route wins, <c>$default</c> last.</summary>
public sealed class RouteTableTests
{
    private static readonly string[] DocumentedRoutes =
        ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"];

    [Theory]
    [InlineData("GET", "/pets/dog/1", "GET /pets/dog/1")]
    [InlineData("GET", "/pets/dog/2", "GET /pets/dog/{id}")]
    [InlineData("GET", "/pets/cat/1", "GET /pets/{proxy+}")]
    [InlineData("GET", "/pets/dog/1/toys", "GET /pets/{proxy+}")]
    [InlineData("POST", "/pets/dog/1", "ANY /{proxy+}")]
    [InlineData("GET", "/owners", "ANY /{proxy+}")]
    [InlineData("GET", "/", "$default")]
    public void The_most_specific_matching_route_wins(string method, string path, string expected)
    {
        var table = Table(DocumentedRoutes);

        Assert.Equal(expected, table.Match(method, RequestPath.Parse(path)!)?.Route.Key.Text);
    }

    [Theory]
    [InlineData("GET", "/", "ANY /")]
    [InlineData("DELETE", "/orders", "ANY /{proxy+}")]
    [InlineData("GET", "/orders/42", "ANY /{proxy+}")]
    public void ANY_slash_and_ANY_proxy_both_serve_to_the_same_function(string method, string path, string expected)
    {
        var table = Table("ANY /", "ANY /{proxy+}");

        Assert.Equal(expected, table.Match(method, RequestPath.Parse(path)!)?.Route.Key.Text);
    }

    [Fact]
    public void A_greedy_variable_needs_a_segment_and_nothing_matches_without_a_default_route()
    {
        var table = Table("ANY /{proxy+}", "GET /items/{id}");

        Assert.Null(table.Match("GET", RequestPath.Parse("/")!));
        Assert.Null(Table("GET /items/{id}").Match("GET", RequestPath.Parse("/items")!));
        Assert.Null(Table("GET /items/{id}").Match("GET", RequestPath.Parse("/items/1/2")!));
        Assert.Null(Table("GET /items/{id}").Match("POST", RequestPath.Parse("/items/1")!));
        Assert.Equal("GET /items/{id}", table.Match("get", RequestPath.Parse("/items/1")!)?.Route.Key.Text);
    }

    [Fact]
    public void An_explicit_method_beats_ANY_on_the_same_path_and_literals_beat_variables_segment_by_segment()
    {
        var table = Table("ANY /orders/{id}", "GET /orders/{id}", "GET /{kind}/latest", "GET /orders/{id}/items");

        Assert.Equal("GET /orders/{id}", table.Match("GET", RequestPath.Parse("/orders/7")!)?.Route.Key.Text);
        Assert.Equal("ANY /orders/{id}", table.Match("PUT", RequestPath.Parse("/orders/7")!)?.Route.Key.Text);
        Assert.Equal("GET /orders/{id}", table.Match("GET", RequestPath.Parse("/orders/latest")!)?.Route.Key.Text);
        Assert.Equal("GET /{kind}/latest", table.Match("GET", RequestPath.Parse("/users/latest")!)?.Route.Key.Text);
    }

    [Fact]
    public void Path_variables_are_captured_and_a_greedy_one_keeps_its_slashes()
    {
        var table = Table("GET /users/{user}/files/{path+}");

        var match = table.Match("GET", RequestPath.Parse("/users/ana/files/docs/2026/report.pdf")!)!;

        Assert.Equal("ana", match.PathParameters["user"]);
        Assert.Equal("docs/2026/report.pdf", match.PathParameters["path"]);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("FETCH /x")]
    [InlineData("GET x")]
    [InlineData("GET /{proxy+}/more")]
    [InlineData("GET /a{b}")]
    [InlineData("GET /{}")]
    [InlineData("GET /{id}/{id}")]
    [InlineData("GET //x")]
    public void Route_keys_API_Gateway_refuses_are_refused(string routeKey) =>
        Assert.Throws<FormatException>(() => RouteKey.Parse(routeKey));

    private static RouteTable Table(params string[] routeKeys) =>
        new([.. routeKeys.Select(k => new HttpRoute(RouteKey.Parse(k), "fn", RequiresIam: true, TimeSpan.FromSeconds(30)))]);
}
