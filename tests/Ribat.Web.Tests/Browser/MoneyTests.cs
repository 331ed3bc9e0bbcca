using System.Text;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// Following the money in a real browser: a wallet and bank export acquired as evidence, its columns mapped by hand
/// (the header names are not ones a guess finds), previewed with its refused row, imported, and seen as money edges
/// of the case's link graph.
/// </summary>
public sealed class MoneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "money-test-passphrase-01";
    private const string Investigator = "investigator@epsilon.example";
    private const string Partner = "analyst@zeta.example";
    private const string Btc1 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    private const string Btc2 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
    private const string Iban = "GB82WEST12345698765432";

    private static readonly string Export = string.Join("\n",
        "Wallet A,Wallet B,Qty,Asset",
        $"{Btc1},{Btc2},0.5,BTC",
        $"{Btc1},{Btc2},0.25,BTC",
        $"{Iban},{Btc1},1200,EUR",
        $"{Iban},{Btc1},not a number,EUR") + "\n";

    private Task SetUpAsync() => fixture.OnceAsync("unit", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Financial Unit Epsilon", "--country", "FR", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Financial Unit Epsilon", "--email", Investigator, "--role", "investigator", "--password", Password, "--name", "Elise Investigator");
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Financial Unit Zeta", "--country", "BE", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Financial Unit Zeta", "--email", Partner, "--role", "investigator", "--password", Password, "--name", "Zoe Partner");
    });

    [BrowserFact]
    public async Task An_investigator_maps_a_transaction_export_imports_it_and_sees_the_flows_in_the_graph()
    {
        await SetUpAsync();
        var page = await fixture.SignedInPageAsync(Investigator, Password);
        try
        {
            await page.GotoAsync("/cases");
            await page.ClickAsync("[data-testid=new-case]");
            await Field(page, "case-title").FillAsync("Pig butchering");
            await Field(page, "sharing-recipients").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("Financial Unit Zeta (BE)").ClickAsync();
            await CloseListAsync(page);
            await page.ClickAsync("[data-testid=save-case]");
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");

            await page.ClickAsync("[data-testid=acquire-evidence]");
            await ChooseFileAsync(page.Locator("input[type=file]"), new FilePayload { Name = "wallets.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Export) },
                page.Locator("[data-testid=evidence-file-name]"));
            await Field(page, "evidence-method").FillAsync("export from the exchange's portal");
            await page.ClickAsync("[data-testid=save-evidence]");
            await ArrivedAsync(page, "/evidence/[0-9a-f-]{36}$");
            var evidence = page.Url;

            await page.ClickAsync("[data-testid=money-read]");
            await Expect(page.Locator("[data-testid=money-problem]")).ToContainTextAsync("from");
            await Expect(page.Locator("[data-testid=money-sample] tbody tr")).ToHaveCountAsync(4);

            await ChooseAsync(page, "money-from", "Wallet A");
            await ChooseAsync(page, "money-to", "Wallet B");
            await ChooseAsync(page, "money-amount", "Qty");
            await ChooseAsync(page, "money-currency", "Asset");
            await page.ClickAsync("[data-testid=money-preview]");
            await Expect(page.Locator("[data-testid=money-flows] tbody tr")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=money-flows]")).ToContainTextAsync("0.75 BTC");
            await Expect(page.Locator("[data-testid=money-issues] tbody tr")).ToContainTextAsync("Qty");
            await Expect(page.Locator("[data-testid=money-problem]")).ToHaveCountAsync(0);
            await ScreenshotAsync(page, "money-mapping");

            await page.ClickAsync("[data-testid=money-import]");
            await Expect(page.Locator("[data-testid=money-imported]")).ToContainTextAsync("3");

            await page.ClickAsync("[data-testid=money-case-link]");
            await ArrivedAsync(page, "/cases/[0-9a-f-]{36}$");
            var canvas = page.Locator("[data-testid=case-graph]");
            await canvas.ScrollIntoViewIfNeededAsync();
            await Expect(canvas).ToHaveAttributeAsync("data-nodes", "3");
            await Expect(canvas).ToHaveAttributeAsync("data-money", "2");
            await Expect(page.Locator("[data-testid=graph-money]")).ToContainTextAsync("0.75 BTC · 2×");
            await Expect(page.Locator("[data-testid=graph-money]")).ToContainTextAsync("1,200 EUR · 1×");
            await ScreenshotAsync(page, "money-graph");

            // The partner of the case reads the evidence item, but only its owner reads it into money flows.
            var partner = await fixture.SignedInPageAsync(Partner, Password);
            await partner.GotoAsync(evidence);
            await Expect(partner.Locator("#page-title")).ToHaveTextAsync("wallets.csv");
            await Expect(partner.Locator("[data-testid=money-panel]")).ToHaveCountAsync(0);
            await partner.Context.CloseAsync();
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-money", fixture.Node, failure);
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
