using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>A node administrator records a partner node in a real browser, against a real node process.</summary>
public sealed class PartnerTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string NewPassword = "partner-test-passphrase-01";

    [BrowserFact]
    public async Task The_admin_reads_this_nodes_identity_records_a_partner_sees_its_secret_once_and_disables_it()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        var node = Guid.CreateVersion7().ToString();
        var page = await fixture.NewPageAsync();
        try
        {
            await FirstSignInAsync(page, NewPassword);
            await page.GotoAsync("/partners");
            await Expect(page.Locator("[data-testid=node-fingerprint]")).ToHaveTextAsync(new Regex("^[0-9a-f]{64}$"));
            await Expect(page.Locator("[data-testid=node-key]")).ToContainTextAsync("BEGIN PUBLIC KEY");

            await page.ClickAsync("[data-testid=create-partner]");
            await Field(page, "partner-name").FillAsync("CERT Estland");
            await Field(page, "partner-node").FillAsync(node);
            await Field(page, "partner-url").FillAsync("https://taxii.cert.example/api1");
            await Field(page, "partner-user").FillAsync("ribat-fr");
            await Field(page, "partner-credential").FillAsync("s3cret-issued-to-us");
            await Field(page, "partner-key").FillAsync("not a key");
            await page.ClickAsync("[data-testid=save-partner]");
            await Expect(page.Locator("[data-testid=problem]")).ToContainTextAsync("not PEM");

            await Field(page, "partner-key").FillAsync(key.ExportSubjectPublicKeyInfoPem());
            await page.ClickAsync("[data-testid=save-partner]");
            await Expect(page.Locator("[data-testid=secret]")).ToHaveTextAsync(new Regex("^rbp_[A-Za-z0-9_-]{43}$"));
            await ScreenshotAsync(page, "partner-secret");
            await page.ClickAsync("[data-testid=close-secret]");
            await Expect(page.Locator("[data-testid=secret]")).ToHaveCountAsync(0);
            await page.Locator("[data-testid=partners]").GetByText("CERT Estland").ClickAsync();
            await ArrivedAsync(page, "/partners/[0-9a-f-]{36}$");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("CERT Estland");
            await Expect(page.Locator("[data-testid=partner-fingerprint]")).ToHaveTextAsync(fingerprint);
            await Expect(page.Locator("[data-testid=partner-details]")).ToContainTextAsync("https://taxii.cert.example/api1/");
            await Expect(page.Locator("body")).Not.ToContainTextAsync("s3cret-issued-to-us");
            await Expect(page.Locator("[data-testid=partner-cursors]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=partner-sync-state]")).ToContainTextAsync("Last push");
            await Expect(page.Locator("[data-testid=sync-queued]")).ToHaveTextAsync("0");

            await page.ClickAsync("[data-testid=disable-partner]");
            await Field(page, "disable-reason").FillAsync("exercise over");
            await page.ClickAsync("[data-testid=confirm-disable]");
            await Expect(page.Locator("[data-testid=partner-state]")).ToHaveTextAsync("Disabled");
            await page.GotoAsync("/partners");
            await Expect(page.Locator("[data-testid=partners]")).ToContainTextAsync("CERT Estland");
            await Expect(page.Locator("[data-testid=partners]")).ToContainTextAsync("Disabled");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-partner", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
