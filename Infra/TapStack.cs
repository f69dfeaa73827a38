using Amazon.CDK;
using Constructs;
using Tap.Definition;
using Tap.Infra.Constructs;

namespace Tap.Infra;

/// <summary>
/// Tap in AWS: the configuration secret, the function and its role, the HTTP API with IAM authorization, who may
/// invoke it, the alarms with the topic they notify and a dashboard, and an artifact bucket. Every name, limit
/// and permission comes from <see cref="TapApplication"/>, as the local AppHost's do.
/// </summary>
#pragma warning disable CA1711 // A CDK stack is named a stack: TapStack is what the CLI and the console show.
public sealed class TapStack : Stack
#pragma warning restore CA1711
{
    public TapStack(Construct scope, string id, TapStackSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var secret = new ConfigSecret(this, "ConfigSecret", TapApplication.Secret, settings.EnvironmentName);
        var function = new ApiFunction(this, "ApiFunction", TapApplication.Function, TapApplication.FunctionRole, secret.Secret, settings);
        var api = new ApiGateway(this, "HttpApi", TapApplication.HttpApi, function.Function);
        var invoker = new Invoker(this, "Invoker", TapApplication.Invoker, api, settings.EnvironmentName);
        var monitoring = new Monitoring(this, "Monitoring", TapApplication.Monitoring, api, function.Function);
        _ = new ArtifactBucket(this, "Artifacts");

        // From the API's own endpoint rather than CDK's {id}.execute-api.{region}.{suffix}: the same URL in AWS, and
        // one a local CloudFormation target can answer with an address that needs no DNS.
        Output("ApiUrl", $"{api.Api.ApiEndpoint}/{api.Stage.StageName}", "The API's URL (the prod stage); call it with SigV4 for execute-api.");
        Output("FunctionName", function.Function.FunctionName, "The Lambda function.");
        Output("SecretName", secret.Name, "The configuration secret: fill its placeholder keys with put-secret-value.");
        Output("SecretArn", secret.Secret.SecretArn, "The configuration secret's ARN.");
        Output("InvokerRoleArn", invoker.Role.RoleArn, "Assume it with the external id to call the API.");
        Output("InvokePolicyArn", invoker.Policy.ManagedPolicyArn, "Attach it to a user or role that may call the API.");
        Output("FunctionLogGroup", function.LogGroup.LogGroupName, "The function's logs.");
        Output("AccessLogGroup", api.AccessLogs.LogGroupName, "The API's access logs.");
        Output("AlarmTopicArn", monitoring.AlarmTopic.TopicArn, "The topic alarms notify; subscribe to it, or deploy with AlarmEmail.");
        Output("DashboardName", monitoring.Dashboard.DashboardName, "The CloudWatch dashboard of the API's and the function's metrics and the alarms.");
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
