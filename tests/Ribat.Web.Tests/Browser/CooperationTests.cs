using FluentAssertions;
using Microsoft.Playwright;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A preservation request written in Arabic through the request form, right to left, refused while a mandatory
/// field is missing, then sent (and printed as a PDF form) and acknowledged by the addressed agency.
/// </summary>
public sealed class CooperationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "cooperation-test-pass-01";
    private const string Sender = "liaison@delta.example";
    private const string Receiver = "liaison@epsilon.example";

    private Task SetUpAsync() => fixture.OnceAsync("cooperation", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Cyber Unit Delta", "--country", "MA", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "Cyber Unit Epsilon", "--country", "JO", "--kind", "police");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Cyber Unit Delta", "--email", Sender, "--role", "liaison", "--password", Password, "--name", "Salma Liaison");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "Cyber Unit Epsilon", "--email", Receiver, "--role", "liaison", "--password", Password, "--name", "Omar Liaison");
    });

    [BrowserFact]
    public async Task A_liaison_officer_writes_a_preservation_request_in_arabic_and_the_addressee_acknowledges_it()
    {
        await SetUpAsync();
        var page = await SignedInPageAsync(Sender);
        try
        {
            await page.GotoAsync("/profile");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Language" }).First, "العربية", exact: false);
            await page.ClickAsync("[data-testid=save-preferences]");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");

            await page.GotoAsync("/requests");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("طلبات التعاون");
            await page.ClickAsync("[data-testid=new-request]");
            await Expect(page.Locator("[data-testid=request-type-help]")).ToContainTextAsync("المادة 29");
            await Field(page, "request-subject").FillAsync("حفظ سجلات خادم البريد");
            await Field(page, "field-requestingAuthority").FillAsync("وحدة مكافحة الجرائم الإلكترونية");
            await Field(page, "field-facts").FillAsync("تحويل فواتير إلى حساب وسيط في 3 مارس.");
            await Field(page, "field-dataToPreserve").FillAsync("محتوى صندوق البريد وسجلات الدخول.");
            await Field(page, "field-necessity").FillAsync("يحذف المزود السجلات بعد 30 يوماً.");
            await Field(page, "field-assistanceToFollow").FillAsync("سيتبعه طلب مساعدة قانونية متبادلة.");

            // The selects come after the text: a select that closes on Escape takes the focus back a moment later,
            // and text typed into a field in that moment would land in the select instead.
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "السلطة المخاطَبة" }).First, "Cyber Unit Epsilon", exact: false);
            await page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "الجرائم" }).First.ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("الاحتيال", new LocatorGetByTextOptions { Exact = false }).First.ClickAsync();
            await CloseListAsync(page);

            // The custodian (Art. 29(2)(d)) is missing: the form is refused naming it alone, and nothing is lost.
            await page.ClickAsync("[data-testid=send-request]");
            await Expect(page.Locator(".mud-alert")).ToContainTextAsync("custodian");
            await Expect(page.Locator(".mud-alert")).Not.ToContainTextAsync("requestingAuthority");
            await Expect(Field(page, "field-facts")).ToHaveValueAsync("تحويل فواتير إلى حساب وسيط في 3 مارس.");
            await Expect(Field(page, "field-requestingAuthority")).ToHaveValueAsync("وحدة مكافحة الجرائم الإلكترونية");
            await Field(page, "field-custodian").FillAsync("مزود البريد example.test");
            await Expect(Field(page, "field-custodian")).ToHaveValueAsync("مزود البريد example.test");
            await page.ClickAsync("[data-testid=send-request]");
            await ArrivedAsync(page, "/requests/[0-9a-f-]{36}$");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("حفظ سجلات خادم البريد");
            await Expect(page.Locator("[data-testid=request-status]")).ToHaveTextAsync("مُرسَل");
            await Expect(page.Locator("[data-testid=value-custodian]")).ToHaveTextAsync("مزود البريد example.test");
            await Expect(page.Locator("[data-testid=dual-criminality]")).ToContainTextAsync("JO");
            await Expect(page.Locator("[data-testid=clock-acknowledgement]")).ToBeVisibleAsync();
            (await page.EvaluateAsync<string>("document.documentElement.dir")).Should().Be("rtl");
            await ScreenshotAsync(page, "request-arabic");
            var url = page.Url;

            // The printable form is the signed-in user's download, in their language.
            var id = url[(url.LastIndexOf('/') + 1)..];
            await Expect(page.Locator("[data-testid=print-form]")).ToContainTextAsync("طباعة النموذج");
            await Expect(page.Locator("[data-testid=print-form]")).ToHaveAttributeAsync("href", $"/ui/requests/{id}/form.pdf");
            var pdf = await page.Context.APIRequest.GetAsync($"/ui/requests/{id}/form.pdf");
            pdf.Status.Should().Be(200);
            pdf.Headers["content-type"].Should().Be("application/pdf");
            System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..5]).Should().Be("%PDF-");

            var receiver = await SignedInPageAsync(Receiver);
            try
            {
                await receiver.GotoAsync(url);
                await receiver.ClickAsync("[data-testid=request-move-acknowledged]");
                await Expect(receiver.Locator("[data-testid=request-status]")).ToHaveTextAsync("Acknowledged");
                await Expect(receiver.Locator("[data-testid=preserved-until]")).ToBeVisibleAsync();
                await Expect(receiver.Locator("[data-testid=history] tbody tr")).ToHaveCountAsync(3);
            }
            finally
            {
                await receiver.Context.CloseAsync();
            }
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-preservation-request", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private Task<IPage> SignedInPageAsync(string email) => fixture.SignedInPageAsync(email, Password);
}
