using FluentAssertions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// Intelligence in a real browser against a real node: pasting a report, recording, finding it again, and what
/// a second organisation is allowed to see. Two agencies are set up once from the shell, as an operator would.
/// </summary>
public sealed class IntelligenceTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "intelligence-test-passphrase";
    private const string AlphaAnalyst = "analyst@alpha.example";
    private const string BetaAnalyst = "analyst@beta.example";
    private const string BetaReader = "reader@beta.example";

    private const string Advisory = """
        Advisory 2026-041 — credential phishing against ministries

        The lure linked to hxxps://secure-login[.]ribat-test[.]net/verify?id=7 and the kit posted
        credentials to 185.243.115[.]84 over HTTPS.
        Dropper SHA-256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
        A copy of the page was also hosted on www.example.com for testing.
        """;

    private Task SetUpAsync() => fixture.OnceAsync("agencies", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Alpha", "--country", "MA", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Police Beta", "--country", "JO", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "CERT Alpha", "--email", AlphaAnalyst, "--role", "analyst", "--password", Password, "--name", "Amal Alpha");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Police Beta", "--email", BetaAnalyst, "--role", "investigator", "--password", Password, "--name", "Bilal Beta");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Police Beta", "--email", BetaReader, "--role", "viewer", "--password", Password, "--name", "Rania Reader");
    });

    [BrowserFact]
    public async Task A_pasted_report_becomes_indicators_that_the_search_box_finds()
    {
        await SetUpAsync();
        var page = await SignedInPageAsync(AlphaAnalyst);
        try
        {
            await page.GotoAsync("/indicators/extract");
            await Field(page, "extract-text").FillAsync(Advisory);
            await page.ClickAsync("[data-testid=extract-preview]");

            var rows = page.Locator("[data-testid=extract-rows] tbody tr");
            await Expect(rows.Filter(new LocatorFilterOptions { HasText = "185.243.115.84" })).ToHaveCountAsync(1);
            await Expect(rows.Filter(new LocatorFilterOptions { HasText = "https://secure-login.ribat-test.net/verify?id=7" })).ToHaveCountAsync(1);
            var example = rows.Filter(new LocatorFilterOptions { HasText = "www.example.com" });
            await Expect(example.Locator("[data-testid=row-warning]")).ToBeVisibleAsync();
            (await example.Locator("input[type=checkbox]").First.IsCheckedAsync()).Should().BeFalse("a value on a warning list is left out unless kept");
            await ScreenshotAsync(page, "extract-preview");

            // Drop the hash, correct the host name, and keep the listed name on purpose.
            await rows.Filter(new LocatorFilterOptions { HasText = "9f86d081884c7d65" }).Locator("[data-testid=row-drop]").ClickAsync();
            await Expect(rows.Filter(new LocatorFilterOptions { HasText = "9f86d081884c7d65" })).ToHaveCountAsync(0);
            var host = rows.Filter(new LocatorFilterOptions { HasText = "hostname" }).Filter(new LocatorFilterOptions { HasText = "secure-login" });
            await host.Locator("[data-testid=row-edit]").ClickAsync();
            await Field(page, "row-edit-value").FillAsync("portal.ribat-test.net");
            await page.ClickAsync("[data-testid=row-edit-apply]");
            await Expect(rows.Filter(new LocatorFilterOptions { HasText = "portal.ribat-test.net" })).ToHaveCountAsync(1);
            await example.Locator("input[data-testid=row-keep-anyway], [data-testid=row-keep-anyway] input").First.ClickAsync();
            await Expect(example.Locator("input[type=checkbox]").First).ToBeCheckedAsync();

            await page.ClickAsync("[data-testid=tlp-green]");
            await page.ClickAsync("[data-testid=distribution-community]");
            await page.ClickAsync("[data-testid=extract-record]");
            await Expect(page.Locator("[data-testid=record-summary]")).ToContainTextAsync("4 recorded, 0 already recorded, 0 refused.");
            await Expect(example.Locator("[data-testid=row-outcome]")).ToHaveTextAsync("Recorded");
            await ScreenshotAsync(page, "extract-recorded");

            await rows.Filter(new LocatorFilterOptions { HasText = "185.243.115.84" }).GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Recorded" }).ClickAsync();
            await ArrivedAsync(page, "/indicators/[0-9a-f-]{36}$");
            await Expect(page.Locator("[data-testid=indicator-value]")).ToHaveTextAsync("185.243.115.84");
            await Expect(page.Locator("[data-testid=defanged]")).ToHaveTextAsync("185[.]243[.]115[.]84");
            await Expect(page.Locator("[data-testid=tlp]").First).ToHaveTextAsync("TLP:GREEN");
            await Expect(page.Locator("[data-testid=distribution]")).ToHaveTextAsync("This node's community");
            await ScreenshotAsync(page, "indicator-details");

            var search = Field(page, "search-box");
            await search.FillAsync("hxxps://secure-login[.]ribat-test[.]net/verify?id=7");
            await search.PressAsync("Enter");
            await ArrivedAsync(page, "/search\\?q=");
            var holders = page.Locator("[data-testid=correlation]").First.Locator("[data-testid=holders]");
            await Expect(holders).ToContainTextAsync("https://secure-login.ribat-test.net/verify?id=7");
            await Expect(holders).ToContainTextAsync("CERT Alpha");
            await Expect(page.Locator("[data-testid=related-same-registered-domain]")).ToBeVisibleAsync();
            await ScreenshotAsync(page, "search");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-extract", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task Another_organisation_sees_a_green_community_indicator_but_not_an_amber_organisation_only_one()
    {
        await SetUpAsync();
        var alpha = await SignedInPageAsync(AlphaAnalyst);
        string amberUrl;
        try
        {
            await RecordOneAsync(alpha, "green-share.ribat-test.net", green: true);
            await RecordOneAsync(alpha, "amber-only.ribat-test.net", green: false);
            amberUrl = new Uri(alpha.Url).AbsolutePath;
            await Expect(alpha.Locator("[data-testid=tlp]").First).ToHaveTextAsync("TLP:AMBER");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(alpha, "failure-sharing-owner", fixture.Node, failure);
        }
        finally
        {
            await alpha.Context.CloseAsync();
        }

        var beta = await SignedInPageAsync(BetaAnalyst);
        try
        {
            await beta.GotoAsync("/search?q=green-share.ribat-test.net");
            await Expect(beta.Locator("[data-testid=holders]").First).ToContainTextAsync("green-share.ribat-test.net");
            await Expect(beta.Locator("[data-testid=holders]").First).ToContainTextAsync("CERT Alpha");

            await beta.GotoAsync("/search?q=amber-only.ribat-test.net");
            await Expect(beta.Locator("[data-testid=correlation]").First).ToContainTextAsync("(0)");
            await Expect(beta.Locator("[data-testid=holders]")).ToHaveCountAsync(0);

            await beta.GotoAsync("/indicators");
            await Expect(beta.Locator("[data-testid=indicators]")).ToContainTextAsync("green-share.ribat-test.net");
            await Expect(beta.Locator("[data-testid=indicators]")).Not.ToContainTextAsync("amber-only.ribat-test.net");

            await beta.GotoAsync(amberUrl);
            await Expect(beta.Locator("[data-testid=problem]")).ToContainTextAsync("not found");
            (await beta.ContentAsync()).Should().NotContain("amber-only");
            await ScreenshotAsync(beta, "foreign-amber-not-found");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(beta, "failure-sharing-other", fixture.Node, failure);
        }
        finally
        {
            await beta.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task An_owner_permits_one_organisation_to_use_an_h1_indicator_in_court_and_that_organisation_may()
    {
        await SetUpAsync();
        var alpha = await SignedInPageAsync(AlphaAnalyst);
        string url;
        try
        {
            await alpha.GotoAsync("/indicators/new");
            await Field(alpha, "indicator-value-input").FillAsync("court-permit.ribat-test.net");
            await Expect(alpha.Locator("[data-testid=value-check]")).ToContainTextAsync("court-permit.ribat-test.net");
            await alpha.ClickAsync("[data-testid=tlp-green]");
            await alpha.ClickAsync("[data-testid=distribution-community]");
            await Expect(alpha.Locator("[data-testid=sharing-court-use]")).ToHaveCountAsync(0);
            await Field(alpha, "handling-H1").ClickAsync();
            await Field(alpha, "handling-H2").ClickAsync();
            await Field(alpha, "sharing-court-use").ClickAsync();
            await alpha.Locator(".mud-popover-open").GetByText("Police Beta (JO)").ClickAsync();
            await CloseListAsync(alpha);
            await ScreenshotAsync(alpha, "sharing-court-use-permission");
            await alpha.ClickAsync("[data-testid=save-indicator]");
            await ArrivedAsync(alpha, "/indicators/[0-9a-f-]{36}$");
            await Expect(alpha.Locator("[data-testid=court-use]")).ToContainTextAsync("Police Beta");
            await Expect(alpha.Locator("[data-testid=onward-sharing]")).ToHaveCountAsync(0);
            url = new Uri(alpha.Url).AbsolutePath;
        }
        catch (Exception failure)
        {
            throw await FailedAsync(alpha, "failure-court-use-owner", fixture.Node, failure);
        }
        finally
        {
            await alpha.Context.CloseAsync();
        }

        var beta = await SignedInPageAsync(BetaAnalyst);
        try
        {
            await beta.GotoAsync(url);
            var rights = beta.Locator("[data-testid=rights]");
            await Expect(rights).ToContainTextAsync("H2: passing it on needs the owner's permission.");
            await Expect(rights).Not.ToContainTextAsync("H1: use in court needs the owner's permission.");
            await Expect(beta.Locator("[data-testid=court-use]")).ToHaveCountAsync(0); // only the owner sees whom it permitted
        }
        catch (Exception failure)
        {
            throw await FailedAsync(beta, "failure-court-use-recipient", fixture.Node, failure);
        }
        finally
        {
            await beta.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task The_indicator_list_renders_right_to_left_in_arabic_and_offers_a_reader_no_writes()
    {
        await SetUpAsync();
        var page = await SignedInPageAsync(BetaReader);
        try
        {
            await page.GotoAsync("/profile");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Language" }).First, "العربية", exact: false);
            await page.ClickAsync("[data-testid=save-preferences]");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");

            await page.GotoAsync("/indicators");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("المؤشرات");
            (await page.EvaluateAsync<string>("document.documentElement.dir")).Should().Be("rtl");
            await Expect(page.Locator("[data-testid=nav]").GetByText("مجموعات المشاركة")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=new-indicator]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=nav]").GetByText("لصق تقرير")).ToHaveCountAsync(0);
            await ScreenshotAsync(page, "indicators-arabic");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-arabic", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task An_address_indicator_shows_its_as_country_and_city_on_its_page_and_in_the_list()
    {
        await SetUpAsync();
        var page = await SignedInPageAsync(AlphaAnalyst);
        try
        {
            // The node serves the corpus's GeoIP test databases; their JSON source places 214.78.120.0/22 in AS721
            // (DoD Network Information Center), United States, San Diego.
            await RecordOneAsync(page, "214.78.120.1", green: false);
            var origin = page.Locator("[data-testid=indicator-origin]");
            await Expect(origin).ToHaveAttributeAsync("data-status", "Found");
            await Expect(origin.Locator("[data-testid=origin-asn]")).ToHaveTextAsync("AS721");
            await Expect(origin.Locator("[data-testid=origin-as-organisation]")).ToHaveTextAsync("DoD Network Information Center");
            await Expect(origin.Locator("[data-testid=origin-country]")).ToContainTextAsync("United States");
            await Expect(origin.Locator("[data-testid=origin-country]")).ToContainTextAsync("US");
            await Expect(origin.Locator("[data-testid=origin-city]")).ToHaveTextAsync("San Diego");
            await ScreenshotAsync(page, "indicator-origin");

            await RecordOneAsync(page, "198.51.100.7", green: false);
            await Expect(page.Locator("[data-testid=indicator-origin]")).ToHaveAttributeAsync("data-status", "NotFound");

            await page.GotoAsync("/indicators?type=ipv4");
            var compact = page.Locator("[data-testid=indicator-origin-compact]");
            await Expect(compact.Filter(new LocatorFilterOptions { HasText = "AS721 · US" }).First).ToBeVisibleAsync();
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-origin", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task A_report_for_a_confidential_sharing_group_reaches_its_member_who_answers_with_a_sighting()
    {
        await SetUpAsync();
        var alpha = await SignedInPageAsync(AlphaAnalyst);
        string reportUrl;
        try
        {
            await alpha.GotoAsync("/sharing-groups/new");
            await Field(alpha, "group-name").FillAsync("Phishing cell");
            await Field(alpha, "group-members").ClickAsync();
            await alpha.Locator(".mud-popover-open").GetByText("Police Beta (JO)").ClickAsync();
            await CloseListAsync(alpha);
            await Field(alpha, "group-confidential").ClickAsync();
            await alpha.ClickAsync("[data-testid=save-group]");
            await ArrivedAsync(alpha, "/sharing-groups/[0-9a-f-]{36}$");

            await alpha.GotoAsync("/reports/new");
            await Field(alpha, "report-title").FillAsync("Ministry phishing wave");
            await Field(alpha, "report-threat-actor-input").FillAsync("TA-Sandstorm");
            var technique = Field(alpha, "report-technique");
            await technique.FillAsync("t1566.001");
            await technique.PressAsync("Enter");
            await Expect(alpha.Locator("[data-testid=report-technique-chips]")).ToContainTextAsync("T1566.001");
            await alpha.ClickAsync("[data-testid=distribution-sharing-group]");
            await Field(alpha, "sharing-group").ClickAsync();
            await alpha.Locator(".mud-popover-open").GetByText("Phishing cell").ClickAsync();
            await Expect(Field(alpha, "sharing-group")).ToHaveValueAsync("Phishing cell");
            await Expect(alpha.Locator(".mud-popover-open")).ToHaveCountAsync(0);
            await alpha.ClickAsync("[data-testid=save-report]");
            await ArrivedAsync(alpha, "/reports/[0-9a-f-]{36}$");
            reportUrl = new Uri(alpha.Url).AbsolutePath;
            await Expect(alpha.Locator("[data-testid=report-techniques]")).ToContainTextAsync("T1566.001");
            await Expect(alpha.Locator("[data-testid=distribution]")).ToHaveTextAsync("A sharing group: Phishing cell");
            await ScreenshotAsync(alpha, "report-details");

            await alpha.ClickAsync("[data-testid=report-add-one]");
            await ArrivedAsync(alpha, "/indicators/new\\?report=");
            await Field(alpha, "indicator-value-input").FillAsync("c2.cell-test.org");
            await Expect(alpha.Locator("[data-testid=value-check]")).ToContainTextAsync("c2.cell-test.org");
            await Expect(Field(alpha, "distribution-sharing-group")).ToBeCheckedAsync();
            await alpha.ClickAsync("[data-testid=save-indicator]");
            await ArrivedAsync(alpha, "/indicators/[0-9a-f-]{36}$");
            await alpha.ClickAsync("[data-testid=edit-indicator]");
            await Field(alpha, "indicator-comment").FillAsync("beacons every 60 s");
            await ScreenshotAsync(alpha, "indicator-edit");
            await alpha.ClickAsync("[data-testid=save-indicator]");
            await Expect(alpha.Locator("[data-testid=indicator-comment-text]")).ToHaveTextAsync("beacons every 60 s");

            await alpha.GotoAsync("/sharing-groups");
            await alpha.GetByText("Phishing cell").ClickAsync();
            await alpha.ClickAsync("[data-testid=delete-group]");
            await alpha.ClickAsync("[data-testid=confirm-delete]");
            await Expect(alpha.Locator("[data-testid=problem]")).ToContainTextAsync("distributed to this group");
            await ScreenshotAsync(alpha, "sharing-group-in-use");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(alpha, "failure-group-owner", fixture.Node, failure);
        }
        finally
        {
            await alpha.Context.CloseAsync();
        }

        var beta = await SignedInPageAsync(BetaAnalyst);
        try
        {
            await beta.GotoAsync("/reports");
            await beta.GetByText("Ministry phishing wave").ClickAsync();
            await Expect(beta.Locator("[data-testid=report-threat-actor]")).ToHaveTextAsync("TA-Sandstorm");
            await Expect(beta.Locator("[data-testid=edit-report]")).ToHaveCountAsync(0);
            await beta.Locator("[data-testid=report-indicators]").GetByText("c2.cell-test.org").ClickAsync();
            await ArrivedAsync(beta, "/indicators/[0-9a-f-]{36}$");
            await Expect(beta.Locator("[data-testid=edit-indicator]")).ToHaveCountAsync(0);
            await Field(beta, "sighting-source").FillAsync("proxy logs");
            await beta.ClickAsync("[data-testid=record-sighting]");
            await Expect(beta.Locator("[data-testid=sightings]").First).ToContainTextAsync("Police Beta");
            await Expect(beta.Locator("[data-testid=sightings]").First).ToContainTextAsync("proxy logs");
            await ScreenshotAsync(beta, "sighting-recorded");

            // A second sighting with terms of its own: wider than the indicator's, and still reaching its owner.
            await Expect(beta.Locator("[data-testid=sightings]").First).Not.ToContainTextAsync("TLP:GREEN");
            await beta.ClickAsync("[data-testid=sighting-choose-terms]");
            await beta.Locator("[data-testid=sighting-form] [data-testid=tlp-green]").ClickAsync();
            await beta.Locator("[data-testid=sighting-form] [data-testid=distribution-community]").ClickAsync();
            await Field(beta, "sighting-source").FillAsync("mail gateway");
            await beta.ClickAsync("[data-testid=record-sighting]");
            await Expect(beta.Locator("[data-testid=sightings]").First).ToContainTextAsync("mail gateway");
            await Expect(beta.Locator("[data-testid=sightings]").First).ToContainTextAsync("TLP:GREEN");

            await beta.GotoAsync("/sharing-groups");
            await Expect(beta.Locator("[data-testid=sharing-groups]")).ToContainTextAsync("Phishing cell");
            await beta.GotoAsync(reportUrl);
            await Expect(beta.Locator("#page-title")).ToHaveTextAsync("Ministry phishing wave");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(beta, "failure-group-member", fixture.Node, failure);
        }
        finally
        {
            await beta.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task A_node_administrator_loads_a_misp_warning_list_and_can_disable_it()
    {
        await SetUpAsync();
        await fixture.OnceAsync("node-admin", () => fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Node operators", "--email", "operator@ribat.example", "--role", "node-admin", "--password", Password));
        var page = await SignedInPageAsync("operator@ribat.example");
        try
        {
            await page.GotoAsync("/warning-lists");
            await Expect(page.Locator("[data-testid=warning-lists]")).ToContainTextAsync("Reserved domain names (Ribat built-in)");
            var list = """{"name": "Test resolvers", "version": 3, "description": "Resolvers of the test network", "type": "string", "list": ["9.9.9.9", "149.112.112.112"], "matching_attributes": ["ip-dst", "ip-src"]}""";
            var row = page.Locator("[data-testid=warning-lists] tbody tr").Filter(new LocatorFilterOptions { HasText = "Test resolvers" });
            await ChooseFileAsync(page.Locator("[data-testid=warning-list-file]"), new FilePayload { Name = "list.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(list) }, row);
            await Expect(row).ToContainTextAsync("2");
            await Expect(row.Locator("input[type=checkbox]").First).ToBeCheckedAsync();
            await row.Locator("input[type=checkbox]").First.ClickAsync();
            await Expect(row.Locator("input[type=checkbox]").First).Not.ToBeCheckedAsync();
            await page.ReloadAsync();
            await Expect(row.Locator("input[type=checkbox]").First).Not.ToBeCheckedAsync();
            await ScreenshotAsync(page, "warning-lists");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-warning-lists", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task A_mapped_csv_import_names_its_bad_row_and_the_imported_domain_reaches_a_hosts_export()
    {
        await SetUpAsync();
        var page = await SignedInPageAsync(AlphaAnalyst);
        try
        {
            // Column names no guess recognises, so the mapping has to be chosen by hand.
            const string Csv = "entry,origin,remark\nimport-one.ribat-test.net,feed,first\nnot a domain!!,feed,broken\nimport-two.ribat-test.net,feed,second\n";
            await page.GotoAsync("/indicators/import");
            await ChooseFileAsync(page.Locator("input[type=file]"), new FilePayload { Name = "feed.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(Csv) },
                page.Locator("[data-testid=import-preview]"));
            await Expect(page.Locator("[data-testid=import-preview]")).ToContainTextAsync("import-one.ribat-test.net");
            await Expect(Field(page, "import-format-csv")).ToBeCheckedAsync();

            await ChooseAsync(page, "map-value", "entry");
            await ChooseAsync(page, "map-fixed-type", "domain");
            await ChooseAsync(page, "map-comment", "remark");
            await ScreenshotAsync(page, "import-mapping");
            await page.ClickAsync("[data-testid=import-run]");

            await Expect(page.Locator("[data-testid=import-summary]")).ToContainTextAsync("2 recorded, 0 already recorded, 1 refused, 0 not read.");
            var issue = page.Locator("[data-testid=import-issues] tbody tr");
            await Expect(issue).ToHaveCountAsync(1);
            await Expect(issue.Locator("[data-testid=issue-line]")).ToHaveTextAsync("3");
            await ScreenshotAsync(page, "import-outcome");

            await page.GotoAsync("/indicators");
            await page.ClickAsync("[data-testid=export-open]");
            await ChooseAsync(page, "export-format", "Hosts file");
            await ScreenshotAsync(page, "export-menu");
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-download]"));
            download.SuggestedFilename.Should().EndWith(".txt");
            var hosts = await File.ReadAllTextAsync(await download.PathAsync());
            hosts.Should().Contain("import-one.ribat-test.net").And.Contain("import-two.ribat-test.net").And.NotContain("not a domain");
        }
        catch
        {
            await ScreenshotAsync(page, "failure-import");
            await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ArtifactDirectory(), "failure-import.html"), await page.ContentAsync());
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<IPage> SignedInPageAsync(string email)
    {
        if (fixture.Sessions.TryGetValue(email, out var session))
        {
            var again = await fixture.NewPageAsync(storageState: session);
            await again.GotoAsync("/");
            await again.Locator("[data-testid=organisation-count]").WaitForAsync();
            return again;
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login");
        await SignInAsync(page, email, Password);
        await page.Locator("[data-testid=organisation-count]").WaitForAsync();
        fixture.Sessions[email] = await page.Context.StorageStateAsync();
        return page;
    }

    private static async Task RecordOneAsync(IPage page, string domain, bool green)
    {
        await page.GotoAsync("/indicators/new");
        var value = Field(page, "indicator-value-input");
        await value.FillAsync(domain);
        await Expect(page.Locator("[data-testid=value-check]")).ToContainTextAsync(domain);
        await ScreenshotAsync(page, "indicator-new");
        if (green)
        {
            await page.ClickAsync("[data-testid=tlp-green]");
            await page.ClickAsync("[data-testid=distribution-community]");
        }

        await page.ClickAsync("[data-testid=save-indicator]");
        await ArrivedAsync(page, "/indicators/[0-9a-f-]{36}$");
        await Expect(page.Locator("[data-testid=indicator-value]")).ToHaveTextAsync(domain);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
