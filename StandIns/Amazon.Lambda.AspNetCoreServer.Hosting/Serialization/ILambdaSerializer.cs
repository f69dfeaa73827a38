namespace Amazon.Lambda.Core;

/// <summary>Converts Lambda events and responses between JSON streams and .NET objects.</summary>
public interface ILambdaSerializer
{
    T Deserialize<T>(Stream requestStream);

    void Serialize<T>(T response, Stream responseStream);
}
