using System.Runtime.CompilerServices;
namespace Amazon.SecretsManager.Model;

/// <summary>Paginators, as in the AWS SDK: <c>client.Paginators.ListSecrets(request).SecretList</c>.</summary>
public interface ISecretsManagerPaginatorFactory
{
    IListSecretsPaginator ListSecrets(ListSecretsRequest request);
}

public interface IListSecretsPaginator
{
    /// <summary>Every page, following <c>NextToken</c>.</summary>
    IAsyncEnumerable<ListSecretsResponse> Responses { get; }

    /// <summary>Every secret across all pages.</summary>
    IAsyncEnumerable<SecretListEntry> SecretList { get; }
}

internal sealed class SecretsManagerPaginatorFactory(IAmazonSecretsManager client) : ISecretsManagerPaginatorFactory
{
    public IListSecretsPaginator ListSecrets(ListSecretsRequest request) => new ListSecretsPaginator(client, request);
}

internal sealed class ListSecretsPaginator(IAmazonSecretsManager client, ListSecretsRequest request) : IListSecretsPaginator
{
    public IAsyncEnumerable<ListSecretsResponse> Responses => EnumerateResponses();

    public IAsyncEnumerable<SecretListEntry> SecretList => EnumerateSecrets();

    private async IAsyncEnumerable<ListSecretsResponse> EnumerateResponses([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var token = request.NextToken;
        do
        {
            var page = await client.ListSecretsAsync(
                new ListSecretsRequest
                {
                    Filters = request.Filters,
                    IncludePlannedDeletion = request.IncludePlannedDeletion,
                    MaxResults = request.MaxResults,
                    SortOrder = request.SortOrder,
                    NextToken = token,
                },
                cancellationToken).ConfigureAwait(false);
            yield return page;
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
    }

    private async IAsyncEnumerable<SecretListEntry> EnumerateSecrets([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in EnumerateResponses(cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in page.SecretList ?? [])
            {
                yield return entry;
            }
        }
    }
}
