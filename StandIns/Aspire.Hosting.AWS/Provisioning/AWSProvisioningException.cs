namespace Aspire.Hosting.AWS.Provisioning;

/// <summary>Provisioning an AWS resource failed; the message says at which step and why.</summary>
public class AWSProvisioningException : Exception
{
    public AWSProvisioningException()
    {
    }

    public AWSProvisioningException(string message)
        : base(message)
    {
    }

    public AWSProvisioningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
