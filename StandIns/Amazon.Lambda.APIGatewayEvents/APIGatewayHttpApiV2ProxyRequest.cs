namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>An API Gateway HTTP API event, payload format 2.0 (names as in Amazon.Lambda.APIGatewayEvents).</summary>
public sealed class APIGatewayHttpApiV2ProxyRequest
{
    public string? Version { get; set; }

    public string? RouteKey { get; set; }

    /// <summary>The path as the client sent it, including the stage unless the stage is <c>$default</c>.</summary>
    public string? RawPath { get; set; }

    public string? RawQueryString { get; set; }

    public string[]? Cookies { get; set; }

    /// <summary>Header names are lower-case; repeated headers arrive comma-joined.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    public Dictionary<string, string>? QueryStringParameters { get; set; }

    public ProxyRequestContext? RequestContext { get; set; }

    public string? Body { get; set; }

    public Dictionary<string, string>? PathParameters { get; set; }

    public bool IsBase64Encoded { get; set; }

    public Dictionary<string, string>? StageVariables { get; set; }

    public sealed class ProxyRequestContext
    {
        public string? AccountId { get; set; }

        public string? ApiId { get; set; }

        public AuthorizerDescription? Authorizer { get; set; }

        public string? DomainName { get; set; }

        public string? DomainPrefix { get; set; }

        public HttpDescription? Http { get; set; }

        public string? RequestId { get; set; }

        public string? RouteKey { get; set; }

        public string? Stage { get; set; }

        public string? Time { get; set; }

        public long TimeEpoch { get; set; }
    }

    public sealed class HttpDescription
    {
        public string? Method { get; set; }

        public string? Path { get; set; }

        public string? Protocol { get; set; }

        public string? SourceIp { get; set; }

        public string? UserAgent { get; set; }
    }

    public sealed class AuthorizerDescription
    {
        public IAMDescription? IAM { get; set; }

        /// <summary>The caller of an <c>AWS_IAM</c>-authorized route.</summary>
        public sealed class IAMDescription
        {
            public string? AccessKey { get; set; }

            public string? AccountId { get; set; }

            public string? CallerId { get; set; }

            public string? PrincipalOrgId { get; set; }

            [System.Text.Json.Serialization.JsonPropertyName("userArn")]
            public string? UserARN { get; set; }

            public string? UserId { get; set; }
        }
    }
}
