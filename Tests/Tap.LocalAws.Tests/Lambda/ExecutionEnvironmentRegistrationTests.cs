using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// LocalAws's RegisterExecutionEnvironment call: SigV4 for <c>localaws</c>, its own IAM action on the function's
/// ARN, and AWS-shaped errors for a function, a body or a process that is not there.
/// </summary>
public sealed class ExecutionEnvironmentRegistrationTests : IClassFixture<ExecutionEnvironmentRegistrationTests.Host>
{
    private readonly LocalAwsFactory _factory;

    public ExecutionEnvironmentRegistrationTests(Host host) => _factory = host.Factory;

    public sealed class Host : IDisposable
    {
        public LocalAwsFactory Factory { get; } = new()
        {
            Settings = new LocalAwsSettings { Functions = [new LocalAwsFunctionSettings("registered", TestPrincipals.RoleArn)] }
                .ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value),
        };

        public void Dispose() => Factory.Dispose();
    }

    [Fact]
    public async Task The_admin_registers_a_running_process_and_learns_its_start()
    {
        var (status, _, body) = await RegisterAsync(TestPrincipals.Admin, "registered", ExecutionEnvironmentRegistration.Body(Environment.ProcessId));

        Assert.Equal(HttpStatusCode.Created, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:registered", json.RootElement.GetProperty("FunctionArn").GetString());
        Assert.Equal(Environment.ProcessId, json.RootElement.GetProperty("ProcessId").GetInt32());
        var started = json.RootElement.GetProperty("ProcessStartTime").GetDateTimeOffset();
        Assert.InRange(started - Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("unsigned", "registered", "{\"ProcessId\":1}", 403, "MissingAuthenticationTokenException")]
    [InlineData("reader", "registered", "{\"ProcessId\":1}", 403, "AccessDeniedException")]
    [InlineData("admin", "missing", "{\"ProcessId\":1}", 404, "ResourceNotFoundException")]
    [InlineData("admin", "registered", "{\"ProcessId\":\"1\"}", 400, "InvalidParameterValueException")]
    [InlineData("admin", "registered", "{\"ProcessId\":0}", 400, "InvalidParameterValueException")]
    [InlineData("admin", "registered", "not json", 400, "InvalidParameterValueException")]
    [InlineData("admin", "registered", "{\"ProcessId\":2147483647}", 400, "InvalidParameterValueException")]
    public async Task A_registration_that_cannot_be_made_gets_the_error_AWS_would_give(string caller, string function, string body, int status, string errorType)
    {
        var credentials = caller switch { "admin" => TestPrincipals.Admin, "reader" => TestPrincipals.Reader, _ => null };

        var (actualStatus, actualType, actualBody) = await RegisterAsync(credentials, function, body);

        Assert.Equal(((HttpStatusCode)status, errorType), (actualStatus, actualType));
        if (caller == "reader")
        {
            Assert.Contains($"is not authorized to perform: {ExecutionEnvironmentRegistration.Action}", actualBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_signature_for_another_service_is_refused()
    {
        using var client = _factory.SignedClient(TestPrincipals.Admin, "lambda");
        using var content = new StringContent(ExecutionEnvironmentRegistration.Body(Environment.ProcessId), Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri(ExecutionEnvironmentRegistration.Path("registered"), UriKind.Relative), content, TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.Forbidden, "InvalidSignatureException"), (response.StatusCode, ErrorType(response)));
    }

    private static string? ErrorType(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.Single() : null;

    private async Task<(HttpStatusCode Status, string? ErrorType, string Body)> RegisterAsync(Amazon.Runtime.ImmutableCredentials? credentials, string function, string body)
    {
        using var client = credentials is null ? _factory.CreateClient() : _factory.SignedClient(credentials, ExecutionEnvironmentRegistration.SigningName);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(ExecutionEnvironmentRegistration.Path(function), UriKind.Relative), content, TestContext.Current.CancellationToken);
        return (response.StatusCode, ErrorType(response), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
