using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ribat.Tests.Cases;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Capture;

/// <summary>
/// <c>ribat capture</c> as a subprocess over the node's storage, capturing pages served on loopback by the test:
/// the three evidence items, their digests, the capture record and the acquire custody entries; and each way a
/// capture fails with one line, exit code 2 and nothing stored.
/// </summary>
public abstract class CaptureCliTests<TFactory>(TFactory factory) : LoopbackSiteTests, IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private async Task<(HttpClient Client, Guid CaseId, string Email)> CaseAsync()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var opened = await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Harassment") });
        return (client, opened["id"]!.GetValue<Guid>(), tenant.Analyst.Email);
    }

    // The test's pages are served on loopback, which a capture loads only when told it may.
    private Task<CliResult> CaptureAsync(params string[] args) => RibatProcess.RunAsync(["capture", .. args, "--allow-internal", .. factory.StorageArgs]);

    private Task<CliResult> CapturePublicOnlyAsync(params string[] args) => RibatProcess.RunAsync(["capture", .. args, .. factory.StorageArgs]);

    private static async Task<JsonArray> EvidenceAsync(HttpClient client, Guid caseId)
    {
        var page = await (await client.GetAsync($"/api/v1/cases/{caseId}/evidence")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        return page["items"]!.AsArray();
    }

    [BrowserDbFact]
    public async Task A_redirected_page_becomes_a_screenshot_its_html_and_a_record_each_hashed_with_an_acquire_entry()
    {
        var (client, caseId, email) = await CaseAsync();

        var result = await CaptureAsync(Site.Url("/start").AbsoluteUri, "--case", caseId.ToString(), "--user", email);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain(Site.Url("/profile/42").AbsoluteUri).And.Contain("(HTTP 200)");
        var items = await EvidenceAsync(client, caseId);
        items.Should().HaveCount(3);
        var byExtension = items.ToDictionary(i => Path.GetExtension(i!["fileName"]!.GetValue<string>()), i => i!.AsObject());
        byExtension.Keys.Should().BeEquivalentTo([".png", ".html", ".json"]);
        foreach (var item in byExtension.Values)
        {
            item["fileName"]!.GetValue<string>().Should().MatchRegex(@"^capture-127\.0\.0\.1-\d{8}T\d{6}Z\.(png|html|json)$");
        }

        var png = await DownloadAsync(client, byExtension[".png"]);
        png.AsSpan(0, 8).ToArray().Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        var html = await DownloadAsync(client, byExtension[".html"]);
        Encoding.UTF8.GetString(html).Should().Contain(LoopbackSite.Threat);

        var record = JsonNode.Parse(await DownloadAsync(client, byExtension[".json"]))!;
        record["requested_url"]!.GetValue<string>().Should().Be(Site.Url("/start").AbsoluteUri);
        record["final_url"]!.GetValue<string>().Should().Be(Site.Url("/profile/42").AbsoluteUri);
        record["redirects"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal(Site.Url("/start").AbsoluteUri);
        record["status"]!.GetValue<int>().Should().Be(200);
        record["headers"]!.AsArray().Should().Contain(h => h!["name"]!.GetValue<string>().Equals("x-served-by", StringComparison.OrdinalIgnoreCase)
            && h["value"]!.GetValue<string>() == "loopback-site");
        DateTimeOffset.Parse(record["started_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        record["browser"]!.GetValue<string>().Should().StartWith("Chromium ");
        record["blocked"]!.AsArray().Should().BeEmpty();
        var files = record["files"]!.AsArray();
        files.Single(f => f!["role"]!.GetValue<string>() == "screenshot")!["sha256"]!.GetValue<string>()
            .Should().Be(Convert.ToHexStringLower(SHA256.HashData(png))).And.Be(byExtension[".png"]["sha256"]!.GetValue<string>());
        files.Single(f => f!["role"]!.GetValue<string>() == "html")!["sha256"]!.GetValue<string>()
            .Should().Be(byExtension[".html"]["sha256"]!.GetValue<string>());

        foreach (var item in byExtension.Values)
        {
            var custody = await (await client.GetAsync($"/api/v1/evidence/{item["id"]}/custody")).ShouldBeAsync<JsonNode>(HttpStatusCode.OK);
            var entries = custody is JsonArray array ? array : custody["items"]!.AsArray();
            entries[0]!["action"]!.GetValue<string>().Should().Be("acquire");
            item["acquisition"]!["tool"]!.GetValue<string>().Should().Be("ribat capture");
        }
    }

    [BrowserDbFact]
    public async Task A_404_page_is_still_captured_with_its_status()
    {
        var (client, caseId, email) = await CaseAsync();

        var result = await CaptureAsync(Site.Url("/gone").AbsoluteUri, "--case", caseId.ToString(), "--user", email, "--timeout", "20");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("(HTTP 404)");
        var record = (await EvidenceAsync(client, caseId)).Single(i => i!["fileName"]!.GetValue<string>().EndsWith(".json", StringComparison.Ordinal))!;
        JsonNode.Parse(await DownloadAsync(client, record.AsObject()))!["status"]!.GetValue<int>().Should().Be(404);
    }

    [BrowserDbFact]
    public async Task Without_allow_internal_a_page_on_this_machine_is_refused_before_the_browser_starts()
    {
        var (client, caseId, email) = await CaseAsync();

        var result = await CapturePublicOnlyAsync(Site.Url("/start").AbsoluteUri, "--case", caseId.ToString(), "--user", email);

        result.ExitCode.Should().Be(2, result.ToString());
        OneLine(result).Should().Contain("127.0.0.1 is a loopback address").And.Contain("nothing was captured");
        (await EvidenceAsync(client, caseId)).Should().BeEmpty();
    }

    [BrowserDbFact]
    public async Task What_a_page_loads_from_the_cloud_metadata_address_is_refused_and_named_in_the_record()
    {
        var (client, caseId, email) = await CaseAsync();

        var result = await CaptureAsync(Site.Url("/leaky").AbsoluteUri, "--case", caseId.ToString(), "--user", email, "--timeout", "20");

        result.ExitCode.Should().Be(0, result.ToString());
        var items = await EvidenceAsync(client, caseId);
        var record = JsonNode.Parse(await DownloadAsync(client, items.Single(i => i!["fileName"]!.GetValue<string>().EndsWith(".json", StringComparison.Ordinal))!.AsObject()))!;
        var blocked = record["blocked"]!.AsArray().Single()!;
        blocked["target"]!.GetValue<string>().Should().Be(LoopbackSite.MetadataUrl);
        blocked["reason"]!.GetValue<string>().Should().Contain("link-local");
    }

    [BrowserDbFact]
    public async Task A_redirect_to_the_cloud_metadata_address_fails_with_one_line_and_stores_nothing()
    {
        var (client, caseId, email) = await CaseAsync();

        var result = await CaptureAsync(Site.Url("/to-metadata").AbsoluteUri, "--case", caseId.ToString(), "--user", email, "--timeout", "20");

        result.ExitCode.Should().Be(2, result.ToString());
        OneLine(result).Should().Contain("the page led to " + LoopbackSite.MetadataUrl).And.Contain("link-local");
        (await EvidenceAsync(client, caseId)).Should().BeEmpty();
    }

    [BrowserDbFact]
    public async Task A_page_that_never_finishes_loading_times_out_and_stores_nothing()
    {
        var (client, caseId, email) = await CaseAsync();

        var result = await CaptureAsync(Site.Url("/slow").AbsoluteUri, "--case", caseId.ToString(), "--user", email, "--timeout", "3");

        result.ExitCode.Should().Be(2, result.ToString());
        OneLine(result).Should().Contain("did not finish loading within 3 seconds");
        (await EvidenceAsync(client, caseId)).Should().BeEmpty();
    }

    [BrowserDbFact]
    public async Task A_host_that_does_not_exist_fails_with_one_line_and_stores_nothing()
    {
        var (client, caseId, email) = await CaseAsync();

        var result = await CaptureAsync("http://no-such-host.invalid/page", "--case", caseId.ToString(), "--user", email, "--timeout", "20");

        result.ExitCode.Should().Be(2, result.ToString());
        OneLine(result).Should().Contain("no-such-host.invalid");
        (await EvidenceAsync(client, caseId)).Should().BeEmpty();
    }

    [BrowserDbFact]
    public async Task A_url_that_is_not_http_an_unknown_case_and_a_bad_case_id_are_refused_before_any_browser_starts()
    {
        var (client, caseId, email) = await CaseAsync();

        var ftp = await CaptureAsync("file:///etc/passwd", "--case", caseId.ToString(), "--user", email);
        ftp.ExitCode.Should().Be(2, ftp.ToString());
        OneLine(ftp).Should().Contain("not an http or https URL");

        var unknown = await CaptureAsync(Site.Url("/start").AbsoluteUri, "--case", Guid.CreateVersion7().ToString(), "--user", email);
        unknown.ExitCode.Should().Be(2, unknown.ToString());
        OneLine(unknown).Should().Contain("no case has the id");

        var malformed = await CaptureAsync(Site.Url("/start").AbsoluteUri, "--case", "case-7", "--user", email);
        malformed.ExitCode.Should().Be(2, malformed.ToString());
        OneLine(malformed).Should().Contain("--case takes a case id");

        var stranger = await CaptureAsync(Site.Url("/start").AbsoluteUri, "--case", caseId.ToString(), "--user", "nobody@agency.example");
        stranger.ExitCode.Should().Be(2, stranger.ToString());
        OneLine(stranger).Should().Contain("nobody@agency.example");

        var foreign = await factory.CreateTenantAsync();
        var outsider = await CaptureAsync(Site.Url("/start").AbsoluteUri, "--case", caseId.ToString(), "--user", foreign.Analyst.Email);
        outsider.ExitCode.Should().Be(2, outsider.ToString());
        OneLine(outsider).Should().Contain("no case has the id");

        (await EvidenceAsync(client, caseId)).Should().BeEmpty();
    }

    [BrowserDbFact]
    public async Task A_closed_case_is_refused_before_the_browser_starts()
    {
        var (client, caseId, email) = await CaseAsync();
        (await CaseApiTests<TFactory>.MoveAsync(client, caseId, "closed", "no further action")).StatusCode.Should().Be(HttpStatusCode.OK);

        var result = await CaptureAsync(Site.Url("/start").AbsoluteUri, "--case", caseId.ToString(), "--user", email);

        result.ExitCode.Should().Be(1, result.ToString());
        OneLine(result).Should().Contain("closed");
        (await EvidenceAsync(client, caseId)).Should().BeEmpty();
    }

    private static string OneLine(CliResult result)
    {
        result.Stdout.Should().BeEmpty();
        var lines = result.Stderr.Trim().Split('\n');
        lines.Should().ContainSingle(result.ToString());
        lines[0].Should().StartWith("ribat: ");
        return lines[0];
    }

    private static async Task<byte[]> DownloadAsync(HttpClient client, JsonObject item)
    {
        var response = await client.GetAsync($"/api/v1/evidence/{item["id"]}/content");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }
}

public sealed class CaptureCliTestsSqlite(SqliteFactory factory) : CaptureCliTests<SqliteFactory>(factory);

public sealed class CaptureCliTestsPostgres(PostgresFactory factory) : CaptureCliTests<PostgresFactory>(factory);
