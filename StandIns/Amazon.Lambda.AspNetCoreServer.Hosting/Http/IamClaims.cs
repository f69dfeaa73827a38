using System.Security.Claims;
using Amazon.Lambda.APIGatewayEvents;

namespace Tap.Aws.Lambda.Hosting.Http;

/// <summary>Turns the IAM authorizer's description of the caller into an authenticated principal.</summary>
internal static class IamClaims
{
    public static ClaimsPrincipal? FromAuthorizer(APIGatewayHttpApiV2ProxyRequest.AuthorizerDescription.IAMDescription? iam)
    {
        if (iam?.UserARN is not { Length: > 0 } userArn)
        {
            return null;
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userArn),
            new(ClaimTypes.Name, userArn),
            new(LambdaClaimTypes.UserArn, userArn),
        };
        Add(claims, LambdaClaimTypes.AccessKey, iam.AccessKey);
        Add(claims, LambdaClaimTypes.AccountId, iam.AccountId);
        Add(claims, LambdaClaimTypes.CallerId, iam.CallerId);
        Add(claims, LambdaClaimTypes.UserId, iam.UserId);
        Add(claims, LambdaClaimTypes.PrincipalOrgId, iam.PrincipalOrgId);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, LambdaClaimTypes.AuthenticationType));
    }

    private static void Add(List<Claim> claims, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            claims.Add(new Claim(type, value));
        }
    }
}
