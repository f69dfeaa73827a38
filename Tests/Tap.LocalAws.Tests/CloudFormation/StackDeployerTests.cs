using Microsoft.Extensions.Logging.Abstractions;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// Stack operations over a resource type whose resources are plain entries: creation in dependency order with
/// CloudFormation's events, rollback that leaves nothing behind, updates in place and by replacement, update
/// rollback, deletion in reverse order, and the deletion and replacement policies.
/// </summary>
public sealed class StackDeployerTests
{
    private readonly FakeProvider _things = new();
    private readonly StackDeployer _deployer;
    private readonly StackRecord _stack = new() { StackName = "demo", StackId = TemplateScopes.StackId };
    private int _saves;

    public StackDeployerTests() => _deployer = new StackDeployer([_things], TimeProvider.System, NullLogger<StackDeployer>.Instance);

    private const string Chain = """
        {
          "Resources": {
            "Second": { "Type": "Test::Thing", "Properties": { "Value": { "Fn::GetAtt": ["First", "Arn"] } } },
            "First": { "Type": "Test::Thing", "Properties": { "Value": "one", "Size": "3" } },
            "Third": { "Type": "Test::Thing", "DependsOn": "Second", "Properties": { "Value": { "Ref": "Second" } } }
          },
          "Outputs": { "FirstArn": { "Value": { "Fn::GetAtt": ["First", "Arn"] }, "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-first" } } } }
        }
        """;

    [Fact]
    public async Task Create_makes_each_resource_after_what_it_references_with_CloudFormations_events()
    {
        await CreateAsync(Chain);

        Assert.Equal(StackStatus.CreateComplete, _stack.Status);
        Assert.Equal(["First", "Second", "Third"], _stack.Resources.Select(r => r.LogicalId));
        Assert.Equal(["first-1", "second-2", "third-3"], _stack.Resources.Select(r => r.PhysicalId));
        Assert.Equal(new Dictionary<string, string?> { ["first-1"] = "one", ["second-2"] = "arn:aws:test:::first-1", ["third-3"] = "second-2" }, _things.World);
        Assert.Equal(3L, _stack.Resource("First")!.Properties["Size"]!.GetValue<long>());
        Assert.Equal(new StackOutput("FirstArn", "arn:aws:test:::first-1", null, "demo-first"), Assert.Single(_stack.Outputs));
        Assert.Equal(
            [
                "demo CREATE_IN_PROGRESS User Initiated",
                "First CREATE_IN_PROGRESS ", "First CREATE_IN_PROGRESS Resource creation Initiated", "First CREATE_COMPLETE ",
                "Second CREATE_IN_PROGRESS ", "Second CREATE_IN_PROGRESS Resource creation Initiated", "Second CREATE_COMPLETE ",
                "Third CREATE_IN_PROGRESS ", "Third CREATE_IN_PROGRESS Resource creation Initiated", "Third CREATE_COMPLETE ",
                "demo CREATE_COMPLETE ",
            ],
            Events());
        Assert.Equal(_stack.Events.Count, _saves);
    }

    [Fact]
    public async Task A_resource_that_fails_rolls_the_stack_back_and_leaves_nothing_behind()
    {
        await CreateAsync("""
            { "Resources": {
                "First": { "Type": "Test::Thing", "Properties": { "Value": "one" } },
                "Second": { "Type": "Test::Thing", "Properties": { "Value": { "Fn::GetAtt": ["First", "Arn"] } } },
                "Third": { "Type": "Test::Thing", "DependsOn": "Second", "Properties": { "Fail": true } } } }
            """);

        Assert.Equal(StackStatus.RollbackComplete, _stack.Status);
        Assert.Empty(_things.World);
        Assert.Equal(["second-2", "first-1"], _things.Deleted);
        var failure = _stack.Events.Single(e => e.ResourceStatus == ResourceStatus.CreateFailed);
        Assert.Equal(("Third", "Resource handler returned message: \"Third was told to fail\" (HandlerErrorCode: InvalidRequest)"), (failure.LogicalResourceId, failure.ResourceStatusReason));
        Assert.Contains("demo ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Third]. Rollback requested by user.", Events());
        Assert.Equal("demo ROLLBACK_COMPLETE ", Events()[^1]);
    }

    [Fact]
    public async Task A_property_the_type_does_not_have_fails_the_resource_in_CloudFormations_words()
    {
        await CreateAsync("""{ "Resources": { "A": { "Type": "Test::Thing", "Properties": { "Valu": "x", "Size": "big" } } } }""");

        Assert.Equal(StackStatus.RollbackComplete, _stack.Status);
        Assert.Equal("Properties validation failed for resource A with message: [#: extraneous key [Valu] is not permitted, #/Size: expected type: Integer, found: String]",
            _stack.Events.Single(e => e.ResourceStatus == ResourceStatus.CreateFailed).ResourceStatusReason);
        Assert.Empty(_things.World);
    }

    [Fact]
    public async Task Retain_keeps_a_resource_through_rollback_and_delete_and_a_false_condition_creates_nothing()
    {
        await CreateAsync("""
            {
              "Parameters": { "Make": { "Type": "String", "Default": "no" } },
              "Conditions": { "Wanted": { "Fn::Equals": [{ "Ref": "Make" }, "yes"] } },
              "Resources": {
                "Kept": { "Type": "Test::Thing", "DeletionPolicy": "Retain", "Properties": { "Value": "k" } },
                "Gone": { "Type": "Test::Thing", "Properties": { "Value": "g" } },
                "Optional": { "Type": "Test::Thing", "Condition": "Wanted" }
              }
            }
            """);
        Assert.Equal(["Kept", "Gone"], _stack.Resources.Select(r => r.LogicalId));

        await _deployer.DeleteAsync(Operation(_stack.TemplateBody), TestContext.Current.CancellationToken);

        Assert.Equal(StackStatus.DeleteComplete, _stack.Status);
        Assert.Equal(new Dictionary<string, string?> { ["kept-1"] = "k" }, _things.World);
        Assert.Contains("Kept DELETE_SKIPPED ", Events());
    }

    [Fact]
    public async Task Delete_goes_in_reverse_dependency_order()
    {
        await CreateAsync(Chain);
        await _deployer.DeleteAsync(Operation(Chain), TestContext.Current.CancellationToken);

        Assert.Equal(["third-3", "second-2", "first-1"], _things.Deleted);
        Assert.Equal(StackStatus.DeleteComplete, _stack.Status);
        Assert.NotNull(_stack.DeletionTime);
    }

    [Fact]
    public async Task Update_changes_in_place_replaces_on_a_create_only_change_adds_and_removes()
    {
        await CreateAsync("""
            { "Resources": {
                "InPlace": { "Type": "Test::Thing", "Properties": { "Value": "v1" } },
                "Renamed": { "Type": "Test::Thing", "Properties": { "Name": "old-name", "Value": "r" } },
                "Dropped": { "Type": "Test::Thing" },
                "Same": { "Type": "Test::Thing", "Properties": { "Value": "s" } } } }
            """);
        _stack.Events.Clear();

        await UpdateAsync("""
            { "Resources": {
                "InPlace": { "Type": "Test::Thing", "Properties": { "Value": "v2" } },
                "Renamed": { "Type": "Test::Thing", "Properties": { "Name": "new-name", "Value": { "Ref": "InPlace" } } },
                "Same": { "Type": "Test::Thing", "Properties": { "Value": "s" } },
                "Added": { "Type": "Test::Thing", "Properties": { "Value": "a" } } } }
            """);

        Assert.Equal(StackStatus.UpdateComplete, _stack.Status);
        Assert.Equal(new Dictionary<string, string?> { ["inplace-1"] = "v2", ["new-name"] = "inplace-1", ["same-3"] = "s", ["added-4"] = "a" }, _things.World);
        Assert.Equal(["InPlace", "Renamed", "Same", "Added"], _stack.Resources.Select(r => r.LogicalId));
        Assert.Contains("Renamed UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.", Events());
        Assert.DoesNotContain(Events(), e => e.StartsWith("Same ", StringComparison.Ordinal));

        // Cleanup comes last: the replaced resource and the dropped one.
        var cleanup = Events().SkipWhile(e => e != "demo UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ").ToList();
        Assert.Equal(["old-name", "dropped-2"], _things.Deleted);
        Assert.Contains("Renamed DELETE_COMPLETE ", cleanup);
        Assert.Contains("Dropped DELETE_COMPLETE ", cleanup);
    }

    [Fact]
    public async Task A_failed_update_puts_back_what_it_changed_and_removes_what_it_created()
    {
        const string Before = """{ "Resources": { "A": { "Type": "Test::Thing", "Properties": { "Value": "a1" } }, "B": { "Type": "Test::Thing", "Properties": { "Name": "b", "Value": "b1" } } } }""";
        await CreateAsync(Before);

        await UpdateAsync("""
            { "Resources": {
                "A": { "Type": "Test::Thing", "Properties": { "Value": "a2" } },
                "B": { "Type": "Test::Thing", "Properties": { "Name": "b-new", "Value": "b2" } },
                "C": { "Type": "Test::Thing", "DependsOn": ["A", "B"], "Properties": { "Fail": true } } } }
            """);

        Assert.Equal(StackStatus.UpdateRollbackComplete, _stack.Status);
        Assert.Equal(new Dictionary<string, string?> { ["a-1"] = "a1", ["b"] = "b1" }, _things.World);
        Assert.Equal(["b-new"], _things.Deleted);
        Assert.Equal(Before, _stack.TemplateBody);
        Assert.Equal(["A", "B"], _stack.Resources.Select(r => r.LogicalId));
        Assert.Equal("a1", _stack.Resource("A")!.Properties["Value"]!.GetValue<string>());
        Assert.Contains("demo UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [C].", Events());
    }

    [Fact]
    public async Task UpdateReplacePolicy_Retain_keeps_the_replaced_physical_resource()
    {
        await CreateAsync("""{ "Resources": { "A": { "Type": "Test::Thing", "UpdateReplacePolicy": "Retain", "Properties": { "Name": "first" } } } }""");
        await UpdateAsync("""{ "Resources": { "A": { "Type": "Test::Thing", "UpdateReplacePolicy": "Retain", "Properties": { "Name": "second" } } } }""");

        Assert.Equal(StackStatus.UpdateComplete, _stack.Status);
        Assert.Equal(["first", "second"], _things.World.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("A DELETE_SKIPPED ", Events());
    }

    [Fact]
    public void A_template_naming_a_type_no_provider_serves_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => _deployer.CheckTypes(Template.Parse("""{ "Resources": { "A": { "Type": "AWS::Nope::Thing" }, "B": { "Type": "Test::Thing" } } }""")));
        Assert.Equal("Template format error: Unrecognized resource types: [AWS::Nope::Thing]", error.Message);
    }

    private List<string> Events() => [.. _stack.Events.Select(e => $"{e.LogicalResourceId} {e.ResourceStatus} {e.ResourceStatusReason}")];

    private Task CreateAsync(string template) => _deployer.CreateAsync(Operation(template), TestContext.Current.CancellationToken);

    private Task UpdateAsync(string template) =>
        _deployer.UpdateAsync(Operation(template), TestContext.Current.CancellationToken);

    private StackOperation Operation(string body)
    {
        var template = Template.Parse(body);
        return new StackOperation(_stack, template, body, StackParameters.Resolve(template, new Dictionary<string, string>(), _ => null), Principal: null,
            "123456789012", "us-east-1", TemplateScopes.NoExports, (_, _) =>
            {
                _saves++;
                return Task.CompletedTask;
            });
    }
}
