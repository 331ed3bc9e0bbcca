using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Ribat.Core.Capture;
using Ribat.Core.Common;

namespace Ribat.Capture;

/// <summary>
/// Captures pages in the system's headless Chromium (never a downloaded browser), driven through Playwright: one
/// fresh browser per capture, so no cookie, cache or service worker of one capture reaches another. The page is
/// loaded until its load event, then the whole page is photographed. At most two captures run at once on a node.
/// Every request of the browser goes through a <see cref="GuardedProxy"/>, so the page reaches only the addresses
/// <see cref="CaptureOptions"/> allows (public ones by default); what it was refused is part of the capture.
/// </summary>
internal sealed class ChromiumPageCapturer(TimeProvider clock, IOptions<CaptureOptions> options) : IPageCapturer
{
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Running = new(2, 2);

    /// <summary>The browser: <c>RIBAT_CHROMIUM</c> when set, else the distribution's <c>/usr/bin/chromium</c>.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("RIBAT_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultChromiumPath;

    public async Task<Result<CapturedPage>> CaptureAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var chromium = ChromiumPath;
        if (!File.Exists(chromium))
        {
            return Failed($"Chromium is not installed at {chromium} (install the distribution's chromium package, or set RIBAT_CHROMIUM).");
        }

        var reach = options.Value;
        var (allowed, refusal) = await NetworkReach.ResolveAsync(url.IdnHost, reach.AllowLoopback, reach.AllowPrivateNetworks, cancellationToken);
        if (allowed.Length == 0)
        {
            return Failed(refusal!.EndsWith("does not resolve", StringComparison.Ordinal) || refusal.EndsWith("no address", StringComparison.Ordinal)
                ? $"the host {url.Host} does not exist (its name does not resolve); nothing was captured."
                : $"{refusal}; captures load only what the node's settings allow (Ribat:Capture), so nothing was captured.");
        }

        await Running.WaitAsync(cancellationToken);
        await using var proxy = GuardedProxy.Start(reach);
        try
        {
            return await RunAsync(chromium, url, timeout, proxy);
        }
        catch (TimeoutException)
        {
            return Failed($"the page {Short(url)} did not finish loading within {timeout.TotalSeconds:0} seconds; nothing was captured.");
        }
        catch (PlaywrightException ex)
        {
            return Failed(Explain(ex, url, proxy.Blocked));
        }
        finally
        {
            Running.Release();
        }
    }

    private async Task<Result<CapturedPage>> RunAsync(string chromium, Uri url, TimeSpan timeout, GuardedProxy proxy)
    {
        var milliseconds = (float)timeout.TotalMilliseconds;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Timeout = 60_000,
            Proxy = new Proxy { Server = proxy.Address.AbsoluteUri.TrimEnd('/'), Bypass = "<-loopback>" },
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--mute-audio", "--disable-quic", "--dns-prefetch-disable",
                "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            ],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            AcceptDownloads = false,
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        context.SetDefaultTimeout(milliseconds);
        var page = await context.NewPageAsync();
        var started = clock.GetUtcNow();
        var response = await page.GotoAsync(url.AbsoluteUri, new PageGotoOptions { Timeout = milliseconds, WaitUntil = WaitUntilState.Load });
        if (response is not null && await Withheld(response) is { } withheld)
        {
            return Failed($"the page led to {Short(new Uri(response.Url))}, and {withheld}; nothing was captured.");
        }

        var html = await page.ContentAsync();
        var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png, Timeout = milliseconds });
        var finished = clock.GetUtcNow();

        var headers = new List<CapturedHeader>();
        var redirects = new List<Uri>();
        if (response is not null)
        {
            foreach (var header in await response.HeadersArrayAsync())
            {
                headers.Add(new CapturedHeader(header.Name, header.Value));
            }

            for (var hop = response.Request.RedirectedFrom; hop is not null; hop = hop.RedirectedFrom)
            {
                redirects.Insert(0, new Uri(hop.Url));
            }
        }

        var final = new Uri(response?.Url ?? page.Url);
        return new CapturedPage(url, final, redirects, response?.Status, headers, screenshot, html, started, finished, $"Chromium {browser.Version}", proxy.Blocked);
    }

    /// <summary>Why the proxy answered the page itself instead of its server: refused or unreachable; null when it did not.</summary>
    private static async Task<string?> Withheld(IResponse response)
    {
        var refused = await response.HeaderValueAsync(GuardedProxy.RefusedHeader);
        if (refused is not null)
        {
            return $"{refused}; captures load only what the node's settings allow (Ribat:Capture)";
        }

        return await response.HeaderValueAsync(GuardedProxy.UnreachableHeader);
    }

    private static string Explain(PlaywrightException ex, Uri url, IReadOnlyList<BlockedRequest> blocked)
    {
        var message = ex.Message;
        if (message.Contains("ERR_TUNNEL_CONNECTION_FAILED", StringComparison.Ordinal) && blocked.Count > 0)
        {
            return $"the page led to {blocked[^1].Target}, and {blocked[^1].Reason}; captures load only what the node's settings allow (Ribat:Capture), so nothing was captured.";
        }

        if (message.Contains("ERR_TUNNEL_CONNECTION_FAILED", StringComparison.Ordinal))
        {
            return $"{url.Host} could not be reached (or the page led to an address captures may not load); nothing was captured.";
        }

        if (message.Contains("ERR_NAME_NOT_RESOLVED", StringComparison.Ordinal) || message.Contains("ERR_NAME_RESOLUTION_FAILED", StringComparison.Ordinal))
        {
            return $"the host {url.Host} does not exist (its name does not resolve); nothing was captured.";
        }

        if (message.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal))
        {
            return $"{url.Host} refused the connection; nothing was captured.";
        }

        if (message.Contains("Download is starting", StringComparison.Ordinal))
        {
            return $"{Short(url)} is a download, not a page; acquire the file itself as evidence.";
        }

        var first = message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "the browser failed";
        return $"the page {Short(url)} could not be loaded: {first}; nothing was captured.";
    }

    private static string Short(Uri url) => url.AbsoluteUri.Length <= 200 ? url.AbsoluteUri : url.AbsoluteUri[..197] + "...";

    private static Error Failed(string message) => new(ErrorKind.Validation, "capture-failed", message, new Dictionary<string, string[]> { ["url"] = [message] });
}
