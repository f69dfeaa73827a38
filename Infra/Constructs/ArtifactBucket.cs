using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace Tap.Infra.Constructs;

/// <summary>
/// A bucket for the app's artifacts: versioned, encrypted, no public access of any kind, TLS only, and kept when the
/// stack is deleted. Any further bucket must meet the same rules.
/// </summary>
public sealed class ArtifactBucket : Construct
{
    public ArtifactBucket(Construct scope, string id)
        : base(scope, id)
    {
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            Versioned = true,
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    public Bucket Bucket { get; }
}
