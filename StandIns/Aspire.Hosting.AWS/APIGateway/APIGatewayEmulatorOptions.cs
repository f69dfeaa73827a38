namespace Aspire.Hosting.AWS.Lambda;

/// <summary>Options of the API Gateway emulator resource.</summary>
public class APIGatewayEmulatorOptions
{
    /// <summary>The HTTP port the API listens on; a random port when unset.</summary>
    public int? HttpPort { get; set; }
}
