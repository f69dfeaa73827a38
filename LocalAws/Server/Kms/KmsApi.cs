using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Kms;

/// <summary>
/// AWS KMS (AWS JSON 1.1, <c>X-Amz-Target: TrentService.{Operation}</c>): the key and alias operations a deployment
/// needs (the CDK's bootstrap stack can make a key for its bucket), each with the <c>kms:</c> action it demands.
/// No cryptographic operation is served: LocalAws holds no key material.
/// </summary>
internal sealed class KmsApi(KmsService service) : JsonServiceApi<KmsService>(service, AwsServiceMetadata.Kms, Served)
{
    private const string KeyArn = "arn:aws:kms:{region}:{account}:key/{keyId}";
    private const string AliasArn = "arn:aws:kms:{region}:{account}:alias/{aliasName}";

    private static readonly JsonOperationTable<KmsService> Served = new(
    [
        (new("CreateKey", "kms:CreateKey", "*"), (s, r, a, w) => s.CreateKey(r, a, w)),
        (new("DescribeKey", "kms:DescribeKey", KeyArn), (s, r, a, w) => s.DescribeKey(r, a, w)),
        (new("ListKeys", "kms:ListKeys", "*"), (s, r, a, w) => s.ListKeys(r, a, w)),
        (new("UpdateKeyDescription", "kms:UpdateKeyDescription", KeyArn), (s, r, a, w) => s.UpdateKeyDescription(r, a, w)),
        (new("EnableKey", "kms:EnableKey", KeyArn), (s, r, a, w) => s.SetEnabled(r, a, w, enabled: true)),
        (new("DisableKey", "kms:DisableKey", KeyArn), (s, r, a, w) => s.SetEnabled(r, a, w, enabled: false)),
        (new("GetKeyPolicy", "kms:GetKeyPolicy", KeyArn), (s, r, a, w) => s.GetKeyPolicy(r, a, w)),
        (new("PutKeyPolicy", "kms:PutKeyPolicy", KeyArn), (s, r, a, w) => s.PutKeyPolicy(r, a, w)),
        (new("EnableKeyRotation", "kms:EnableKeyRotation", KeyArn), (s, r, a, w) => s.SetKeyRotation(r, a, w, enabled: true)),
        (new("DisableKeyRotation", "kms:DisableKeyRotation", KeyArn), (s, r, a, w) => s.SetKeyRotation(r, a, w, enabled: false)),
        (new("GetKeyRotationStatus", "kms:GetKeyRotationStatus", KeyArn), (s, r, a, w) => s.GetKeyRotationStatus(r, a, w)),
        (new("ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", KeyArn), (s, r, a, w) => s.ScheduleKeyDeletion(r, a, w)),
        (new("CancelKeyDeletion", "kms:CancelKeyDeletion", KeyArn), (s, r, a, w) => s.CancelKeyDeletion(r, a, w)),
        (new("CreateAlias", "kms:CreateAlias", AliasArn), (s, r, a, w) => s.CreateAlias(r, a, w)),
        (new("UpdateAlias", "kms:UpdateAlias", AliasArn), (s, r, a, w) => s.UpdateAlias(r, a, w)),
        (new("DeleteAlias", "kms:DeleteAlias", AliasArn), (s, r, a, w) => s.DeleteAlias(r, a, w)),
        (new("ListAliases", "kms:ListAliases", "*"), (s, r, a, w) => s.ListAliases(r, a, w)),
    ]);

    /// <inheritdoc cref="JsonOperationTable{TService}.Invoke"/>
    public static JsonDocument Invoke(KmsService service, string operation, CallerIdentity caller, string region, JsonObject input) =>
        Served.Invoke(service, operation, caller, region, input);
}
