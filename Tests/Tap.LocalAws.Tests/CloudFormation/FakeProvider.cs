using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// A resource type <c>Test::Thing</c> whose resources live in <see cref="World"/>: <c>Name</c> is create-only (a
/// change replaces it), <c>Value</c> updates in place, and <c>Fail: true</c> makes its create or update fail as a
/// service would.
/// </summary>
internal sealed class FakeProvider : IResourceProvider
{
    public const string Type = "Test::Thing";

    private int _next;

    /// <summary>Every live resource: physical id → its value.</summary>
    public Dictionary<string, string?> World { get; } = [];

    /// <summary>Physical ids in the order they were deleted.</summary>
    public List<string> Deleted { get; } = [];

    public string ResourceType => Type;

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["Name"] = PropertySchema.Text() with { CreateOnly = true },
        ["Value"] = PropertySchema.Text(),
        ["Size"] = PropertySchema.WholeNumber(),
        ["Fail"] = PropertySchema.Boolean(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        FailIfAsked(request);
        var id = Intrinsics(request.Properties["Name"]) ?? $"{request.LogicalId.ToLowerInvariant()}-{++_next}";
        if (World.ContainsKey(id))
        {
            throw new AwsServiceException(new(400, "ResourceAlreadyExistsException", $"{id} already exists"));
        }

        World[id] = Intrinsics(request.Properties["Value"]);
        return Task.FromResult(Made(id));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        FailIfAsked(request);
        World[current.PhysicalId] = Intrinsics(request.Properties["Value"]);
        return Task.FromResult(Made(current.PhysicalId));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        World.Remove(current.PhysicalId);
        Deleted.Add(current.PhysicalId);
        return Task.CompletedTask;
    }

    private static void FailIfAsked(ResourceRequest request)
    {
        if (request.Properties["Fail"]?.GetValue<bool>() == true)
        {
            throw new AwsServiceException(new(400, "InvalidRequest", $"{request.LogicalId} was told to fail"));
        }
    }

    private static string? Intrinsics(JsonNode? node) => Tap.LocalAws.CloudFormation.Templates.Intrinsics.Text(node);

    private static ProvisionedResource Made(string id) => new(id, new Dictionary<string, JsonNode?> { ["Arn"] = JsonValue.Create($"arn:aws:test:::{id}") });
}
