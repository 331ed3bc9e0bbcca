using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A joint investigation in a real browser, on the lead's side: a case opened with a partner organisation picked in
/// the form, the team's page reached from the case, and a timeline event written for the team and shown there.
/// </summary>
public sealed class JointInvestigationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "joint-test-passphrase-01";
    private const string Investigator = "lead@delta.example";

    private Task SetUpAsync() => fixture.OnceAsync("joint", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Cyber Unit Delta", "--country", "TN", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Parquet Epsilon", "--country", "FR", "--kind", "prosecutor");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Cyber Unit Delta", "--email", Investigator, "--role", "investigator", "--password", Password, "--name", "Leila Lead");
    });

    [BrowserFact]
    public async Task The_lead_picks_a_partner_opens_the_team_page_from_the_case_and_shares_a_timeline_event_with_the_team()
    {
        await SetUpAsync();
        var page = await fixture.SignedInPageAsync(Investigator, Password);
        try
        {
            await page.GotoAsync("/cases/new");
            await Field(page, "case-title").FillAsync("Opération Cendre");
            await Field(page, "sharing-recipients").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("Parquet Epsilon (FR)").ClickAsync();
            await CloseListAsync(page);
            await page.ClickAsync("[data-testid=save-case]");
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");
            var caseId = page.Url[^36..];

            await page.ClickAsync("[data-testid=open-joint]");
            await ArrivedAsync(page, $"/joint-investigations/{caseId}$");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Opération Cendre");
            await Expect(page.Locator("[data-testid=joint-members]")).ToHaveTextAsync("Cyber Unit Delta (lead), Parquet Epsilon");

            // A note needs only its text; a timeline event also its day, and the button waits for it.
            await Field(page, "joint-entry-text").FillAsync("C2 server located in Roubaix");
            await Expect(page.Locator("[data-testid=joint-entry-save]")).ToBeEnabledAsync();
            await page.ClickAsync("[data-testid=joint-kind-timeline]");
            await Expect(page.Locator("[data-testid=joint-entry-save]")).ToBeDisabledAsync();
            var day = Field(page, "joint-entry-day");
            await day.FillAsync("2026-11-20");
            await day.PressAsync("Tab");
            await page.ClickAsync("[data-testid=joint-entry-save]");
            var rows = page.Locator("[data-testid=joint-entries] tbody tr");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.First).ToContainTextAsync("Timeline event");
            await Expect(rows.First).ToContainTextAsync("20 November 2026");
            await Expect(rows.First.Locator("[data-testid=joint-entry-text-shown]")).ToHaveTextAsync("C2 server located in Roubaix");
            await Expect(rows.First).ToContainTextAsync("Cyber Unit Delta (Leila Lead)");
            await ScreenshotAsync(page, "joint-investigation-lead");

            // Listed among the organisation's joint investigations only once a partner is on another node; the page itself stays reachable.
            await page.GotoAsync($"/joint-investigations/{caseId}");
            await Expect(page.Locator("[data-testid=joint-entries] tbody tr")).ToHaveCountAsync(1);
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-joint-investigation", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
