using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tap.LocalAws.CloudFormation;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Storage;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Ssm;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// A LocalAws stopped in the middle of a stack operation: for every step at which it can stop (right after a step is
/// stored), the stack as stored is resumed at the next start and ends as CloudFormation would have ended the
/// operation — a create rolled back, a delete finished, an update rolled back (or, past its last change, cleaned up) —
/// with every resource where that outcome puts it and the stack free for its next operation.
/// </summary>
public sealed class StackRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("localaws-stacks-").FullName;

    private const string Before = """
        { "Resources": {
            "InPlace": { "Type": "Test::Thing", "Properties": { "Value": "v1" } },
            "Renamed": { "Type": "Test::Thing", "Properties": { "Name": "old-name", "Value": "r" } },
            "Dropped": { "Type": "Test::Thing", "Properties": { "Value": "d" } } } }
        """;

    private const string After = """
        { "Resources": {
            "InPlace": { "Type": "Test::Thing", "Properties": { "Value": "v2" } },
            "Renamed": { "Type": "Test::Thing", "Properties": { "Name": "new-name", "Value": "r2" } },
            "Added": { "Type": "Test::Thing", "DependsOn": "Renamed", "Properties": { "Value": "a" } } } }
        """;

    [Fact]
    public async Task A_create_cut_short_at_any_step_is_rolled_back_completely()
    {
        var steps = await StepsAsync(run => run.CreateAsync(Before));
        for (var step = 1; step < steps; step++)
        {
            var run = new Run(crashAtSave: step);
            await run.CreateAsync(Before);

            var resumed = await run.ResumeAsync();

            Assert.True(resumed.Status == StackStatus.RollbackComplete, $"step {step}: {resumed.Status}");
            Assert.Empty(run.Things.World);
            Assert.Contains(resumed.Events, e => e.ResourceStatus == StackStatus.RollbackInProgress && e.ResourceStatusReason!.Contains("resumed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_delete_cut_short_at_any_step_is_finished()
    {
        var steps = await StepsAsync(async run =>
        {
            await run.CreateAsync(Before);
            await run.DeleteAsync();
        });
        var created = await StepsAsync(run => run.CreateAsync(Before));
        for (var step = created + 1; step < steps; step++)
        {
            var run = new Run(crashAtSave: step);
            await run.CreateAsync(Before);
            await run.DeleteAsync();

            var resumed = await run.ResumeAsync();

            Assert.Equal(StackStatus.DeleteComplete, resumed.Status);
            Assert.Empty(run.Things.World);
        }
    }

    [Fact]
    public async Task An_update_cut_short_at_any_step_is_rolled_back_or_cleaned_up_and_the_stack_updates_again()
    {
        var created = await StepsAsync(run => run.CreateAsync(Before));
        var steps = await StepsAsync(async run =>
        {
            await run.CreateAsync(Before);
            await run.UpdateAsync(After);
        });
        Assert.True(steps - created > 12, "the update has steps to stop at");
        var original = new Dictionary<string, string?> { ["inplace-1"] = "v1", ["old-name"] = "r", ["dropped-2"] = "d" };
        for (var step = created + 1; step < steps; step++)
        {
            var run = new Run(crashAtSave: step);
            await run.CreateAsync(Before);
            await run.UpdateAsync(After);

            var resumed = await run.ResumeAsync();

            if (resumed.Status == StackStatus.UpdateRollbackComplete)
            {
                Assert.Equal(original, run.Things.World);
                Assert.Equal(Before, resumed.TemplateBody);
                Assert.Equal(["InPlace", "Renamed", "Dropped"], resumed.Resources.Select(r => r.LogicalId));
                Assert.Equal(["inplace-1", "old-name", "dropped-2"], resumed.Resources.Select(r => r.PhysicalId));
            }
            else
            {
                Assert.True(resumed.Status == StackStatus.UpdateComplete, $"step {step}: {resumed.Status}");
                Assert.Equal(3, run.Things.World.Count);
                Assert.Equal(("v2", "r2"), (run.Things.World["inplace-1"], run.Things.World["new-name"]));
                Assert.StartsWith("added-", Assert.Single(run.Things.World, t => t.Value == "a").Key, StringComparison.Ordinal);
                Assert.Equal(After, resumed.TemplateBody);
            }

            Assert.Null(resumed.BeforeUpdate);
            Assert.Empty(resumed.PendingDeletions);

            await run.UpdateAsync(After.Replace("v2", "v3", StringComparison.Ordinal));
            Assert.Equal(StackStatus.UpdateComplete, run.Stack.Status);
            Assert.Equal("v3", run.Things.World["inplace-1"]);
        }
    }

    [Fact]
    public async Task LocalAws_finishes_at_its_next_start_a_deletion_its_last_run_left_in_progress()
    {
        const string Parameter = "/recovered/mode";
        string stackId;
        using (var first = new LocalAwsFactory { DataDirectory = _dataDirectory })
        {
            var (_, created) = await CloudFormationQuery.CallAsync(first, TestPrincipals.Admin, "CreateStack", ("StackName", "recovered"),
                ("TemplateBody", $$"""{ "Resources": { "Mode": { "Type": "AWS::SSM::Parameter", "Properties": { "Name": "{{Parameter}}", "Type": "String", "Value": "on" } } } }"""));
            stackId = created.Descendants(CloudFormationQuery.Ns + "StackId").Single().Value;
            await first.Services.GetRequiredService<StackOperationRunner>().WhenIdleAsync();
            Assert.NotNull(first.Services.GetRequiredService<ParameterStore>().Find(Parameter));
        }

        // As a LocalAws stopped right after it stored the deletion's first step leaves the stack.
        using (var store = await OpenStoreAsync())
        {
            var stack = StackStore.Checkout(store.Find(stackId)!);
            stack.Status = StackStatus.DeleteInProgress;
            store.Save(stack);
        }

        using var second = new LocalAwsFactory { DataDirectory = _dataDirectory };
        await second.Services.GetRequiredService<StackOperationRunner>().WhenIdleAsync();
        var (_, described) = await CloudFormationQuery.CallAsync(second, TestPrincipals.Admin, "DescribeStacks", ("StackName", stackId));
        Assert.Equal("DELETE_COMPLETE", described.Descendants(CloudFormationQuery.Ns + "StackStatus").Single().Value);
        Assert.Null(second.Services.GetRequiredService<ParameterStore>().Find(Parameter));
        var (_, events) = await CloudFormationQuery.CallAsync(second, TestPrincipals.Admin, "DescribeStackEvents", ("StackName", stackId));
        Assert.Contains(events.Descendants(CloudFormationQuery.Ns + "ResourceStatusReason"), r => r.Value.Contains("resumed at the next start", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    /// <summary>The stack store, once the stopped LocalAws has let go of it (its host finishes disposing after Dispose returns).</summary>
    private async Task<StackStore> OpenStoreAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new StackStore(_dataDirectory, NullLogger<StackStore>.Instance);
            }
            catch (Tap.LocalAws.Storage.LocalAwsStoreInUseException) when (attempt < 100)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>How many steps the operations store when nothing stops them.</summary>
    private static async Task<int> StepsAsync(Func<Run, Task> operations)
    {
        var run = new Run(crashAtSave: int.MaxValue);
        await operations(run);
        return run.Saves;
    }

    /// <summary>One LocalAws lifetime that stops right after its <c>crashAtSave</c>-th stored step, and the next one.</summary>
    private sealed class Run
    {
        private int _crashAtSave;
        private readonly StackDeployer _deployer;
        private StackRecord _stack = new() { StackName = "demo", StackId = TemplateScopes.StackId };
        private byte[]? _stored;

        public Run(int crashAtSave)
        {
            _crashAtSave = crashAtSave;
            _deployer = new StackDeployer([Things], TimeProvider.System, NullLogger<StackDeployer>.Instance);
        }

        public FakeProvider Things { get; } = new();

        public int Saves { get; private set; }

        public StackRecord Stack => _stack;

        private bool Stopped => Saves >= _crashAtSave;

        public Task CreateAsync(string body) => Stopped ? Task.CompletedTask : Guard(_deployer.CreateAsync(Operation(body), CancellationToken.None));

        public Task UpdateAsync(string body) => Stopped ? Task.CompletedTask : Guard(_deployer.UpdateAsync(Operation(body), CancellationToken.None));

        public Task DeleteAsync() => Stopped ? Task.CompletedTask : Guard(_deployer.DeleteAsync(Operation(_stack.TemplateBody), CancellationToken.None));

        /// <summary>The next start: the stack as last stored, resumed.</summary>
        public async Task<StackRecord> ResumeAsync()
        {
            _stack = JsonSerializer.Deserialize<StackRecord>(_stored!)!;
            _crashAtSave = int.MaxValue;
            if (StackStatus.InProgress(_stack.Status))
            {
                await _deployer.ResumeAsync(Operation(_stack.TemplateBody, adopt: false), CancellationToken.None);
            }

            return _stack;
        }

        private static async Task Guard(Task operation)
        {
            try
            {
                await operation;
            }
            catch (OperationCanceledException)
            {
                // LocalAws stopped.
            }
        }

        private StackOperation Operation(string body, bool adopt = true)
        {
            var template = Template.Parse(body);
            var parameters = adopt ? StackParameters.Resolve(template, new Dictionary<string, string>(), _ => null) : new Dictionary<string, StackParameter>();
            return new StackOperation(_stack, template, body, parameters, Principal: null, "123456789012", "us-east-1", TemplateScopes.NoExports, (stack, _) =>
            {
                if (Stopped)
                {
                    throw new OperationCanceledException();
                }

                _stored = JsonSerializer.SerializeToUtf8Bytes(stack);
                Saves++;
                return Stopped ? throw new OperationCanceledException() : Task.CompletedTask;
            });
        }
    }
}
