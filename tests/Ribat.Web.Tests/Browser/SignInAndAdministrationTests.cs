using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>What an administrator does on a fresh node, in a real browser against a real node process.</summary>
public sealed class SignInAndAdministrationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string NewPassword = "a-long-passphrase-of-my-own";

    [BrowserFact]
    public async Task First_sign_in_forces_a_password_change_then_the_admin_sets_up_an_organisation_and_switches_to_arabic()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await page.GotoAsync("/");
            await ArrivedAsync(page, "/account/login");
            await SignInAsync(page, RibatNode.AdminEmail, RibatNode.AdminPassword);

            // Whatever was asked for, the one-time password must be replaced first.
            await ArrivedAsync(page, "/account/change-password");
            await page.GotoAsync("/organisations");
            await ArrivedAsync(page, "/account/change-password");
            await page.FillAsync("#current", RibatNode.AdminPassword);
            await page.FillAsync("#new", NewPassword);
            await page.FillAsync("#confirm", NewPassword);
            await page.ClickAsync("button[type=submit]");
            await page.Locator("[data-testid=organisation-count]").WaitForAsync();

            await page.GotoAsync("/organisations");
            await page.ClickAsync("[data-testid=create-organisation]");
            await Field(page, "org-name").FillAsync("CERT Testland");
            await Field(page, "org-country").FillAsync("FR");
            await page.ClickAsync("[data-testid=save-organisation]");
            await ArrivedAsync(page, "/organisations/[0-9a-f-]{36}$");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("CERT Testland");
            var organisationId = page.Url.Split('/')[^1];

            await page.GotoAsync($"/users?organisation={organisationId}");
            await page.ClickAsync("[data-testid=create-user]");
            await Field(page, "user-email").FillAsync("analyst@testland.example");
            await Field(page, "user-display-name").FillAsync("Amal Analyst");
            await page.ClickAsync("[data-testid=save-user]");
            var secret = page.Locator("[data-testid=secret]");
            await Expect(secret).ToHaveTextAsync(new Regex("^[A-Za-z0-9]{20}$"));
            await page.ClickAsync("[data-testid=close-secret]");
            await Expect(page.Locator("[data-testid=users]")).ToContainTextAsync("analyst@testland.example");
            await ScreenshotAsync(page, "users-english");

            await page.GetByText("Amal Analyst").ClickAsync();
            await ArrivedAsync(page, "/users/[0-9a-f-]{36}$");
            await page.Locator(".mud-switch").Filter(new LocatorFilterOptions { HasText = "Disabled" }).ClickAsync();
            await page.ClickAsync("[data-testid=save-user]");
            await Expect(page.Locator("[data-testid=user-state]")).ToContainTextAsync("Disabled");

            await page.GotoAsync("/tokens");
            await page.ClickAsync("[data-testid=create-token]");
            await Field(page, "token-name").FillAsync("nightly export");
            await page.ClickAsync("[data-testid=save-token]");
            await Expect(page.Locator("[data-testid=secret]")).ToHaveTextAsync(new Regex("^rbt_"));
            await page.ClickAsync("[data-testid=close-secret]");
            await Expect(page.Locator("[data-testid=secret]")).ToHaveCountAsync(0);
            await page.ClickAsync("[data-testid=revoke-token]");
            await page.ClickAsync("[data-testid=confirm-revoke]");
            await Expect(page.Locator("[data-testid=tokens]")).ToContainTextAsync("Revoked");

            await page.GotoAsync("/profile");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Language" }).First, "العربية", exact: false);
            await page.ClickAsync("[data-testid=save-preferences]");

            await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
            (await page.EvaluateAsync<string>("document.documentElement.dir")).Should().Be("rtl");
            (await page.EvaluateAsync<string>("document.documentElement.lang")).Should().Be("ar");
            await Expect(page.Locator("[data-testid=nav]").GetByText("المنظمات")).ToBeVisibleAsync();
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("ملفي الشخصي");
            await ScreenshotAsync(page, "profile-arabic");
            await page.GotoAsync("/organisations");
            await Expect(page.Locator("[data-testid=organisations]")).ToContainTextAsync("CERT Testland");
            await ScreenshotAsync(page, "organisations-arabic");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-admin-scenario", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
