using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace Tap.LocalAws.Hosting;

/// <summary>A generated access key id in AWS's shape: <c>AKIA</c> and 16 upper-case letters and digits.</summary>
internal sealed class AwsAccessKeyIdDefault : ParameterDefault
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public override string GetDefaultValue() => "AKIA" + RandomNumberGenerator.GetString(Alphabet, 16);

    public override void WriteToManifest(ManifestPublishingContext context) =>
        new GenerateParameterDefault { MinLength = 20, Lower = false, Special = false }.WriteToManifest(context);
}

/// <summary>A generated secret access key of AWS's length: 40 characters.</summary>
internal sealed class AwsSecretAccessKeyDefault : ParameterDefault
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // Letters and digits only (AWS also uses / and +): the key is pasted into shells and URLs.
    public override string GetDefaultValue() => RandomNumberGenerator.GetString(Alphabet, 40);

    public override void WriteToManifest(ManifestPublishingContext context) =>
        new GenerateParameterDefault { MinLength = 40, Special = false }.WriteToManifest(context);
}
