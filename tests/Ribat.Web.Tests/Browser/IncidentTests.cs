using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// An incident in a real browser: opened and shared with a partner, a timeline entry and a task added, and the
/// partner's alert acknowledged from its inbox.
/// </summary>
public sealed class IncidentTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "incident-test-passphrase-01";
    private const string Lead = "analyst@cert-delta.example";
    private const string Partner = "duty@cert-epsilon.example";

    private Task SetUpAsync() => fixture.OnceAsync("cert", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Delta", "--country", "JO", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Epsilon", "--country", "MA", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "CERT Delta", "--email", Lead, "--role", "analyst", "--password", Password, "--name", "Dana Analyst");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "CERT Epsilon", "--email", Partner, "--role", "analyst", "--password", Password, "--name", "Omar Duty");
    });

    [BrowserFact]
    public async Task An_analyst_opens_an_incident_with_a_partner_adds_a_timeline_entry_and_a_task_and_the_partner_acknowledges_the_alert()
    {
        await SetUpAsync();
        var page = await SignedInPageAsync(Lead);
        try
        {
            await page.GotoAsync("/incidents");
            await page.ClickAsync("[data-testid=new-incident]");
            await Field(page, "incident-title").FillAsync("Ransomware outbreak in hospitals");
            await Field(page, "incident-description").FillAsync("SMB propagation, .WNCRY files.");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Category" }).First, "Malicious code / Infected system");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Participants" }).First, "CERT Epsilon (MA)", exact: false);
            await page.Keyboard.PressAsync("Escape");
            await page.ClickAsync("[data-testid=save-incident]");
            await page.WaitForURLAsync(new Regex("/incidents/[0-9a-f-]{36}$"), Committed);
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Ransomware outbreak in hospitals");
            await Expect(page.Locator("[data-testid=incident-status]")).ToHaveTextAsync("Reported");
            await Expect(page.Locator("[data-testid=incident-participants]")).ToContainTextAsync("CERT Epsilon");
            var incidentUrl = page.Url;

            await Field(page, "timeline-text").FillAsync("Kill-switch domain registered and sinkholed");
            await Field(page, "timeline-source").FillAsync("passive DNS");
            await page.ClickAsync("[data-testid=timeline-add]");
            await Expect(page.Locator("[data-testid=incident-timeline] tbody")).ToContainTextAsync("Kill-switch domain registered and sinkholed");

            await Field(page, "task-title").FillAsync("Block 445/tcp at the border");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Assigned to" }).First, "CERT Epsilon");
            await page.ClickAsync("[data-testid=task-add]");
            await Expect(page.Locator("[data-testid=incident-tasks] tbody")).ToContainTextAsync("Block 445/tcp at the border");
            await Expect(page.Locator("[data-testid=incident-tasks] tbody")).ToContainTextAsync("CERT Epsilon");
            await page.ClickAsync("[data-testid=incident-move-triage]");
            await Expect(page.Locator("[data-testid=incident-status]")).ToHaveTextAsync("Triage");
            await ScreenshotAsync(page, "incident-worked");

            var partner = await SignedInPageAsync(Partner);
            try
            {
                await partner.GotoAsync("/notifications");
                var alert = partner.Locator("[data-testid=inbox] tbody tr").Filter(new LocatorFilterOptions { HasText = "Ransomware outbreak in hospitals" });
                await Expect(alert).ToHaveCountAsync(1);
                await alert.Locator("[data-testid=acknowledge-alert]").ClickAsync();
                await Expect(alert.Locator("[data-testid=acknowledge-alert]")).ToHaveCountAsync(0);
                await ScreenshotAsync(partner, "incident-alert-acknowledged");

                await partner.GotoAsync(incidentUrl);
                await Expect(partner.Locator("[data-testid=incident-tasks] tbody")).ToContainTextAsync("Block 445/tcp at the border");
                await Expect(partner.Locator("[data-testid=incident-timeline] tbody")).ToContainTextAsync("Status: reported → triage");
            }
            finally
            {
                await partner.Context.CloseAsync();
            }
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-incident", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private Task<IPage> SignedInPageAsync(string email) => fixture.SignedInPageAsync(email, Password);
}
