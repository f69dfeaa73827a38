namespace Tap.LocalAws.Iam.Entities;

/// <summary>
/// The AWS managed policies LocalAws knows, by ARN (<c>arn:aws:iam::aws:policy/…</c>), with their documents:
/// <c>AdministratorAccess</c>, <c>AWSCloudFormationReadOnlyAccess</c> and the service-role policies as AWS publishes
/// them; <c>ReadOnlyAccess</c> with its statements for the services LocalAws serves (AWS's document lists every
/// service's read actions; the others grant nothing here, as there is nothing to read).
/// </summary>
internal static class AwsManagedPolicies
{
    public const string ArnPrefix = "arn:aws:iam::aws:policy/";

    private static readonly Dictionary<string, (string Path, string Description, string Document)> Known = new(StringComparer.Ordinal)
    {
        ["AdministratorAccess"] = ("/", "Provides full access to AWS services and resources.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""),
        ["ReadOnlyAccess"] = ("/", "Provides read-only access to AWS services and resources.",
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "cloudformation:Describe*","cloudformation:Detect*","cloudformation:Estimate*","cloudformation:Get*","cloudformation:List*","cloudformation:Validate*",
            "iam:Generate*","iam:Get*","iam:List*","iam:Simulate*",
            "lambda:Get*","lambda:List*",
            "logs:Describe*","logs:FilterLogEvents","logs:Get*","logs:ListTagsForResource","logs:ListTagsLogGroup","logs:StartQuery","logs:StopQuery","logs:TestMetricFilter",
            "s3:DescribeJob","s3:Get*","s3:List*",
            "secretsmanager:DescribeSecret","secretsmanager:GetResourcePolicy","secretsmanager:ListSecretVersionIds","secretsmanager:ListSecrets",
            "ssm:Describe*","ssm:Get*","ssm:List*",
            "sts:GetCallerIdentity"],"Resource":"*"}]}
            """),
        ["AWSCloudFormationReadOnlyAccess"] = ("/", "Provides access to AWS CloudFormation via the AWS Management Console.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudformation:Describe*","cloudformation:EstimateTemplateCost","cloudformation:Get*","cloudformation:List*","cloudformation:ValidateTemplate","cloudformation:Detect*"],"Resource":"*"}]}"""),
        ["AWSLambdaBasicExecutionRole"] = ("/service-role/", "Provides write permissions to CloudWatch Logs.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"""),
    };

    /// <summary>Each known policy as a managed policy record, by ARN (its path is part of it).</summary>
    private static readonly Dictionary<string, ManagedPolicy> ByArn = Known.Select(p => Record(p.Key, p.Value.Path, p.Value.Description, p.Value.Document))
        .ToDictionary(p => p.Arn, StringComparer.Ordinal);

    /// <summary>The policy an AWS managed ARN names; null for one LocalAws does not know.</summary>
    public static ManagedPolicy? Find(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        return ByArn.GetValueOrDefault(arn);
    }

    private static ManagedPolicy Record(string name, string path, string description, string document)
    {
        var arn = $"arn:aws:iam::aws:policy{path}{name}";
        var published = new DateTimeOffset(2015, 2, 6, 18, 39, 46, TimeSpan.Zero);
        return new ManagedPolicy(name, path, arn, "ANPA" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(arn)))[..17],
            description, [new PolicyVersion("v1", document, published)], "v1", published, published);
    }
}
