using System.Xml.Linq;
using Amazon.CloudFormation.Model;
using Amazon.Runtime;
using Tap.Aws.CloudFormation.Protocol;
using Tap.Aws.Credentials;
using Tap.Aws.Errors;
using Tap.Aws.Http;
using Tap.Aws.Protocol;

namespace Amazon.CloudFormation;

/// <summary>
/// AWS CloudFormation over the Query protocol: a form <c>POST /</c> (<c>Action</c>, <c>Version=2010-05-15</c>),
/// signed with SigV4, answered in XML. Retries throttling and server errors itself (standard mode).
/// </summary>
public sealed class AmazonCloudFormationClient : IAmazonCloudFormation
{
    private static readonly AwsServiceMetadata Service = AwsServiceMetadata.CloudFormation;

    private readonly HttpClient _http;
    private readonly AwsOperationSender _sender;

    /// <summary>Credentials from the default chain; region and endpoint from the environment.</summary>
    public AmazonCloudFormationClient()
        : this(AwsCredentialsResolver.Resolve(), new AmazonCloudFormationConfig())
    {
    }

    public AmazonCloudFormationClient(AWSCredentials credentials, AmazonCloudFormationConfig config)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(config);
        var settings = config.Resolve();
        _http = SignedHttpClient.Create(credentials, settings.Region, Service.SigningName, config.Timeout);
        _sender = new AwsOperationSender(_http, Service, settings, AwsQueryError.Parse, AmazonCloudFormationException.Create, TimeProvider.System);
    }

    public Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync(CloudFormationQuery.Form(Required(request)), CloudFormationQuery.DescribeStacks, cancellationToken);

    public Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync(CloudFormationQuery.Form(Required(request)), CloudFormationQuery.CreateChangeSet, cancellationToken);

    public Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync(CloudFormationQuery.Form(Required(request)), CloudFormationQuery.DescribeChangeSet, cancellationToken);

    public Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(ExecuteChangeSetRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync(CloudFormationQuery.Form(Required(request)), _ => new ExecuteChangeSetResponse(), cancellationToken);

    public Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync(CloudFormationQuery.Form(Required(request)), CloudFormationQuery.DescribeStackEvents, cancellationToken);

    public Task<DescribeStackResourcesResponse> DescribeStackResourcesAsync(DescribeStackResourcesRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync(CloudFormationQuery.Form(Required(request)), CloudFormationQuery.DescribeStackResources, cancellationToken);

    public Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync(CloudFormationQuery.Form(Required(request)), _ => new DeleteStackResponse(), cancellationToken);

    public void Dispose() => _http.Dispose();

    private static T Required<T>(T request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }

    private async Task<TResponse> InvokeAsync<TResponse>(QueryForm form, Func<XElement, TResponse> read, CancellationToken cancellationToken)
        where TResponse : AmazonWebServiceResponse
    {
        var action = form.Fields[0].Value;
        var response = await _sender.SendAsync(action, () => new HttpRequestMessage(HttpMethod.Post, _sender.Settings.Endpoint) { Content = form.ToContent() },
            activity: null, cancellationToken).ConfigureAwait(false);
        var result = read(QueryXml.Result(response.Payload, action, response.RequestId));
        result.HttpStatusCode = response.StatusCode;
        result.ContentLength = response.Payload.LongLength;
        result.ResponseMetadata = new ResponseMetadata { RequestId = response.RequestId };
        return result;
    }
}
