using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// An exercise in a real browser: a short scenario started from the Exercises page plays in the server, its
/// injects appear as they fire, its incident is kept out of the real list, and the after-action report shows it.
/// </summary>
public sealed class ExerciseTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "exercise-test-passphrase-01";
    private const string Trainer = "trainer@cert-zeta.example";

    private const string Scenario = """
        name: Short worm drill
        timeScale: 60
        nodes:
          - { id: jo, name: Amman node, country: JO }
        organisations:
          - { id: zeta, node: jo, name: CERT Zeta, country: JO, kind: cert }
          - { id: eta, node: jo, name: CERT Eta, country: JO, kind: cert }
        injects:
          - { at: 0m, type: incident, node: jo, organisation: zeta, title: Drill hospitals encrypted, category: malicious-code:infected-system, severity: critical, participants: [eta] }
          - { at: 1m, type: timeline, node: jo, organisation: zeta, text: Port 445 scanning seen at the border }
          - { at: 2m, type: email, node: jo, organisation: zeta, subject: Ransom notes in the ministry }
        """;

    private Task SetUpAsync() => fixture.OnceAsync("exercise", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Zeta", "--country", "JO", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Eta", "--country", "JO", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "CERT Zeta", "--email", Trainer, "--role", "analyst", "--password", Password, "--name", "Tala Trainer");
    });

    [BrowserFact]
    public async Task A_trainer_starts_a_short_exercise_watches_its_injects_fire_and_reads_its_after_action_report()
    {
        await SetUpAsync();
        var page = await fixture.SignedInPageAsync(Trainer, Password);
        try
        {
            await page.GotoAsync("/exercises");
            await Field(page, "exercise-scenario").FillAsync(Scenario);
            await page.ClickAsync("[data-testid=exercise-start]");
            await ArrivedAsync(page, "/exercises/[0-9a-f-]{36}$");
            var runUrl = page.Url;
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Short worm drill");
            await Expect(page.Locator("[data-testid=exercise-badge]")).ToHaveTextAsync("EXERCISE");
            var injects = page.Locator("[data-testid=exercise-injects] tbody");
            await Expect(injects).ToContainTextAsync("Incident reported: Drill hospitals encrypted");
            await Expect(injects).ToContainTextAsync("E-mail to the 24/7 contact: Ransom notes in the ministry", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
            await Expect(page.Locator("[data-testid=exercise-status]")).ToHaveTextAsync("Ended", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
            await ScreenshotAsync(page, "exercise-played");

            await page.GotoAsync("/incidents");
            await Expect(page.Locator("[data-testid=incidents]")).Not.ToContainTextAsync("Drill hospitals encrypted");
            await page.GotoAsync(runUrl);
            await page.ClickAsync("[data-testid=exercise-incidents]");
            await Expect(page.Locator("[data-testid=incidents] tbody")).ToContainTextAsync("Drill hospitals encrypted");
            await Expect(page.Locator("[data-testid=incident-exercise]").First).ToHaveTextAsync("EXERCISE");

            await page.GotoAsync(runUrl);
            await page.ClickAsync("[data-testid=exercise-report]");
            await ArrivedAsync(page, "/exercises/[0-9a-f-]{36}/report$");
            var timeline = page.Locator("[data-testid=report-timeline] tbody");
            await Expect(timeline).ToContainTextAsync("Incident reported: Drill hospitals encrypted");
            await Expect(timeline).ToContainTextAsync("Timeline entry: Port 445 scanning seen at the border");
            await Expect(page.Locator("[data-testid=report-metrics]")).ToContainTextAsync("Time to first share");
            await ScreenshotAsync(page, "exercise-report");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-exercise", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
