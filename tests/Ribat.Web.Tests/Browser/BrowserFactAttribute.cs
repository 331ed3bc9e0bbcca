namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A test that drives real Chromium. It runs when RIBAT_TEST_BROWSER=1 or Chromium is installed, and is
/// skipped (with the reason) otherwise. Asking for it with RIBAT_TEST_BROWSER=1 on a machine without
/// Chromium runs it, so it fails loudly instead of passing by being skipped.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!Requested && !File.Exists(ChromiumPath))
        {
            Skip = $"Browser tests need Chromium at {ChromiumPath} (or set RIBAT_TEST_BROWSER=1 to require them).";
        }
    }

    public static bool Requested => Environment.GetEnvironmentVariable("RIBAT_TEST_BROWSER") == "1";
}
