using System.Text.Json;
using FluentAssertions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A case's subjects in a real browser: a person and a wallet added and linked, the link graph drawn on its
/// canvas, and a node expanded by a click, with a few thousand other nodes on screen; every field of a subject
/// entered, shown and edited, an edit refused because another browser saved first, and a relationship's time span, entered and changed.
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
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");

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

    [BrowserFact]
    public async Task An_investigator_records_every_field_of_a_subject_edits_it_and_keeps_their_edit_when_someone_else_saved_first()
    {
        await SetUpAsync();
        var page = await fixture.SignedInPageAsync(Investigator, Password);
        IPage? other = null;
        try
        {
            await page.GotoAsync("/cases");
            await page.ClickAsync("[data-testid=new-case]");
            await Field(page, "case-title").FillAsync("Invoice fraud");
            await page.ClickAsync("[data-testid=save-case]");
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");
            var caseUrl = page.Url;

            // A person with every field: aliases (one holding a comma), date of birth, nationalities, attributes, notes.
            await Field(page, "subject-name").FillAsync("Karim Benali");
            await Field(page, "subject-aliases").FillAsync("K. Benali\nBenali, Karim");
            await TypeDateAsync(page, "subject-born", "1985-04-12");
            await Field(page, "subject-countries").FillAsync("tn, fr");
            await AddAttributeAsync(page, "Role", "Money mule");
            await AddAttributeAsync(page, "Address", "12 rue de Marseille, Tunis");
            await AddAttributeAsync(page, "Scratch", "removed before saving");
            await page.Locator("[data-testid=subject-attribute]").Nth(2).Locator("[data-testid=remove-attribute]").ClickAsync();
            await Expect(page.Locator("[data-testid=subject-attribute]")).ToHaveCountAsync(2);
            await Field(page, "subject-notes").FillAsync("Seen at the bank on 3 March.\nUses two phones.");
            await Field(page, "subject-source").FillAsync("Bank statement");
            await page.ClickAsync("[data-testid=add-subject]");
            await Expect(page.Locator("[data-testid=subject-label]")).ToHaveTextAsync("Karim Benali (K. Benali, Benali, Karim)");

            await ChooseAsync(page, "subject-kind", "Organisation");
            await Field(page, "subject-name").FillAsync("Sahara Trading SARL");
            await TypeDateAsync(page, "subject-incorporated", "2019-06-30");
            await Field(page, "subject-countries").FillAsync("MA");
            await page.ClickAsync("[data-testid=add-subject]");
            await Expect(page.Locator("[data-testid=subject-label]")).ToHaveCountAsync(2);

            // Everything shows in the details, read back from the node after a reload.
            await page.ReloadAsync();
            var person = page.Locator("[data-testid=subjects] tbody tr", new PageLocatorOptions { HasText = "Karim Benali" }).First;
            await person.Locator("[data-testid=subject-details-toggle]").ClickAsync();
            var facts = page.Locator("[data-testid=subject-details]");
            await Expect(facts.Locator("[data-testid=fact-aliases]")).ToHaveTextAsync("K. Benali, Benali, Karim");
            await Expect(facts.Locator("[data-testid=fact-born]")).ToHaveTextAsync("12 April 1985");
            await Expect(facts.Locator("[data-testid=fact-countries]")).ToHaveTextAsync("TN, FR");
            await Expect(facts.Locator("[data-testid=fact-attribute]")).ToHaveTextAsync(["Address12 rue de Marseille, Tunis", "RoleMoney mule"]);
            await Expect(facts.Locator("[data-testid=fact-notes]")).ToHaveTextAsync("Seen at the bank on 3 March.\nUses two phones.");
            await Expect(facts.Locator("[data-testid=fact-source]")).ToHaveTextAsync("Statement: Bank statement");
            var organisation = page.Locator("[data-testid=subjects] tbody tr", new PageLocatorOptions { HasText = "Sahara Trading SARL" }).First;
            await organisation.Locator("[data-testid=subject-details-toggle]").ClickAsync();
            await Expect(facts.Locator("[data-testid=fact-incorporated]")).ToHaveTextAsync("30 June 2019");
            await Expect(facts.Locator("[data-testid=fact-countries]")).ToHaveTextAsync("MA");

            // An edit: an attribute added, one removed, the notes rewritten.
            await person.Locator("[data-testid=edit-subject]").ClickAsync();
            var form = page.Locator("[data-testid=subject-edit-form]");
            await Expect(form.Locator("[data-testid=subject-attribute]")).ToHaveCountAsync(2);
            await Expect(In(form.Locator("[data-testid=subject-attribute]").First, "attribute-name")).ToHaveValueAsync("Address");
            await form.Locator("[data-testid=subject-attribute]").First.Locator("[data-testid=remove-attribute]").ClickAsync();
            await Expect(form.Locator("[data-testid=subject-attribute]")).ToHaveCountAsync(1);
            await form.Locator("[data-testid=add-attribute]").ClickAsync();
            await Expect(form.Locator("[data-testid=subject-attribute]")).ToHaveCountAsync(2);
            await In(form.Locator("[data-testid=subject-attribute]").Nth(1), "attribute-name").FillAsync("IMEI");
            await In(form.Locator("[data-testid=subject-attribute]").Nth(1), "attribute-value").FillAsync("356938035643809");
            await In(form, "subject-notes").FillAsync("Withdrew the money in Sfax.");
            await form.Locator("[data-testid=save-subject]").ClickAsync();
            await Expect(form).ToHaveCountAsync(0);
            await Expect(facts.Locator("[data-testid=fact-attribute]")).ToHaveTextAsync(["IMEI356938035643809", "RoleMoney mule"]);
            await Expect(facts.Locator("[data-testid=fact-notes]")).ToHaveTextAsync("Withdrew the money in Sfax.");

            // Two edits from the same version: the second browser saves first, so this one is refused and keeps its text.
            await person.Locator("[data-testid=edit-subject]").ClickAsync();
            await In(form, "subject-notes").FillAsync("Arrested in Sousse on 2 May.");
            other = await fixture.SignedInPageAsync(Investigator, Password);
            await other.GotoAsync(caseUrl);
            await other.Locator("[data-testid=subjects] tbody tr", new PageLocatorOptions { HasText = "Karim Benali" }).First.Locator("[data-testid=edit-subject]").ClickAsync();
            var otherForm = other.Locator("[data-testid=subject-edit-form]");
            await Expect(In(otherForm.Locator("[data-testid=subject-attribute]").Nth(1), "attribute-name")).ToHaveValueAsync("Role");
            await In(otherForm.Locator("[data-testid=subject-attribute]").Nth(1), "attribute-value").FillAsync("Organiser");
            await otherForm.Locator("[data-testid=save-subject]").ClickAsync();
            await Expect(otherForm).ToHaveCountAsync(0);
            await Expect(other.Locator("[data-testid=subject-details] [data-testid=fact-attribute]")).ToHaveTextAsync(["IMEI356938035643809", "RoleOrganiser"]);

            await form.Locator("[data-testid=save-subject]").ClickAsync();
            var conflict = form.Locator("[data-testid=subject-conflict]");
            await Expect(conflict).ToContainTextAsync("Someone else saved this subject");
            await Expect(form.Locator("[data-testid=subject-conflict-mine] [data-testid=fact-notes]")).ToHaveTextAsync("Arrested in Sousse on 2 May.");
            await Expect(form.Locator("[data-testid=subject-conflict-theirs] [data-testid=fact-notes]")).ToHaveTextAsync("Withdrew the money in Sfax.");
            await Expect(form.Locator("[data-testid=subject-conflict-theirs] [data-testid=fact-attribute]")).ToContainTextAsync(["RoleOrganiser"]);
            await Expect(In(form, "subject-notes")).ToHaveValueAsync("Arrested in Sousse on 2 May.");
            await Expect(form.Locator("[data-testid=save-subject]")).ToBeDisabledAsync();
            await ScreenshotAsync(page, "subject-edit-conflict");

            // Kept on the newer version, with the other browser's role taken in by hand: nothing of either is lost.
            await form.Locator("[data-testid=subject-conflict-keep]").ClickAsync();
            await Expect(conflict).ToHaveCountAsync(0);
            await Expect(In(form.Locator("[data-testid=subject-attribute]").Nth(1), "attribute-name")).ToHaveValueAsync("Role");
            await In(form.Locator("[data-testid=subject-attribute]").Nth(1), "attribute-value").FillAsync("Organiser");
            await form.Locator("[data-testid=save-subject]").ClickAsync();
            await Expect(form).ToHaveCountAsync(0);
            await Expect(facts.Locator("[data-testid=fact-notes]")).ToHaveTextAsync("Arrested in Sousse on 2 May.");
            await Expect(facts.Locator("[data-testid=fact-attribute]")).ToHaveTextAsync(["IMEI356938035643809", "RoleOrganiser"]);

            // The other browser still shows the version it saved; its next edit is refused, and it takes the newer version instead.
            await other.Locator("[data-testid=subjects] tbody tr", new PageLocatorOptions { HasText = "Karim Benali" }).First.Locator("[data-testid=edit-subject]").ClickAsync();
            await In(otherForm, "subject-notes").FillAsync("Typed on the older copy.");
            await otherForm.Locator("[data-testid=save-subject]").ClickAsync();
            await Expect(otherForm.Locator("[data-testid=subject-conflict-theirs] [data-testid=fact-notes]")).ToHaveTextAsync("Arrested in Sousse on 2 May.");
            await otherForm.Locator("[data-testid=subject-conflict-discard]").ClickAsync();
            await Expect(otherForm.Locator("[data-testid=subject-conflict]")).ToHaveCountAsync(0);
            await Expect(In(otherForm, "subject-notes")).ToHaveValueAsync("Arrested in Sousse on 2 May.");
            await otherForm.Locator("[data-testid=cancel-subject-edit]").ClickAsync();
            await Expect(otherForm).ToHaveCountAsync(0);
            await Expect(other.Locator("[data-testid=subject-details] [data-testid=fact-notes]")).ToHaveTextAsync("Arrested in Sousse on 2 May.");

            // A relationship over a time span: an end before the start is refused in the form, a valid span is shown.
            await ChooseAsync(page, "link-from", "Karim Benali");
            await ChooseAsync(page, "link-kind", "works for");
            await ChooseAsync(page, "link-to", "Sahara Trading SARL");
            await TypeDateAsync(page, "link-started", "2021-01-01");
            await TypeDateAsync(page, "link-ended", "2020-12-31");
            await Field(page, "link-source").FillAsync("Company register");
            await Expect(page.Locator("[data-testid=link-form]")).ToContainTextAsync("cannot end before it starts");
            await Expect(page.Locator("[data-testid=link-subjects]")).ToBeDisabledAsync();
            await TypeDateAsync(page, "link-ended", "2023-06-30");
            await page.ClickAsync("[data-testid=link-subjects]");
            await Expect(page.Locator("[data-testid=relationship-period]")).ToHaveTextAsync("1 January 2021 – 30 June 2023");
            await ScreenshotAsync(page, "subject-details");

            // The period is changed later: the end moves when the employment is known to have gone on, then is cleared.
            await page.ClickAsync("[data-testid=edit-relationship]");
            var editor = page.Locator("[data-testid=relationship-editor]");
            await Expect(Field(page, "relationship-edit-started")).ToHaveValueAsync("2021-01-01");
            await TypeDateAsync(page, "relationship-edit-ended", "2020-06-30");
            await Expect(editor).ToContainTextAsync("cannot end before it starts");
            await Expect(editor.Locator("[data-testid=save-relationship]")).ToBeDisabledAsync();
            await TypeDateAsync(page, "relationship-edit-ended", "2024-03-31");
            await ScreenshotAsync(page, "relationship-period-edit");
            await editor.Locator("[data-testid=save-relationship]").ClickAsync();
            await Expect(editor).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=relationship-period]")).ToHaveTextAsync("1 January 2021 – 31 March 2024");
            await page.ClickAsync("[data-testid=edit-relationship]");
            await Field(page, "relationship-edit-ended").FillAsync(string.Empty);
            await Field(page, "relationship-edit-ended").PressAsync("Tab");
            await page.ClickAsync("[data-testid=save-relationship]");
            await Expect(page.Locator("[data-testid=relationship-period]")).ToHaveTextAsync("since 1 January 2021");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-subject-editing", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
            if (other is not null)
            {
                await other.Context.CloseAsync();
            }
        }
    }

    private static async Task AddAttributeAsync(IPage page, string name, string value)
    {
        // The new row is named by its place: "last" could still be the one before it until the page has drawn it.
        var rows = page.Locator("[data-testid=subject-attribute]");
        var before = await rows.CountAsync();
        await page.ClickAsync("[data-testid=add-attribute]");
        await Expect(rows).ToHaveCountAsync(before + 1);
        var row = rows.Nth(before);
        await In(row, "attribute-name").FillAsync(name);
        await In(row, "attribute-value").FillAsync(value);
    }

    /// <summary>The input (or text area) of a MudBlazor field inside <paramref name="scope"/>, as <see cref="BrowserSteps.Field"/> finds it in a page.</summary>
    private static ILocator In(ILocator scope, string testId) =>
        scope.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    /// <summary>Types a day into an editable date picker and leaves it, which is when the picker reads what was typed.</summary>
    private static async Task TypeDateAsync(IPage page, string testId, string day)
    {
        var input = Field(page, testId);
        await input.FillAsync(day);
        await input.PressAsync("Tab");
        await Expect(input).ToHaveValueAsync(day);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
