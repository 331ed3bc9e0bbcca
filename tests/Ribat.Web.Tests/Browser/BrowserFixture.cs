using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Ribat.Web.Tests.Browser;

/// <summary>One node and one Chromium shared by the browser tests of a class; each test opens its own context.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _once = new(StringComparer.Ordinal);
    private IPlaywright? _playwright;
    private RibatNode? _node;
    private IBrowser? _browser;

    public RibatNode Node => _node ?? throw new InvalidOperationException("The node did not start.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium did not start.");

    public async Task InitializeAsync()
    {
        // Skipped tests never reach here; a requested run without Chromium must fail with a reason.
        if (!File.Exists(BrowserFactAttribute.ChromiumPath))
        {
            if (BrowserFactAttribute.Requested)
            {
                throw new InvalidOperationException($"RIBAT_TEST_BROWSER=1 but Chromium is missing at {BrowserFactAttribute.ChromiumPath}. Install the chromium package.");
            }

            return;
        }

        // A busy machine answers a circuit round trip in more than Playwright's default 5 s now and then.
        Assertions.SetDefaultExpectTimeout(15_000);
        _node = await RibatNode.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>
    /// Cookies of a user already signed in, by e-mail: a class with many tests signs each user in once, as a person
    /// keeps their session, instead of spending the sign-in page's per-address rate limit on every test.
    /// </summary>
    public ConcurrentDictionary<string, string> Sessions { get; } = new(StringComparer.Ordinal);

    public async Task<IPage> NewPageAsync(string acceptLanguage = "en", string? storageState = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Node.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = acceptLanguage,
            StorageState = storageState,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in as <paramref name="email"/>: the first time through the sign-in page, then from the kept session.</summary>
    public async Task<IPage> SignedInPageAsync(string email, string password)
    {
        if (Sessions.TryGetValue(email, out var session))
        {
            return await NewPageAsync(storageState: session);
        }

        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");
        await BrowserSteps.SignInAsync(page, email, password);
        await page.Locator("[data-testid=organisation-count]").WaitForAsync();
        Sessions[email] = await page.Context.StorageStateAsync();
        return page;
    }

    /// <summary>Runs <paramref name="setUp"/> once per node, whichever test of the class comes first; the others wait for it.</summary>
    public Task OnceAsync(string key, Func<Task> setUp) =>
        _once.GetOrAdd(key, _ => new Lazy<Task>(setUp)).Value;

    /// <summary>Where screenshots go: $RIBAT_TEST_ARTIFACTS, else TestResults/browser under the test output.</summary>
    public static string ArtifactDirectory()
    {
        var directory = Environment.GetEnvironmentVariable("RIBAT_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "browser");
        Directory.CreateDirectory(directory);
        return directory;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
