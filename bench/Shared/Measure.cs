using System.Diagnostics;

namespace Tap.Bench;

/// <summary>What every benchmark measures the same way: medians, latency samples, request rates, ports, readiness.</summary>
internal static class Measure
{
    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 0.5);

    /// <summary>The nearest-rank percentile (p in 0–1); the median of an even count averages the middle two.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (p == 0.5 && sorted.Count % 2 == 0)
        {
            return (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Calls one at a time for <paramref name="seconds"/>; each call's latency in milliseconds.</summary>
    public static async Task<List<double>> LatenciesAsync(Func<Task> call, int seconds)
    {
        var samples = new List<double>();
        var until = Stopwatch.StartNew();
        while (until.Elapsed.TotalSeconds < seconds)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return samples;
    }

    /// <summary>Completed calls per second with <paramref name="concurrency"/> callers for <paramref name="seconds"/>.</summary>
    public static async Task<double> RateAsync(Func<Task> call, int seconds, int concurrency)
    {
        var count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await call();
                Interlocked.Increment(ref count);
            }
        }));
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>What <see cref="LoadAsync"/> saw: every call's latency (ms), completed calls per second, and the CPU this process used as a share of one core.</summary>
    public sealed record Load(List<double> Latencies, double Rate, double CpuShare);

    /// <summary>
    /// <paramref name="concurrency"/> callers for <paramref name="seconds"/>: each call's latency, the rate, and this
    /// process's CPU time over the wall time (1.0 = one core busy), which shows whether the load generator is the limit.
    /// </summary>
    public static async Task<Load> LoadAsync(Func<Task> call, int seconds, int concurrency)
    {
        var latencies = new List<double>();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var own = new List<double>();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                own.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(own);
            }
        }));
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new Load(latencies, latencies.Count / elapsed.TotalSeconds, cpu / elapsed);
    }

    /// <summary>Waits until <paramref name="url"/> answers with a success status (30 s at most).</summary>
    public static async Task WaitHealthyAsync(Uri url, string what)
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not become healthy at {url}.");
    }
}
