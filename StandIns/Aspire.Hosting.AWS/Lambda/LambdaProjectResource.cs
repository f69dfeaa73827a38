using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS.Lambda;

/// <summary>
/// A .NET project that runs as a Lambda function: its processes poll the Lambda Runtime API instead of serving HTTP,
/// so it has no endpoint of its own; each replica is one execution environment.
/// </summary>
/// <param name="name">The resource name, which is also the function's name.</param>
public class LambdaProjectResource(string name) : ProjectResource(name);
