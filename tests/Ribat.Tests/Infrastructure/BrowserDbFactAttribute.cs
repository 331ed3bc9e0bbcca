using Xunit.Sdk;

namespace Ribat.Tests.Infrastructure;

/// <summary>
/// A <see cref="DbFactAttribute"/> that also drives real Chromium, gated as the browser tests are: it runs when
/// RIBAT_TEST_BROWSER=1 or Chromium is installed, and is skipped (with the reason) otherwise. Asked for with
/// RIBAT_TEST_BROWSER=1 on a machine without Chromium, it runs and fails loudly.
/// </summary>
[XunitTestCaseDiscoverer("Ribat.Tests.Infrastructure.DbFactDiscoverer", "Ribat.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserDbFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserDbFactAttribute()
    {
        if (!Requested && !File.Exists(ChromiumPath))
        {
            Skip = $"Capture tests need Chromium at {ChromiumPath} (or set RIBAT_TEST_BROWSER=1 to require them).";
        }
    }

    public static bool Requested => Environment.GetEnvironmentVariable("RIBAT_TEST_BROWSER") == "1";
}
