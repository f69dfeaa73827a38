using Amazon.CDK;
using Tap.Infra;

// `npx aws-cdk synth` (or deploy) from this folder. Environment-agnostic unless both `-c account=… -c region=…` are
// given; `-c environment=…` names the deployment (it suffixes the secret's and the function's names);
// `-c functionAsset=DIR` uses an already published bootstrap instead of publishing one; `-c functionMemory=MB` sets
// this deployment's function memory (the definition's 256 otherwise).
var app = new App(new AppProps { AnalyticsReporting = false });
var settings = TapStackSettings.FromContext(app.Node);
_ = new TapStack(app, "TapStack", settings, new StackProps
{
    Env = settings.Account is { } account && settings.Region is { } region ? new Amazon.CDK.Environment { Account = account, Region = region } : null,
    Description = "Tap: an IAM-protected serverless API (HTTP API, Lambda with a Native AOT bootstrap, Secrets Manager).",
});
app.Synth();
