namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>The account's exports, across its live stacks: what <c>Fn::ImportValue</c> reads and what an export may not collide with or leave dangling.</summary>
public interface IStackExports
{
    /// <summary>The export of a name, and the stack that exports it; null when no live stack does.</summary>
    StackExport? Find(string exportName);

    /// <summary>A live stack other than <paramref name="exceptStackId"/> that imports the name, if any.</summary>
    string? ImporterOf(string exportName, string exceptStackId);
}

/// <summary>One export: its value and the stack it comes from.</summary>
public sealed record StackExport(string StackId, string StackName, string Value);
