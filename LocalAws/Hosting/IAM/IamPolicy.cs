namespace Tap.LocalAws.Hosting;

/// <summary>
/// An IAM policy document (JSON text), written when LocalAws starts: then its account and region are known, and
/// parameters (an external id, say) have their values.
/// </summary>
/// <param name="localAws">The LocalAws the policy is evaluated in.</param>
/// <param name="cancellationToken">Cancels reading parameter values.</param>
public delegate ValueTask<string> IamPolicy(LocalAwsResource localAws, CancellationToken cancellationToken);
