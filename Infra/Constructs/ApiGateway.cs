using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AwsApigatewayv2Authorizers;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using Tap.Definition;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace Tap.Infra.Constructs;

/// <summary>
/// The HTTP API: the definition's routes to the function with their authorization (AWS_IAM for every route Tap
/// has), CORS, and exactly one stage with throttling, detailed metrics and JSON access logs. No default stage.
/// (Logging level and data tracing are WebSocket-only settings, so an HTTP API stage has neither.)
/// </summary>
public sealed class ApiGateway : Construct
{
    public ApiGateway(Construct scope, string id, HttpApiDefinition definition, IFunction function)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Api = new HttpApi(this, "Api", new HttpApiProps
        {
            ApiName = definition.Name,
            CreateDefaultStage = false,
            DefaultAuthorizer = new HttpIamAuthorizer(),
            CorsPreflight = new CorsPreflightOptions
            {
                AllowOrigins = [.. definition.Cors.AllowOrigins],
                AllowMethods = [.. definition.Cors.AllowMethods.Select(Enum.Parse<CorsHttpMethod>)],
                AllowHeaders = [.. definition.Cors.AllowHeaders],
                MaxAge = Duration.Seconds(definition.Cors.MaxAge.TotalSeconds),
            },
        });

        var integration = new HttpLambdaIntegration("Function", function);
        foreach (var route in definition.Routes)
        {
            var (method, path) = (route.RouteKey.Split(' ')[0], route.RouteKey.Split(' ')[1]);
            Api.AddRoutes(new AddRoutesOptions
            {
                Path = path,
                Methods = [Enum.Parse<HttpMethod>(method)],
                Integration = integration,
                Authorizer = route.AuthorizationType == RouteAuthorization.AwsIam ? new HttpIamAuthorizer() : new HttpNoneAuthorizer(),
            });
        }

        AccessLogs = new LogGroup(this, "AccessLogs", new LogGroupProps
        {
            Retention = Retention.Of(TapApplication.LogRetentionDays),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        Stage = Api.AddStage("Stage", new HttpStageOptions
        {
            StageName = definition.Stage,
            AutoDeploy = true,
            Throttle = new ThrottleSettings { RateLimit = definition.Throttle.RateLimit, BurstLimit = definition.Throttle.BurstLimit },
        });

        // The L2 stage has no access-log or detailed-metrics setting in this CDK version: set them on the
        // CloudFormation resource.
        var stage = (CfnStage)Stage.Node.DefaultChild!;
        stage.AddPropertyOverride("DefaultRouteSettings.DetailedMetricsEnabled", definition.DetailedMetrics);
        stage.AccessLogSettings = new CfnStage.AccessLogSettingsProperty
        {
            DestinationArn = AccessLogs.LogGroupArn,
            Format = definition.AccessLogFormat,
        };
    }

    public HttpApi Api { get; }

    public HttpStage Stage { get; }

    public LogGroup AccessLogs { get; }
}
