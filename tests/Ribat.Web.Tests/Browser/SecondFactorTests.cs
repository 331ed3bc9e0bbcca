using FluentAssertions;
using Microsoft.Playwright;
using OtpNet;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>Enrolling an authenticator app from the profile, then signing in with it; and the audit trail of it all.</summary>
public sealed class SecondFactorTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "another-long-passphrase";

    [BrowserFact]
    public async Task An_enrolled_second_factor_is_asked_for_at_the_next_sign_in_and_every_step_is_audited()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await FirstSignInAsync(page, Password);

            await page.GotoAsync("/profile");
            await page.ClickAsync("[data-testid=two-factor]");
            await ArrivedAsync(page, "/account/two-factor");
            (await page.GetAttributeAsync("img.ribat-qr", "src")).Should().StartWith("data:image/svg+xml;base64,");
            await ScreenshotAsync(page, "two-factor-enrolment");
            var key = (await page.InnerTextAsync("[data-testid=shared-key]")).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            await page.FillAsync("#code", Code(key));
            await page.ClickAsync("button[type=submit]");
            await ArrivedAsync(page, "/profile$");
            await Assertions.Expect(page.GetByText("Two-factor authentication is on.")).ToBeVisibleAsync();

            await page.ClickAsync("[data-testid=user-menu] button");
            await page.ClickAsync("[data-testid=sign-out]");
            await ArrivedAsync(page, "/account/login");

            await SignInAsync(page, RibatNode.AdminEmail, Password);
            await ArrivedAsync(page, "/account/login/two-factor");
            await page.FillAsync("#code", "000000");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator(".ribat-alert")).ToHaveTextAsync("The code is wrong or has expired.");
            await page.FillAsync("#code", Code(key));
            await page.ClickAsync("button[type=submit]");
            await page.Locator("[data-testid=organisation-count]").WaitForAsync();

            await page.GotoAsync("/audit");
            await Assertions.Expect(page.Locator("[data-testid=audit]")).ToContainTextAsync("access.two-factor-enabled");
            await ScreenshotAsync(page, "audit-english");

            var export = await page.Context.APIRequest.GetAsync("/ui/audit/export");
            export.Status.Should().Be(200);
            var lines = (await export.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var events = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
            events.Should().ContainInOrder("access.sign-in-succeeded", "access.password-changed", "access.two-factor-enabled", "access.signed-out", "access.sign-in-failed", "access.sign-in-succeeded");
            string.Join('\n', lines).Should().NotContain(Password).And.NotContain(RibatNode.AdminPassword);

            // Signing out is a state change: a cross-site form post without the antiforgery token must not do it.
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("returnUrl", "/");
            var forged = await page.Context.APIRequest.PostAsync("/account/logout", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
            forged.Status.Should().Be(400);
            (await page.Context.APIRequest.GetAsync("/ui/audit/export", new APIRequestContextOptions { MaxRedirects = 0 })).Status.Should().Be(200);
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-second-factor", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task The_audit_export_needs_a_signed_in_user()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            var export = await page.Context.APIRequest.GetAsync("/ui/audit/export", new APIRequestContextOptions { MaxRedirects = 0 });
            export.Status.Should().Be(302);
            export.Headers["location"].Should().Contain("/account/login");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-audit-export", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    // Authenticator apps derive the code from the base32 key and the clock; so does this.
    private static string Code(string base32Key) => new Totp(Base32Encoding.ToBytes(base32Key)).ComputeTotp();
}
