using Xunit.Sdk;
using Xunit.v3;

namespace Tap.Integration.Tests;

/// <summary>Marks a test class that restarts LocalAws in the shared app: it runs after every other class.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ResetsTheAppAttribute : Attribute;

/// <summary>
/// Runs the test classes by name, those marked <see cref="ResetsTheAppAttribute"/> last: a LocalAws restart forgets the
/// STS sessions the running function still holds, so a class after it would see a function that cannot reload its
/// secret until its credentials expire.
/// </summary>
public sealed class ResetsTheAppOrderer : ITestClassOrderer
{
    public IReadOnlyCollection<TTestClass?> OrderTestClasses<TTestClass>(IReadOnlyCollection<TTestClass?> testClasses)
        where TTestClass : ITestClass =>
        [.. testClasses
            .OrderBy(c => c is IXunitTestClass x && x.Class.IsDefined(typeof(ResetsTheAppAttribute), inherit: false))
            .ThenBy(c => c?.TestClassName, StringComparer.Ordinal)];
}
