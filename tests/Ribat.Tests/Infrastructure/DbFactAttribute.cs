using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ribat.Tests.Infrastructure;

/// <summary>
/// A fact that runs against both databases: test classes whose name ends in <c>Postgres</c> are skipped,
/// with the reason, when <c>RIBAT_TEST_POSTGRES</c> is not set. The shared tests live in an abstract class,
/// so only the concrete class knows which database it is for.
/// </summary>
[XunitTestCaseDiscoverer("Ribat.Tests.Infrastructure.DbFactDiscoverer", "Ribat.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DbFactAttribute : FactAttribute
{
    public const string PostgresVariable = "RIBAT_TEST_POSTGRES";

    public static string? Postgres => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    public static string SkipReason => $"{PostgresVariable} is not set (for example Host=127.0.0.1;Port=55432;Username=ribat;Database=postgres; .ci/start-postgres starts a server).";
}

public sealed class DbFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new DbTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

public sealed class DbTestCase : XunitTestCase
{
    [Obsolete("For deserialisation only.")]
    public DbTestCase()
    {
    }

    public DbTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(diagnostics, display, options, testMethod)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        TestMethod.TestClass.Class.Name.EndsWith("Postgres", StringComparison.Ordinal) && DbFactAttribute.Postgres is null
            ? DbFactAttribute.SkipReason
            : base.GetSkipReason(factAttribute);
}
