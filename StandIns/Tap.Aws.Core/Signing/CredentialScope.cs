namespace Tap.Aws.Signing;

/// <summary>The <c>date/region/service/aws4_request</c> part of a SigV4 credential.</summary>
/// <param name="Date">The signing date, <c>yyyyMMdd</c>.</param>
/// <param name="Region">The region, e.g. <c>us-east-1</c>.</param>
/// <param name="Service">The signing name of the service, e.g. <c>secretsmanager</c>, <c>execute-api</c>.</param>
public sealed record CredentialScope(string Date, string Region, string Service)
{
    public override string ToString() => $"{Date}/{Region}/{Service}/{SigV4Constants.Terminator}";
}
