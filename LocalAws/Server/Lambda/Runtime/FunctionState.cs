using System.Text.Json.Serialization;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>What a function's execution environments are doing, for health checks and the dashboard.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FunctionState>))]
public enum FunctionState
{
    /// <summary>No process polls the function's Runtime API.</summary>
    NoEnvironment,

    /// <summary>At least one environment waits for an event.</summary>
    Idle,

    /// <summary>Every environment is running an invocation (or finishing one).</summary>
    Busy,

    /// <summary>An environment reported an init error, and none has polled since.</summary>
    InitError,
}

/// <summary>A function's state and its environments, as <c>GET /health/functions/{name}</c> reports them.</summary>
public sealed record FunctionStatus(string Function, FunctionState State, IReadOnlyList<EnvironmentStatus> Environments, int QueuedInvocations, string? InitErrorType);

/// <summary>One environment: its id, process (when known), whether it is running an invocation, and how many it ran.</summary>
public sealed record EnvironmentStatus(string Id, int? ProcessId, bool Busy, int Invocations);
