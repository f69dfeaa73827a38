using System.Text;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation;

/// <summary>
/// Where a request's template comes from: <c>TemplateBody</c>, or <c>TemplateURL</c> naming an object in LocalAws's
/// S3 — in the forms the AWS CLI and the CDK CLI send (<c>https://s3.{region}.amazonaws.com/{bucket}/{key}</c>,
/// <c>https://{bucket}.s3.{region}.amazonaws.com/{key}</c>, …) or LocalAws's own S3 addresses — read as the caller
/// would read it, never fetched from the network.
/// </summary>
internal sealed class TemplateSource(S3Service s3, LocalAwsSettings settings)
{
    public const string BodyParameter = "TemplateBody";
    public const string UrlParameter = "TemplateURL";

    /// <summary>The template's text, or CloudFormation's ValidationError.</summary>
    public async Task<string> ReadAsync(IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var body = parameters.GetValueOrDefault(BodyParameter);
        var url = parameters.GetValueOrDefault(UrlParameter);
        switch ((body, url))
        {
            case (null, null):
                throw CloudFormationErrors.Validation("Either Template URL or Template Body must be specified.");
            case ({ }, { }):
                throw CloudFormationErrors.Validation("Specify exactly one of TemplateBody or TemplateURL.");
            case ({ } text, null):
                // The value is never quoted back: a template may carry secrets.
                return Encoding.UTF8.GetByteCount(text) <= TemplateReader.MaxBodyBytes
                    ? text
                    : throw CloudFormationErrors.Validation($"1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to {TemplateReader.MaxBodyBytes}");
            default:
                return await ReadUrlAsync(url!, access, cancellationToken);
        }
    }

    private async Task<string> ReadUrlAsync(string url, AccessCheck access, CancellationToken cancellationToken)
    {
        var (bucket, key) = Locate(url) ?? throw CloudFormationErrors.Validation("TemplateURL must be a supported URL.");
        byte[] bytes;
        try
        {
            bytes = await s3.ReadObjectAsync(access, bucket, key, TemplateReader.MaxUrlTemplateBytes, cancellationToken);
        }
        catch (AwsServiceException ex)
        {
            throw CloudFormationErrors.Validation(ex.Error.Code == "EntityTooLarge"
                ? $"Template may not exceed {TemplateReader.MaxUrlTemplateBytes} bytes in size."
                : $"S3 error: {ex.Error.Message}");
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw CloudFormationErrors.Validation("Template format error: the template is not UTF-8 text.");
        }
    }

    /// <summary>The bucket and key a template URL names, or null for a URL that names no S3 object.</summary>
    internal (string Bucket, string Key)? Locate(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        var path = uri.AbsolutePath;
        try
        {
            // AWS's own names: path-style s3[.-region].amazonaws.com/{bucket}/{key}, or {bucket}.s3[.-region].amazonaws.com/{key}.
            if (host.EndsWith(".amazonaws.com", StringComparison.Ordinal))
            {
                var labels = host[..^".amazonaws.com".Length];
                var s3Label = labels.Split('.').ToList().FindIndex(l => l == "s3" || l.StartsWith("s3-", StringComparison.Ordinal));
                if (s3Label < 0)
                {
                    return null;
                }

                var virtualBucket = s3Label == 0 ? null : string.Join('.', labels.Split('.')[..s3Label]);
                return Split(virtualBucket, path);
            }

            // LocalAws's own S3 addresses, as its S3 reads them.
            var address = S3Address.Parse(host, path, settings.Region);
            return address is { Bucket: { } b, Key: { Length: > 0 } k } ? (b, k) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static (string Bucket, string Key)? Split(string? virtualBucket, string path)
    {
        var rest = path.TrimStart('/');
        if (virtualBucket is not null)
        {
            return rest.Length > 0 ? (virtualBucket, S3Address.Decode(rest)) : null;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < rest.Length - 1 ? (S3Address.Decode(rest.AsSpan(0, slash)), S3Address.Decode(rest.AsSpan(slash + 1))) : null;
    }
}
