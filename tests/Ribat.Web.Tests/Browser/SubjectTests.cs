using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A case's subjects in a real browser: a person and a wallet added and linked, the link graph drawn on its
/// canvas, and a node expanded by a click, with a few thousand other nodes on screen.
/// </summary>
public sealed class SubjectTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "subject-test-passphrase-01";
    private const string Investigator = "investigator@delta.example";
    private const string Wallet = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
    private const int Generated = 3000;

    private Task SetUpAsync() => fixture.OnceAsync("unit", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Cyber Unit Delta", "--country", "MA", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Cyber Unit Delta", "--email", Investigator, "--role", "investigator", "--password", Password, "--name", "Driss Investigator");
    });

    private static async Task ChooseAsync(IPage page, string testId, string option)
    {
        await page.Locator($"div.mud-select:has([data-testid={testId}]), div.mud-select[data-testid={testId}]").First.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(option, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
    }

    [BrowserFact]
    public async Task An_investigator_adds_a_person_and_a_wallet_links_them_and_expands_a_node_of_a_large_graph()
    {
        await SetUpAsync();
        var page = await fixture.SignedInPageAsync(Investigator, Password);
        try
        {
            await page.GotoAsync("/cases");
            await page.ClickAsync("[data-testid=new-case]");
            await Field(page, "case-title").FillAsync("Crypto extortion");
            await page.ClickAsync("[data-testid=save-case]");
            await page.WaitForURLAsync(new Regex("/cases/[0-9a-f-]{36}$"), Committed);

            await Field(page, "subject-name").FillAsync("Jean Dupont");
            await Field(page, "subject-source").FillAsync("Victim's statement");
            await page.ClickAsync("[data-testid=add-subject]");
            await Expect(page.Locator("[data-testid=subject-label]")).ToHaveTextAsync("Jean Dupont");

            await ChooseAsync(page, "subject-kind", "Crypto wallet");
            await Field(page, "subject-value").FillAsync("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNX");
            await page.ClickAsync("[data-testid=add-subject]");
            await Expect(page.Locator("[data-testid=problem]")).ToContainTextAsync("crypto-wallet");
            await Field(page, "subject-value").FillAsync(Wallet);
            await page.ClickAsync("[data-testid=add-subject]");
            await Expect(page.Locator("[data-testid=subject-label]")).ToHaveCountAsync(2);

            await ChooseAsync(page, "link-from", "Jean Dupont");
            await ChooseAsync(page, "link-to", Wallet);
            await Field(page, "link-source").FillAsync("Ransom note");
            await page.ClickAsync("[data-testid=link-subjects]");
            await Expect(page.Locator("[data-testid=relationships] tbody tr")).ToContainTextAsync("uses");

            var canvas = page.Locator("[data-testid=case-graph]");
            await canvas.ScrollIntoViewIfNeededAsync();
            await Expect(canvas).ToHaveAttributeAsync("data-nodes", "2");
            await Expect(canvas).ToHaveAttributeAsync("data-edges", "1");
            await Expect(page.Locator("[data-testid=graph-legend]")).ToContainTextAsync("Crypto wallet");
            await ScreenshotAsync(page, "case-subjects");

            // A generated graph of thousands of nodes replaces the drawing, with the person alone of the case's nodes:
            // it must be drawn, and a click on the person must bring its wallet from the server.
            var person = await canvas.EvaluateAsync<string>("c => [...c.ribatGraph.byId.values()].find(n => n.label === 'Jean Dupont').id");
            await canvas.EvaluateAsync(
                """
                (c, args) => {
                    const g = c.ribatGraph;
                    const person = g.byId.get(args.person);
                    const keep = { id: person.id, kind: person.kind, label: person.label, degree: person.degree };
                    g.clear();
                    const kinds = ['person', 'organisation', 'online-account', 'device', 'phone', 'email', 'ip', 'domain', 'crypto-wallet', 'bank-account'];
                    const nodes = [keep], edges = [];
                    for (let i = 0; i < args.count; i++) {
                        nodes.push({ id: 'g' + i, kind: kinds[i % kinds.length], label: 'generated ' + i, degree: 1 });
                        if (i > 0) edges.push({ id: 'e' + i, from: 'g' + Math.floor(Math.random() * i), to: 'g' + i, kind: 'related-to' });
                    }
                    g.merge(nodes, edges);
                }
                """, new { person, count = Generated });
            await Expect(canvas).ToHaveAttributeAsync("data-nodes", (Generated + 1).ToString());
            await Expect(canvas).ToHaveAttributeAsync("data-settled", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 60_000 });
            var frames = int.Parse((await canvas.GetAttributeAsync("data-frames"))!);
            frames.Should().BeGreaterThan(10, "the layout ran and was drawn frame by frame");
            (await canvas.EvaluateAsync<bool>("c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }"))
                .Should().BeTrue("the nodes are painted on the canvas");
            await ScreenshotAsync(page, "case-graph-generated");

            (await canvas.EvaluateAsync<bool>("(c, id) => c.ribatGraph.centre(id)", person)).Should().BeTrue();
            var box = (await canvas.BoundingBoxAsync())!;
            var at = await canvas.EvaluateAsync<JsonElement>("(c, id) => c.ribatGraph.screenPosition(id)", person);
            await page.Mouse.ClickAsync(box.X + (float)at.GetProperty("x").GetDouble(), box.Y + (float)at.GetProperty("y").GetDouble());
            await Expect(canvas).ToHaveAttributeAsync("data-expansions", "1");
            await Expect(canvas).ToHaveAttributeAsync("data-nodes", (Generated + 2).ToString());
            await Expect(page.Locator("[data-testid=graph-selected]")).ToContainTextAsync("Jean Dupont");
            await ScreenshotAsync(page, "case-graph-expanded");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-subjects", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
