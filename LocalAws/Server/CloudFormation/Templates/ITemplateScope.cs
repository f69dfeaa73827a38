using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>What the intrinsic functions read from the stack they are resolved for.</summary>
public interface ITemplateScope
{
    /// <summary>The stack's region (<c>Fn::GetAZs ""</c>).</summary>
    string Region { get; }

    /// <summary><c>Ref</c>: a parameter's value, a pseudo parameter or a resource's physical id; null for a name that is none of them.</summary>
    JsonNode? Ref(string name);

    /// <summary><c>Fn::GetAtt</c>: a resource's attribute; throws CloudFormation's error for one it does not have.</summary>
    JsonNode GetAtt(string logicalId, string attribute);

    /// <summary>A template condition's value.</summary>
    bool Condition(string name);

    /// <summary><c>Fn::ImportValue</c>: the value another stack exports under the name.</summary>
    string ImportValue(string exportName);
}
