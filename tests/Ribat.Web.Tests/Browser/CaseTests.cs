using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A case in a real browser: opened, a file acquired through the upload form, sealed, transferred and the
/// transfer acknowledged by the receiver, with the custody history and verification on the item's page.
/// </summary>
public sealed class CaseTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "case-test-passphrase-01";
    private const string Investigator = "investigator@gamma.example";
    private const string Colleague = "colleague@gamma.example";

    private Task SetUpAsync() => fixture.OnceAsync("unit", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Cyber Unit Gamma", "--country", "TN", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Cyber Unit Gamma", "--email", Investigator, "--role", "investigator", "--password", Password, "--name", "Ines Investigator");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Cyber Unit Gamma", "--email", Colleague, "--role", "investigator", "--password", Password, "--name", "Karim Colleague");
    });

    [BrowserFact]
    public async Task An_investigator_opens_a_case_acquires_a_file_and_transfers_it_to_a_colleague_who_acknowledges()
    {
        await SetUpAsync();
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var page = await SignedInPageAsync(Investigator);
        try
        {
            await page.GotoAsync("/cases");
            await page.ClickAsync("[data-testid=new-case]");
            await Field(page, "case-title").FillAsync("Sextortion ring");
            await Field(page, "case-summary").FillAsync("Victims reported threats by e-mail.");
            await page.ClickAsync("[data-testid=save-case]");
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");
            var caseUrl = page.Url;
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Sextortion ring");
            await Expect(page.Locator("[data-testid=case-status]")).ToHaveTextAsync("Open");
            await page.ClickAsync("[data-testid=case-move-active]");
            await Expect(page.Locator("[data-testid=case-status]")).ToHaveTextAsync("Active");

            await page.ClickAsync("[data-testid=acquire-evidence]");
            await ChooseFileAsync(page.Locator("input[type=file]"), new FilePayload { Name = "phone.bin", MimeType = "application/octet-stream", Buffer = bytes },
                page.Locator("[data-testid=evidence-file-name]"));
            await Expect(page.Locator("[data-testid=evidence-file-name]")).ToContainTextAsync("phone.bin");
            await Field(page, "evidence-method").FillAsync("logical extraction");
            await Field(page, "evidence-seal").FillAsync("TN-2026-0042");
            await page.ClickAsync("[data-testid=save-evidence]");
            await ArrivedAsync(page, "/evidence/[0-9a-f-]{36}$");
            await Expect(page.Locator("[data-testid=evidence-sha256]")).ToHaveTextAsync(sha256);
            await Expect(page.Locator("[data-testid=evidence-holder]")).ToHaveTextAsync("Ines Investigator");
            var itemUrl = page.Url;

            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Step" }).First, "Transfer");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Transfer to" }).First, "Karim Colleague", exact: false);
            await Field(page, "custody-notes").FillAsync("for analysis");
            await page.ClickAsync("[data-testid=record-custody]");
            await Expect(page.Locator("[data-testid=evidence-state]")).ToHaveTextAsync("In transfer");
            await Expect(page.Locator("[data-testid=custody] tbody tr")).ToHaveCountAsync(2);
            await ScreenshotAsync(page, "evidence-transfer");

            var colleague = await SignedInPageAsync(Colleague);
            try
            {
                await colleague.GotoAsync(itemUrl);
                await colleague.ClickAsync("[data-testid=acknowledge]");
                await Expect(colleague.Locator("[data-testid=evidence-holder]")).ToHaveTextAsync("Karim Colleague");
                await Expect(colleague.Locator("[data-testid=evidence-state]")).ToHaveTextAsync("Held");
                var rows = colleague.Locator("[data-testid=custody] tbody tr");
                await Expect(rows).ToHaveCountAsync(3);
                await Expect(rows.Nth(2)).ToContainTextAsync("Received");
                await Expect(rows.Nth(2)).ToContainTextAsync("Ines Investigator → Karim Colleague");
                await colleague.ClickAsync("[data-testid=verify-item]");
                await Expect(colleague.Locator("[data-testid=verification-result]")).ToContainTextAsync("Intact");
                await ScreenshotAsync(colleague, "evidence-received");

                // The new holder analyses the item: its findings appear, and the custody log says so.
                await colleague.ClickAsync("[data-testid=analyse-file]");
                await Expect(colleague.Locator("[data-testid=finding]")).ToHaveCountAsync(1);
                await Expect(colleague.Locator("[data-testid=finding-indicators]")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
                await Expect(rows).ToHaveCountAsync(4);
                await Expect(rows.Nth(3)).ToContainTextAsync("Analysed");
                await Expect(colleague.Locator("[data-testid=analyse-file]")).ToHaveCountAsync(0);
            }
            finally
            {
                await colleague.Context.CloseAsync();
            }

            await page.GotoAsync(caseUrl);
            await WorkTheCaseAsync(page);
            await ExportAndVerifyAsync(page, caseUrl[(caseUrl.LastIndexOf('/') + 1)..]);
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-case", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>A task moved along, a note edited and its revisions compared, an entry on the timeline beside the custody steps and the finding.</summary>
    private static async Task WorkTheCaseAsync(IPage page)
    {
        await Field(page, "case-task-title").FillAsync("Request subscriber data");
        await page.ClickAsync("[data-testid=case-task-add]");
        var tasks = page.Locator("[data-testid=case-task]");
        await Expect(tasks).ToHaveCountAsync(1);
        await Expect(tasks.First).ToContainTextAsync("Request subscriber data");
        await page.Locator("[data-testid=case-tasks] div.mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("In progress", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await Expect(tasks.First).ToContainTextAsync("In progress");

        await Field(page, "case-note-title").FillAsync("Interview");
        await Field(page, "case-note-body").FillAsync("The victim paid 3 BTC.");
        await page.ClickAsync("[data-testid=case-note-save]");
        await Expect(page.Locator("[data-testid=case-note-revision]")).ToHaveTextAsync("Revision 1");
        await page.ClickAsync("[data-testid=case-note-edit]");

        // The editor takes the note's text after a round trip; text typed before it arrives would be joined to it.
        await Expect(Field(page, "case-note-body")).ToHaveValueAsync("The victim paid 3 BTC.");
        await Field(page, "case-note-body").FillAsync("The victim paid 2 BTC.");
        await page.ClickAsync("[data-testid=case-note-save]");
        await Expect(page.Locator("[data-testid=case-note-revision]")).ToHaveTextAsync("Revision 2");
        await Expect(page.Locator("[data-testid=case-note-text]")).ToHaveTextAsync("The victim paid 2 BTC.");
        await page.ClickAsync("[data-testid=case-note-history]");
        await Expect(page.Locator("[data-testid=case-note-revisions] tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=case-note-diff]")).ToContainTextAsync("− The victim paid 3 BTC.");
        await Expect(page.Locator("[data-testid=case-note-diff]")).ToContainTextAsync("+ The victim paid 2 BTC.");

        await Field(page, "case-timeline-text").FillAsync("Victim reported the threat");
        await Field(page, "case-timeline-source").FillAsync("phone call");
        await page.ClickAsync("[data-testid=case-timeline-add]");
        await Expect(page.Locator("[data-testid=timeline-entry]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=timeline-entry]")).ToContainTextAsync("phone call");
        await Expect(page.Locator("[data-testid=timeline-custody]")).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-testid=timeline-finding]")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "case-work");
    }

    /// <summary>The prosecution package saved from the case page passes <c>ribat verify</c>; the court report downloads beside it.</summary>
    private static async Task ExportAndVerifyAsync(IPage page, string caseId)
    {
        await Expect(page.Locator("[data-testid=export-package]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=court-report-pdf]")).ToBeVisibleAsync();
        var package = await page.APIRequest.GetAsync($"/ui/cases/{caseId}/package");
        package.Status.Should().Be(200);
        var zip = Path.Combine(Path.GetTempPath(), $"ribat-package-{caseId}.zip");
        await File.WriteAllBytesAsync(zip, await package.BodyAsync());
        try
        {
            var (exit, output) = await RibatNode.RunOfflineAsync("verify", zip);
            exit.Should().Be(0, output);
            output.Should().Contain("Package intact").And.Contain("Sextortion ring").And.Contain("1 evidence file(s)");
        }
        finally
        {
            File.Delete(zip);
        }

        var report = await page.APIRequest.GetAsync($"/ui/cases/{caseId}/report.pdf");
        report.Status.Should().Be(200);
        report.Headers["content-type"].Should().Be("application/pdf");
    }

    [BrowserFact]
    public async Task An_investigator_captures_a_web_page_into_the_case_from_the_case_page()
    {
        await SetUpAsync();
        await using var site = LoopbackPage.Start("<html><body><h1>Pay or your photos go public</h1></body></html>");
        var page = await SignedInPageAsync(Investigator);
        try
        {
            await page.GotoAsync("/cases");
            await page.ClickAsync("[data-testid=new-case]");
            await Field(page, "case-title").FillAsync("Extortion page");
            await page.ClickAsync("[data-testid=save-case]");
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");

            await page.ClickAsync("[data-testid=capture-page]");
            await Field(page, "capture-url").FillAsync("ftp://files.example/x");
            await page.ClickAsync("[data-testid=capture-start]");
            await Expect(page.Locator("[data-testid=problem]")).ToContainTextAsync("not an http or https URL");
            await Expect(page.Locator("[data-testid=evidence] tbody tr td a")).ToHaveCountAsync(0);

            await Field(page, "capture-url").FillAsync(site.Url);
            await page.ClickAsync("[data-testid=capture-start]");
            await Expect(page.Locator("[data-testid=capture-done]")).ToContainTextAsync(site.Url, new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
            var items = page.Locator("[data-testid=evidence] tbody tr td a");
            await Expect(items).ToHaveCountAsync(3);
            (await items.AllInnerTextsAsync()).Select(Path.GetExtension).Should().BeEquivalentTo([".png", ".html", ".json"]);
            await ScreenshotAsync(page, "case-capture");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-case-capture", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>One HTML page served on a free loopback port, for the node's browser to capture.</summary>
    private sealed class LoopbackPage : IAsyncDisposable
    {
        private readonly System.Net.HttpListener _listener;
        private readonly Task _serving;

        private LoopbackPage(System.Net.HttpListener listener, string url, byte[] body)
        {
            _listener = listener;
            Url = url;
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    System.Net.HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public static LoopbackPage Start(string html)
        {
            var port = System.Net.IPEndPoint.MinPort;
            using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            }

            var url = $"http://127.0.0.1:{port}/post/7";
            var listener = new System.Net.HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return new LoopbackPage(listener, url, System.Text.Encoding.UTF8.GetBytes(html));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _serving;
        }
    }

    private Task<IPage> SignedInPageAsync(string email) => fixture.SignedInPageAsync(email, Password);
}
