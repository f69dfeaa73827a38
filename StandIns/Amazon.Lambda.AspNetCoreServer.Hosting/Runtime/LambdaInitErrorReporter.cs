using Microsoft.Extensions.Logging;

namespace Tap.Aws.Lambda.Hosting.Runtime;

/// <summary>
/// Reports a failed start to the Runtime API's <c>/init/error</c>. The generic host logs every start failure as
/// "Hosting failed to start" (event 11 of <c>Microsoft.Extensions.Hosting.Internal.Host</c>) before rethrowing,
/// whatever failed: a hosted service, the middleware pipeline, configuration. Listening for that event catches them
/// all without changing how the app is written.
/// </summary>
internal sealed class LambdaInitErrorReporter(LambdaRuntimeApiClient runtime) : ILoggerProvider
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private const int HostingFailedToStart = 11;
    private int _reported;

    public ILogger CreateLogger(string categoryName) =>
        categoryName == HostCategory ? new Listener(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Report(Exception exception)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 1)
        {
            return;
        }

        var root = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        try
        {
            // The process is about to exit: wait for the report to be delivered.
            runtime.PostInitErrorAsync("Runtime." + root.GetType().Name, root.Message).GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            // Nothing more can be done; Lambda reports the exit itself.
        }
    }

    private sealed class Listener(LambdaInitErrorReporter reporter) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == HostingFailedToStart && exception is not null)
            {
                reporter.Report(exception);
            }
        }
    }
}
