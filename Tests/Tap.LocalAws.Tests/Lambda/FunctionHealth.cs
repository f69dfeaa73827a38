using System.Text.Json;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>A function's state as LocalAws reports it at <c>GET /health/functions/{name}</c>.</summary>
public static class FunctionHealth
{
    /// <summary>
    /// Polls until the function reports <paramref name="state"/> (with that many environments, when given) and
    /// returns the report; fails naming the last report and <paramref name="diagnostics"/> after 15 s.
    /// </summary>
    public static async Task<string> WaitForAsync(Uri endpoint, string function, string state, int? environments = null, Func<string>? diagnostics = null)
    {
        using var http = new HttpClient();
        var last = string.Empty;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            // 503 while no environment can take an invocation: the body says why either way.
            using var response = await http.GetAsync(new Uri(endpoint, $"/health/functions/{function}"));
            last = await response.Content.ReadAsStringAsync();
            using var report = JsonDocument.Parse(last);
            if (report.RootElement.GetProperty("state").GetString() == state
                && (environments is null || report.RootElement.GetProperty("environments").GetArrayLength() == environments))
            {
                return last;
            }
        }

        throw new TimeoutException($"{function} never reported {state}: {last}\n{diagnostics?.Invoke()}");
    }
}
