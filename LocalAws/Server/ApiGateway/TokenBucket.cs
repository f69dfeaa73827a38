namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// API Gateway's throttling: a bucket of <c>burst</c> tokens, refilled at <c>rate</c> per second, one token per
/// admitted request. It starts full, so a burst up to its capacity passes at once and the rest of a burst is refused.
/// </summary>
internal sealed class TokenBucket(double rate, int burst, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _refilledAt = clock.GetTimestamp();

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (clock.GetElapsedTime(_refilledAt, now).TotalSeconds * rate));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
