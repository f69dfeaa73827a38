namespace Tap.Aws.Protocol;

/// <summary>
/// What a client and a server must agree on to speak to one AWS service: the SigV4 signing name (also the
/// endpoint's host prefix), the id the SDKs use in <c>AWS_ENDPOINT_URL_{ServiceId}</c>, and for AWS JSON services
/// the <c>X-Amz-Target</c> prefix.
/// </summary>
/// <param name="DisplayName">The service's name in spans and logs, as the AWS SDKs name it (e.g. <c>Secrets Manager</c>).</param>
/// <param name="SigningName">The SigV4 service name and endpoint prefix, e.g. <c>secretsmanager</c>.</param>
/// <param name="ServiceId">The service id as the SDKs spell it in environment variables, e.g. <c>SECRETS_MANAGER</c>.</param>
/// <param name="Protocol">The wire protocol, which decides the shape of requests and errors.</param>
/// <param name="JsonTargetPrefix">For AWS JSON services: the operation selector's prefix, e.g. <c>secretsmanager.</c>.</param>
/// <param name="XmlNamespace">For AWS Query services: the namespace of their XML answers.</param>
/// <param name="IamPrefix">The prefix of its IAM actions, when it is not the signing name (CloudWatch signs as <c>monitoring</c>, authorizes <c>cloudwatch:</c>).</param>
/// <param name="AccessDeniedCode">The code of its IAM denial, when it is not its protocol's (SNS's is <c>AuthorizationError</c>).</param>
public sealed record AwsServiceMetadata(
    string DisplayName,
    string SigningName,
    string ServiceId,
    AwsProtocol Protocol,
    string? JsonTargetPrefix = null,
    string? XmlNamespace = null,
    string? IamPrefix = null,
    string? AccessDeniedCode = null)
{
    /// <summary>AWS Secrets Manager (AWS JSON 1.1).</summary>
    public static AwsServiceMetadata SecretsManager { get; } = new("Secrets Manager", "secretsmanager", "SECRETS_MANAGER", AwsProtocol.Json, "secretsmanager.");

    /// <summary>AWS Security Token Service (AWS Query).</summary>
    public static AwsServiceMetadata Sts { get; } = new("STS", "sts", "STS", AwsProtocol.Query, XmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/");

    /// <summary>Amazon Simple Notification Service (AWS Query).</summary>
    public static AwsServiceMetadata Sns { get; } = new("SNS", "sns", "SNS", AwsProtocol.Query, XmlNamespace: "http://sns.amazonaws.com/doc/2010-03-31/", AccessDeniedCode: "AuthorizationError");

    /// <summary>AWS CloudFormation (AWS Query).</summary>
    public static AwsServiceMetadata CloudFormation { get; } =
        new("CloudFormation", "cloudformation", "CLOUDFORMATION", AwsProtocol.Query, XmlNamespace: "http://cloudformation.amazonaws.com/doc/2010-05-15/");

    /// <summary>AWS Systems Manager, for its Parameter Store (AWS JSON 1.1).</summary>
    public static AwsServiceMetadata Ssm { get; } = new("SSM", "ssm", "SSM", AwsProtocol.Json, "AmazonSSM.");

    /// <summary>AWS Identity and Access Management (AWS Query; one global endpoint, signed for us-east-1).</summary>
    public static AwsServiceMetadata Iam { get; } = new("IAM", "iam", "IAM", AwsProtocol.Query, XmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/");

    /// <summary>Amazon CloudWatch Logs (AWS JSON 1.1).</summary>
    public static AwsServiceMetadata Logs { get; } = new("CloudWatch Logs", "logs", "CLOUDWATCH_LOGS", AwsProtocol.Json, "Logs_20140328.");

    /// <summary>
    /// Amazon CloudWatch: AWS Query as the service model's oldest protocol, beside Smithy RPC v2 CBOR (the newest
    /// SDKs').
    /// </summary>
    public static AwsServiceMetadata CloudWatch { get; } =
        new("CloudWatch", "monitoring", "CLOUDWATCH", AwsProtocol.Query, XmlNamespace: "http://monitoring.amazonaws.com/doc/2010-08-01/", IamPrefix: "cloudwatch");

    /// <summary>Amazon Elastic Container Registry (AWS JSON 1.1; SigV4 name <c>ecr</c>, endpoint <c>api.ecr</c>).</summary>
    public static AwsServiceMetadata Ecr { get; } = new("ECR", "ecr", "ECR", AwsProtocol.Json, "AmazonEC2ContainerRegistry_V20150921.");

    /// <summary>AWS Key Management Service (AWS JSON 1.1).</summary>
    public static AwsServiceMetadata Kms { get; } = new("KMS", "kms", "KMS", AwsProtocol.Json, "TrentService.");

    /// <summary>Amazon API Gateway's v2 API, for HTTP APIs (AWS REST-JSON; IAM actions <c>apigateway:{METHOD}</c>).</summary>
    public static AwsServiceMetadata ApiGatewayV2 { get; } = new("API Gateway", "apigateway", "APIGATEWAYV2", AwsProtocol.RestJson);

    /// <summary>AWS Lambda (AWS REST-JSON).</summary>
    public static AwsServiceMetadata Lambda { get; } = new("Lambda", "lambda", "LAMBDA", AwsProtocol.RestJson);

    /// <summary>Amazon S3 (AWS REST-XML).</summary>
    public static AwsServiceMetadata S3 { get; } = new("S3", "s3", "S3", AwsProtocol.RestXml);

    /// <summary>The prefix of its IAM actions, e.g. <c>secretsmanager</c> in <c>secretsmanager:GetSecretValue</c>.</summary>
    public string ActionPrefix => IamPrefix ?? SigningName;

    /// <summary>The environment variable that overrides this service's endpoint, e.g. <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>.</summary>
    public string EndpointVariable => "AWS_ENDPOINT_URL_" + ServiceId;

    /// <summary>The <c>X-Amz-Target</c> value that selects <paramref name="operation"/> (AWS JSON services only).</summary>
    public string JsonTarget(string operation) => (JsonTargetPrefix ?? throw new InvalidOperationException($"{DisplayName} is not an AWS JSON service.")) + operation;
}
