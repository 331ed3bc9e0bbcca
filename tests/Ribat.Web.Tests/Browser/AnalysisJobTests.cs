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
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");
            var caseUrl = page.Url;

            await AcquireCaptureAsync(page, "acquire-evidence", "portal-edge.pcap");
            await page.GotoAsync(caseUrl);
            await AnalyseCaptureAsync(page, "portal-edge.pcap");

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

    [BrowserFact]
    public async Task A_cert_analyses_a_capture_on_an_incident_and_sees_its_reflectors_grouped_per_network()
    {
        await SetUpAsync();
        var page = await fixture.SignedInPageAsync(Analyst, Password);
        try
        {
            await page.GotoAsync("/incidents");
            await page.ClickAsync("[data-testid=new-incident]");
            await Field(page, "incident-title").FillAsync("Reflection flood on the exchange");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Category" }).First, "Availability / Distributed denial of service");
            await page.ClickAsync("[data-testid=save-incident]");
            await ArrivedAsync(page, "/incidents/[0-9a-f-]{36}$");
            var incidentUrl = page.Url;

            await AcquireCaptureAsync(page, "incident-acquire-evidence", "exchange-edge.pcap");
            await page.GotoAsync(incidentUrl);
            await Expect(page.Locator("[data-testid=incident-evidence-item]")).ToHaveTextAsync("exchange-edge.pcap");
            await AnalyseCaptureAsync(page, "exchange-edge.pcap");

            await page.ClickAsync("[data-testid=job-open]");
            await Expect(page.Locator("[data-testid=job-result] [data-testid=finding-title]")).ToHaveTextAsync("Traffic: isakmp-amplification");
            await Expect(page.Locator("[data-testid=traffic-chart] svg")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=raise-incident]")).ToHaveCountAsync(0);
            await page.ClickAsync("[data-testid=raise-indicators]");
            await Expect(page.Locator("[data-testid=raised]")).ToBeVisibleAsync();

            await page.ClickAsync("[data-testid=incident-networks-refresh]");
            var networks = page.Locator("[data-testid=incident-network]");
            await Expect(networks.First).ToBeVisibleAsync();
            var reflector = (await page.Locator("[data-testid=traffic-reflectors] tbody tr td").First.InnerTextAsync()).Trim();
            await Expect(page.Locator("[data-testid=incident-networks]")).ToContainTextAsync(reflector);
            await ScreenshotAsync(page, "incident-capture-networks");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-incident-capture", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Acquires the corpus ISAKMP amplification capture as <paramref name="fileName"/> through the page's acquire button.</summary>
    private static async Task AcquireCaptureAsync(IPage page, string acquireButton, string fileName)
    {
        await page.ClickAsync($"[data-testid={acquireButton}]");
        var capture = await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap"));
        await ChooseFileAsync(page.Locator("input[type=file]"), new FilePayload { Name = fileName, MimeType = "application/octet-stream", Buffer = capture },
            page.Locator("[data-testid=evidence-file-name]"));
        await page.ClickAsync("[data-testid=save-evidence]");
        await ArrivedAsync(page, "/evidence/[0-9a-f-]{36}$");
    }

    /// <summary>Starts a capture analysis of <paramref name="fileName"/> from the jobs panel of the page shown, and waits until it is done.</summary>
    private static async Task AnalyseCaptureAsync(IPage page, string fileName)
    {
        await page.ClickAsync("[data-testid=job-new]");
        await page.Locator("[data-testid=job-form]").GetByText(fileName).ClickAsync();
        await page.ClickAsync("[data-testid=job-start]");
        var status = page.Locator("[data-testid=job-status]");
        await Expect(status).ToHaveCountAsync(1);
        await Expect(status).ToHaveTextAsync("done", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
