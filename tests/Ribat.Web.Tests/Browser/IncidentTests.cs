using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.Playwright;
using Ribat.Stix.Signing;
using Ribat.Stix.Taxii.Client;
using static Ribat.Web.Tests.Browser.BrowserSteps;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// An incident in a real browser: opened and shared with a partner, a timeline entry, a task and a linked value added,
/// and the partner's alert acknowledged from its inbox.
/// </summary>
public sealed class IncidentTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "incident-test-passphrase-01";
    private const string Lead = "analyst@cert-delta.example";
    private const string Partner = "duty@cert-epsilon.example";

    private Task SetUpAsync() => fixture.OnceAsync("cert", async () =>
    {
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Delta", "--country", "JO", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "org", "add", "--name", "CERT Epsilon", "--country", "MA", "--kind", "cert");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "CERT Delta", "--email", Lead, "--role", "analyst", "--password", Password, "--name", "Dana Analyst");
        await fixture.Node.RunCliAsync("admin", "user", "add", "--org", "CERT Epsilon", "--email", Partner, "--role", "analyst", "--password", Password, "--name", "Omar Duty");
    });

    [BrowserFact]
    public async Task An_analyst_opens_an_incident_with_a_partner_adds_a_timeline_entry_and_a_task_and_the_partner_acknowledges_the_alert()
    {
        await SetUpAsync();
        var page = await SignedInPageAsync(Lead);
        try
        {
            await page.GotoAsync("/incidents");
            await page.ClickAsync("[data-testid=new-incident]");
            await Field(page, "incident-title").FillAsync("Ransomware outbreak in hospitals");
            await Field(page, "incident-description").FillAsync("SMB propagation, .WNCRY files.");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Category" }).First, "Malicious code / Infected system");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Participants" }).First, "CERT Epsilon (MA)", exact: false);
            await CloseListAsync(page);
            await page.ClickAsync("[data-testid=save-incident]");
            await ArrivedAsync(page, "/incidents/[0-9a-f-]{36}$");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Ransomware outbreak in hospitals");
            await Expect(page.Locator("[data-testid=incident-status]")).ToHaveTextAsync("Reported");
            await Expect(page.Locator("[data-testid=incident-participants]")).ToContainTextAsync("CERT Epsilon");
            var incidentUrl = page.Url;

            await Field(page, "timeline-text").FillAsync("Kill-switch domain registered and sinkholed");
            await Field(page, "timeline-source").FillAsync("passive DNS");
            await page.ClickAsync("[data-testid=timeline-add]");
            await Expect(page.Locator("[data-testid=incident-timeline] tbody")).ToContainTextAsync("Kill-switch domain registered and sinkholed");

            await Field(page, "task-title").FillAsync("Block 445/tcp at the border");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Assigned to" }).First, "CERT Epsilon");
            await page.ClickAsync("[data-testid=task-add]");
            await Expect(page.Locator("[data-testid=incident-tasks] tbody")).ToContainTextAsync("Block 445/tcp at the border");
            await Expect(page.Locator("[data-testid=incident-tasks] tbody")).ToContainTextAsync("CERT Epsilon");

            // A value from the partner's e-mail, defanged: linked as the incident's own observable, not as an indicator.
            await ChooseAsync(page, "link-kind", "Value");
            await ChooseAsync(page, "link-value-type", "domain");
            await Field(page, "link-value").FillAsync("wannacry-killswitch[.]example");
            await page.ClickAsync("[data-testid=link-add]");
            var links = page.Locator("[data-testid=incident-links] tbody");
            await Expect(links).ToContainTextAsync("domain: wannacry-killswitch.example");
            await Expect(links).ToContainTextAsync("CERT Delta");
            await page.ClickAsync("[data-testid=incident-move-triage]");
            await Expect(page.Locator("[data-testid=incident-status]")).ToHaveTextAsync("Triage");
            await ScreenshotAsync(page, "incident-worked");

            var partner = await SignedInPageAsync(Partner);
            try
            {
                await partner.GotoAsync("/notifications");
                var alert = partner.Locator("[data-testid=inbox] tbody tr").Filter(new LocatorFilterOptions { HasText = "Ransomware outbreak in hospitals" });
                await Expect(alert).ToHaveCountAsync(1);
                await alert.Locator("[data-testid=acknowledge-alert]").ClickAsync();
                await Expect(alert.Locator("[data-testid=acknowledge-alert]")).ToHaveCountAsync(0);
                await ScreenshotAsync(partner, "incident-alert-acknowledged");

                await partner.GotoAsync(incidentUrl);
                await Expect(partner.Locator("[data-testid=incident-tasks] tbody")).ToContainTextAsync("Block 445/tcp at the border");
                await Expect(partner.Locator("[data-testid=incident-timeline] tbody")).ToContainTextAsync("Status: reported → triage");
                await Expect(partner.Locator("[data-testid=incident-links] tbody")).ToContainTextAsync("domain: wannacry-killswitch.example");
            }
            finally
            {
                await partner.Context.CloseAsync();
            }
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-incident", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// Records a partner node through the CLI and has it describe one of its organisations over TAXII, signed with its
    /// key, as its sync does: the organisation is then in this node's partner directory.
    /// </summary>
    private async Task<string> PartnerOrganisationAsync(string name, string country)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var directory = Directory.CreateTempSubdirectory("ribat-partner-").FullName;
        var keyFile = Path.Combine(directory, "partner.pem");
        var credentialFile = Path.Combine(directory, "credential.txt");
        await File.WriteAllTextAsync(keyFile, key.ExportSubjectPublicKeyInfoPem());
        await File.WriteAllTextAsync(credentialFile, "not-used-here\n");
        var node = Guid.CreateVersion7();
        var added = await fixture.Node.RunCliAsync("admin", "partner", "add", "--name", $"{name} node", "--node-id", node.ToString(),
            "--api-root", "http://127.0.0.1:9/taxii2/ribat/", "--public-key", keyFile, "--user", "ribat", "--credential-file", credentialFile, "--tlp-ceiling", "amber");
        var partnerId = Regex.Match(added, "Recorded partner .* ([0-9a-f-]{36})\\s*$", RegexOptions.Multiline).Groups[1].Value;
        var secret = Regex.Match(added, "Inbound secret: (\\S+)").Groups[1].Value;

        var organisation = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var described = new JsonObject
        {
            ["type"] = "x-ribat-organisation",
            ["spec_version"] = "2.1",
            ["id"] = $"x-ribat-organisation--{organisation}",
            ["created"] = now,
            ["modified"] = now,
            ["name"] = name,
            ["country"] = country,
            ["organisation_kind"] = "cert",
            ["node"] = node.ToString(),
        };
        using var http = new HttpClient();
        var client = new TaxiiClient(http, new TaxiiClientOptions { Secret = secret, SignBody = body => PayloadSignature.Sign(body, key) });
        var posted = await client.PostObjectsAsync(new Uri(fixture.Node.Address, "/taxii2/ribat/").ToString(), partnerId,
            Encoding.UTF8.GetBytes(new JsonObject { ["objects"] = new JsonArray(described) }.ToJsonString()));
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        posted.Value!.SuccessCount.Should().Be(1, posted.Value.Failures?.FirstOrDefault()?.Message);
        return name;
    }

    [BrowserFact]
    public async Task An_analyst_names_a_participant_on_a_partner_node_from_the_partner_directory()
    {
        await SetUpAsync();
        var elsewhere = await PartnerOrganisationAsync("CERT Zeta", "TN");
        var page = await SignedInPageAsync(Lead);
        try
        {
            await page.GotoAsync("/incidents/new");
            await Field(page, "incident-title").FillAsync("Phishing wave against ports");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Category" }).First, "Malicious code / Infected system");
            await ChooseAsync(page, page.Locator("div.mud-select").Filter(new LocatorFilterOptions { HasText = "Participants on partner nodes" }).First, $"{elsewhere} (TN)", exact: false);
            await CloseListAsync(page);
            await page.ClickAsync("[data-testid=save-incident]");
            await ArrivedAsync(page, "/incidents/[0-9a-f-]{36}$");
            var participants = page.Locator("[data-testid=incident-participants]");
            await Expect(participants).ToContainTextAsync(elsewhere);
            await Expect(participants).ToContainTextAsync("on a partner node");
            await ScreenshotAsync(page, "incident-partner-participant");
        }
        catch (Exception failure)
        {
            throw await FailedAsync(page, "failure-incident-partner", fixture.Node, failure);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private Task<IPage> SignedInPageAsync(string email) => fixture.SignedInPageAsync(email, Password);
}
