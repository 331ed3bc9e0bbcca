using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ribat.Testing;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A capture analysis in a real browser: a corpus capture acquired into a case, analysed in the background from the
/// case page, its progress followed until it is done, and its interactive chart and reflectors shown.
/// </summary>
public sealed class AnalysisJobTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "jobs-test-passphrase-01";
    private const string Analyst = "analyst@delta.example";

    private Task SetUpAsync() => fixture.OnceAsync("cert", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Delta", "--country", "JO", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "CERT Delta", "--email", Analyst, "--role", "analyst", "--password", Password, "--name", "Dana Analyst");
    });

    [BrowserFact]
    public async Task An_analyst_runs_a_capture_analysis_on_an_uploaded_capture_and_sees_its_chart()
    {
        await SetUpAsync();
        var page = await fixture.SignedInPageAsync(Analyst, Password);
        try
        {
            await page.GotoAsync("/cases");
            await page.ClickAsync("[data-testid=new-case]");
            await Field(page, "case-title").FillAsync("DDoS on the ministry portal");
            await page.ClickAsync("[data-testid=save-case]");
            await page.WaitForURLAsync(new Regex("/cases/[0-9a-f-]{36}$"), Committed);
            var caseUrl = page.Url;

            await page.ClickAsync("[data-testid=acquire-evidence]");
            var capture = await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap"));
            await ChooseFileAsync(page.Locator("input[type=file]"), new FilePayload { Name = "portal-edge.pcap", MimeType = "application/octet-stream", Buffer = capture },
                page.Locator("[data-testid=evidence-file-name]"));
            await page.ClickAsync("[data-testid=save-evidence]");
            await page.WaitForURLAsync(new Regex("/evidence/[0-9a-f-]{36}$"), Committed);

            await page.GotoAsync(caseUrl);
            await page.ClickAsync("[data-testid=job-new]");
            await page.Locator("[data-testid=job-form]").GetByText("portal-edge.pcap").ClickAsync();
            await page.ClickAsync("[data-testid=job-start]");
            var status = page.Locator("[data-testid=job-status]");
            await Expect(status).ToHaveCountAsync(1);
            await Expect(status).ToHaveTextAsync("done", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });

            await page.ClickAsync("[data-testid=job-open]");
            await Expect(page.Locator("[data-testid=job-result] [data-testid=finding-title]")).ToHaveTextAsync("Traffic: isakmp-amplification");
            await Expect(page.Locator("[data-testid=traffic-chart] svg")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=traffic-chart] path.mud-chart-line")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=traffic-reflectors] tbody tr").First).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=traffic-png]")).ToHaveAttributeAsync("href", new Regex("^data:image/png;base64,"));
            await ScreenshotAsync(page, "capture-analysis");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-capture-analysis", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
