using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.Lambda;
using Tap.Testing;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// An API that waits for its functions (as the AppHost's does) takes no connection before each has a started
/// execution environment, so the first call it accepts is served.
/// </summary>
public sealed class WaitForFunctionsTests
{
    [Fact]
    public async Task No_connection_is_accepted_before_the_function_has_started_and_the_first_signed_call_gets_200()
    {
        var api = new Uri($"http://127.0.0.1:{TcpPorts.Free()}");
        await using var host = LambdaTestHost.Start(new LocalAwsSettings
        {
            Functions = [LambdaTestHost.Function(GatewayFixture.Function)],
            HttpApis =
            [
                new LocalAwsHttpApiSettings("waiting-api", [new LocalAwsRouteSettings("ANY /{proxy+}", GatewayFixture.Function) { AuthorizationType = "AWS_IAM" }])
                {
                    Url = api.ToString(),
                    Stage = "prod",
                    WaitForFunctions = true,
                },
            ],
        });

        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.False(await TcpPorts.AcceptsAsync(api.Host, api.Port, TestContext.Current.CancellationToken), "the API took a connection before its function had started");

        await using var function = new ScriptedFunction(host, GatewayFixture.Function, environments: 1, GatewayFixture.Echo);
        while (!await TcpPorts.AcceptsAsync(api.Host, api.Port, TestContext.Current.CancellationToken))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), TestContext.Current.CancellationToken);
        }

        var first = await RawHttp.SendSignedAsync(api, TestPrincipals.Invoker, "GET", "/prod/orders/7");

        Assert.Equal(200, first.Status);
    }
}
