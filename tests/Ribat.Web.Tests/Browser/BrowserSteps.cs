using Microsoft.Playwright;

namespace Ribat.Web.Tests.Browser;

/// <summary>Steps several browser tests share.</summary>
internal static class BrowserSteps
{
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
    }

    /// <summary>First sign-in on a fresh node: the one-time password must be replaced before anything else.</summary>
    public static async Task FirstSignInAsync(IPage page, string newPassword)
    {
        await page.GotoAsync("/account/login");
        await SignInAsync(page, RibatNode.AdminEmail, RibatNode.AdminPassword);
        await ArrivedAsync(page, "/account/change-password");
        await page.FillAsync("#current", RibatNode.AdminPassword);
        await page.FillAsync("#new", newPassword);
        await page.FillAsync("#confirm", newPassword);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=organisation-count]").WaitForAsync();
    }

    /// <summary>
    /// Waits until the page's address matches <paramref name="pattern"/>, by watching the address alone. Blazor moves
    /// between its pages without a new document, so a load event may never come or come late; and a wait for an address
    /// the page has already reached waits for such an event. What follows a navigation waits for the element it needs.
    /// </summary>
    public static Task ArrivedAsync(IPage page, string pattern) =>
        Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(pattern));

    /// <summary>The input (or text area) of a MudBlazor field, wherever the component put the test id.</summary>
    public static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    /// <summary>
    /// Chooses one option of a single-choice select and waits until the select holds it. MudBlazor closes the list before
    /// it takes the value, and it takes it only after a round trip to the browser; a click that followed at once (a
    /// save) could run on the server before the choice and find the field empty. The select's own text changing is the
    /// sign that the value was taken. A select that already shows the option (exactly) is left as it is.
    /// </summary>
    public static async Task ChooseAsync(IPage page, ILocator select, string option, bool exact = true)
    {
        var shown = select.Locator("input").First;
        var before = await shown.InputValueAsync();
        if (exact && before == option)
        {
            return;
        }

        await select.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(option, new LocatorGetByTextOptions { Exact = exact }).First.ClickAsync();
        await Assertions.Expect(shown).Not.ToHaveValueAsync(before);
    }

    /// <summary>
    /// Closes the open list of a multiple-choice select and waits until it is gone. An Escape pressed while the select
    /// is still taking the last choice can be lost, and the open list then covers the next button; so it is pressed
    /// again until the list has closed.
    /// </summary>
    public static async Task CloseListAsync(IPage page)
    {
        var open = page.Locator(".mud-popover-open");
        for (var attempt = 0; attempt < 4; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await Assertions.Expect(open).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 1500 });
                return;
            }
            catch (PlaywrightException)
            {
                // Still open: press again.
            }
        }

        await Assertions.Expect(open).ToHaveCountAsync(0);
    }

    /// <summary>As <see cref="ChooseAsync(IPage, ILocator, string, bool)"/>, for the select carrying <paramref name="testId"/>.</summary>
    public static Task ChooseAsync(IPage page, string testId, string option) =>
        ChooseAsync(page, page.Locator($"div.mud-select:has([data-testid={testId}]), div.mud-select[data-testid={testId}]").First, option);

    /// <summary>
    /// Chooses a file in a Blazor file input and waits until the page shows it. The input is in the page a moment
    /// before the framework's script listens on it, and a choice made in that moment is lost, so the choice is
    /// repeated until <paramref name="shown"/> appears.
    /// </summary>
    public static async Task ChooseFileAsync(ILocator input, FilePayload file, ILocator shown)
    {
        for (var attempt = 1; ; attempt++)
        {
            await input.SetInputFilesAsync(file);
            try
            {
                // Longer each time: on a busy machine the framework may simply be slow to show the choice.
                await shown.WaitForAsync(new LocatorWaitForOptions { Timeout = 3_000 * attempt });
                return;
            }
            catch (TimeoutException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Keeps a screenshot of a failed step and says, in the failure itself, what the page showed (its address and any
    /// problem it reported) and what the node logged as a warning or an error: CI keeps the message, not the picture.
    /// </summary>
    public static async Task<Exception> FailedAsync(IPage page, string name, RibatNode node, Exception failure)
    {
        await ScreenshotAsync(page, name);
        var problems = await page.Locator("[data-testid=problem], .mud-alert-message").AllInnerTextsAsync();
        var logged = new List<string>();
        var inEntry = false;
        foreach (var line in node.Output.Split('\n'))
        {
            // An entry's first line names its level; the indented lines after it carry its message and exception.
            inEntry = line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)
                || (inEntry && line.StartsWith(' '));
            if (inEntry)
            {
                logged.Add(line.TrimEnd());
            }
        }

        return new InvalidOperationException(
            $"{failure.Message}\nPage: {page.Url}\nShown: {string.Join(" | ", problems)}\nNode log:\n{string.Join('\n', logged.TakeLast(40))}", failure);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactDirectory(), name + ".png"), FullPage = true });
}
