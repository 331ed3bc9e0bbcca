using FluentAssertions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>What someone who cannot sign in is told, in the language their browser asks for.</summary>
public sealed class SignInRefusalTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await page.GotoAsync("/account/login");
            await SignInAsync(page, RibatNode.AdminEmail, "not-the-password-at-all");

            await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("The e-mail address or the password is wrong.");
            page.Url.Should().Contain("/account/login");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-wrong-password", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task Repeated_failures_lock_the_account_and_say_until_when()
    {
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Node operators", "--email", "lock@ribat.example", "--role", "analyst", "--password", "the-right-password-123");
        var page = await fixture.NewPageAsync();
        try
        {
            await page.GotoAsync("/account/login");
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                await SignInAsync(page, "lock@ribat.example", $"wrong-password-{attempt}");
                await page.Locator("[data-testid=login-error]").WaitForAsync();
            }

            await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("locked until");

            // Even the right password is refused while the lock holds.
            await SignInAsync(page, "lock@ribat.example", "the-right-password-123");
            await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("locked until");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-lockout", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task An_anonymous_visitor_gets_the_browsers_language_right_to_left_for_arabic()
    {
        var page = await fixture.NewPageAsync(acceptLanguage: "ar");
        try
        {
            await page.GotoAsync("/account/login");

            (await page.EvaluateAsync<string>("document.documentElement.dir")).Should().Be("rtl");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("تسجيل الدخول");
            await ScreenshotAsync(page, "login-arabic");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-anonymous-arabic", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
