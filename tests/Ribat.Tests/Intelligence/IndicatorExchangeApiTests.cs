using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Exchange;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>
/// Files in and out through HTTP: the raw body streamed into the importers, the export streamed back as an
/// attachment, and what a caller sees when a file is refused. The MISP event is real: PyMISP's test suite
/// (MISP/PyMISP @ 99a1c797, BSD-2), read from ../shared/corpus/misp/events/.
/// </summary>
public abstract class IndicatorExchangeApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private static string Corpus(string file) =>
        SharedCorpus.Path("misp", "events", file);

    private static ByteArrayContent Body(string text, string mediaType = "text/plain") => Body(Encoding.UTF8.GetBytes(text), mediaType);

    private static ByteArrayContent Body(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private async Task<(int Indicators, int Reports, int Grants, int Audit)> CountRowsAsync()
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return (await db.Indicators.CountAsync(), await db.Reports.CountAsync(), await db.ShareGrants.CountAsync(), await db.AuditEntries.CountAsync());
    }

    private static async Task<string> ShouldBeFileAsync(HttpResponseMessage response, string mediaType, string extension)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        disposition.DispositionType.Should().Be("attachment");
        disposition.FileName.Should().StartWith("ribat-indicators-").And.EndWith($".{extension}");
        return text;
    }

    [DbFact]
    public async Task A_real_misp_event_goes_in_and_comes_out_again_as_misp_json_with_the_same_values()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var file = await File.ReadAllBytesAsync(Corpus("existing_event.json"));
        var original = MispEventReader.Read(file).Value!.Single();

        var imported = await (await client.PostAsync("/api/v1/indicators/import?format=misp", Body(file, "application/json"))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        imported["recorded"]!.GetValue<int>().Should().Be(original.Indicators.DistinctBy(i => (i.Type, i.Value)).Count());
        imported["skipped"]!.AsArray().Should().NotBeEmpty("the event's text attributes have no observable type and are listed");
        var reportId = imported["reportIds"]!.AsArray().Single()!.GetValue<Guid>();

        var again = await (await client.PostAsync("/api/v1/indicators/import?format=misp", Body(file, "application/json"))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        again["recorded"]!.GetValue<int>().Should().Be(0, "a re-import adds nothing already held");

        var exported = await ShouldBeFileAsync(await client.GetAsync($"/api/v1/reports/{reportId}/export?includeInactive=true"), "application/json", "json");
        var back = MispEventReader.Read(Encoding.UTF8.GetBytes(exported)).Value!.Single();
        back.Title.Should().Be(original.Title);
        back.Tlp.Should().Be("tlp:clear", "the event's tlp:white tag is TLP 2.0 CLEAR");
        back.Indicators.Select(i => (i.Type, i.Value)).Should().BeEquivalentTo(original.Indicators.Select(i => (i.Type, i.Value)).Distinct());

        var list = await ShouldBeFileAsync(await client.GetAsync($"/api/v1/indicators/export?format=csv&reportId={reportId}&includeInactive=true"), "text/csv", "csv");
        list.Should().Contain(original.Indicators[0].Value);

        var audit = await (await factory.ClientWith(tenant.AdminSecret).GetAsync("/api/v1/audit?limit=500")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var events = audit["items"]!.AsArray().Where(e => e!["actorUserId"]?.GetValue<Guid>() == tenant.Analyst.Id).Select(e => e!["event"]!.GetValue<string>()).ToList();
        events.Should().Contain("intel.indicators-imported").And.Contain("intel.indicators-exported");
        events.Count(e => e == "intel.indicators-exported").Should().Be(2);
        audit.ToJsonString().Should().NotContain(original.Indicators[0].Value, "the audit log records counts, never the values");
    }

    [DbFact]
    public async Task A_csv_import_names_the_line_and_reason_of_a_bad_row_and_all_or_nothing_writes_nothing()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        const string csv = "indicator,kind,note\n203.0.113.5,ipv4,scanner\n2001:db8::zz,ipv6,broken\nevil.ribat-test.org,domain,phishing\n";
        const string columns = "valueColumn=indicator&typeColumn=kind&commentColumn=note";

        var preview = await (await client.PostAsync("/api/v1/indicators/import/csv-preview", Body(csv, "text/csv"))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        preview["header"]!.AsArray().Select(h => h!.GetValue<string>()).Should().Equal("indicator", "kind", "note");
        preview["rows"]!.AsArray().Should().HaveCount(3);
        preview["delimiter"]!.GetValue<string>().Should().Be(",");
        preview["suggestedMapping"]!["valueColumn"]!.GetValue<string>().Should().Be("indicator");

        var before = await CountRowsAsync();
        var strict = await (await client.PostAsync($"/api/v1/indicators/import?format=csv&{columns}&allOrNothing=true", Body(csv, "text/csv")))
            .ShouldBeValidationProblemAsync("file");
        strict["type"]!.GetValue<string>().Should().Be("urn:ribat:problem:indicator-rows");
        var refused = strict["issues"]!.AsArray().Single()!;
        refused["line"]!.GetValue<int>().Should().Be(3);
        refused["reason"]!.GetValue<string>().Should().Contain("IPv6");
        (await CountRowsAsync()).Should().Be(before, "all or nothing wrote nothing, not even an audit row");

        var kept = await (await client.PostAsync($"/api/v1/indicators/import?format=csv&{columns}&tlp=green&distribution=community", Body(csv, "text/csv")))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        kept["recorded"]!.GetValue<int>().Should().Be(2);
        var issue = kept["issues"]!.AsArray().Single()!;
        issue["line"]!.GetValue<int>().Should().Be(3);
        issue["reason"]!.GetValue<string>().Should().Contain("IPv6");
        kept["warnings"]!.AsArray().Single(w => w!["value"]!.GetValue<string>() == "203.0.113.5")!["line"]!.GetValue<int>().Should().Be(2);
        var mine = await (await client.GetAsync("/api/v1/indicators?mine=true&type=ipv4")).ReadJsonAsync();
        var row = mine["items"]!.AsArray().Single()!;
        row["comment"]!.GetValue<string>().Should().Be("scanner");
        row["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:GREEN");
    }

    private static readonly (string Format, string Text, string MediaType, string Reason)[] RefusedFiles =
    [
        ("misp", "{\"Event\": {\"info\": \"x\", \"Attribute\": [", "application/json", "MISP JSON"),
        ("misp", "\u00ff\u0000\u0013 binary", "application/octet-stream", "cannot be read"),
        ("csv", "indicator\n203.0.113.9\n", "text/csv", "column mapping"),
        ("stix", "{}", "application/json", "not an import format"),
    ];

    [DbFact]
    public async Task Unreadable_files_and_unknown_formats_answer_a_precise_problem_and_write_nothing()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var before = await CountRowsAsync();

        foreach (var (format, text, mediaType, reason) in RefusedFiles)
        {
            var problem = await (await client.PostAsync($"/api/v1/indicators/import?format={format}", Body(text, mediaType))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem["detail"]!.GetValue<string>().Should().Contain(reason, format);
        }

        var random = new byte[64 * 1024];
        new Random(7).NextBytes(random);
        await (await client.PostAsync("/api/v1/indicators/import?format=misp", Body(random, "application/json"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/indicators/import?format=text", Body(random, "text/plain"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/indicators/import?format=text&type=colour", Body("198.51.100.7"))).ShouldBeValidationProblemAsync("type");
        await (await client.PostAsync($"/api/v1/indicators/import?format=text&reportId={Guid.CreateVersion7()}", Body("198.51.100.7"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/v1/indicators/import?format=text&tlp=beige", Body("198.51.100.7"))).ShouldBeValidationProblemAsync("tlp");

        var tooLarge = await client.PostAsync("/api/v1/indicators/import?format=text", new DeclaredLengthContent(256L * 1024 * 1024 + 1));
        (await tooLarge.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge))["detail"]!.GetValue<string>().Should().Contain("256 MiB");

        (await CountRowsAsync()).Should().Be(before);
    }

    [DbFact]
    public async Task A_read_only_token_or_a_viewer_cannot_import_but_may_export()
    {
        var tenant = await factory.CreateTenantAsync();
        var readOnly = factory.ClientWith((await factory.CreateTokenAsync(tenant.Analyst.Id, "read")).Secret);
        var viewer = await factory.CreateUserAsync(tenant.Organisation.Id, Roles.Viewer);
        var viewerClient = factory.ClientWith((await factory.CreateTokenAsync(viewer.Id)).Secret);
        var before = await CountRowsAsync();

        var refused = await (await readOnly.PostAsync("/api/v1/indicators/import?format=text", Body("198.51.100.8"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        refused["detail"]!.GetValue<string>().Should().Contain("read-only");
        await (await viewerClient.PostAsync("/api/v1/indicators/import?format=text", Body("198.51.100.8"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await CountRowsAsync()).Should().Be(before);

        await ShouldBeFileAsync(await readOnly.GetAsync("/api/v1/indicators/export?format=plain"), "text/plain", "txt");
    }

    [DbFact]
    public async Task Block_lists_hold_what_the_caller_may_see_and_nothing_else()
    {
        var owner = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var ownerClient = factory.ClientWith(owner.AnalystSecret);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string shared = $"shared-{suffix}.ribat-test.net", secret = $"secret-{suffix}.ribat-test.net", context = $"context-{suffix}.ribat-test.net";
        await (await ownerClient.PostAsync("/api/v1/indicators/import?format=text&tlp=green&distribution=community", Body($"{shared}\n"))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        await (await ownerClient.PostAsync("/api/v1/indicators/import?format=text&tlp=amber&distribution=organisation-only", Body($"{secret}\n"))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        await (await ownerClient.PostAsync("/api/v1/indicators/import?format=csv&valueColumn=value&forDetectionColumn=detect&type=domain&tlp=green&distribution=community",
            Body($"value,detect\n{context},no\n", "text/csv"))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        foreach (var (format, mediaType, extension) in new[] { ("hosts", "text/plain", "txt"), ("suricata", "text/plain", "rules"), ("rpz", "text/dns", "zone") })
        {
            var body = await ShouldBeFileAsync(await partnerClient.GetAsync($"/api/v1/indicators/export?format={format}"), mediaType, extension);
            body.Should().Contain(shared, format)
                .And.NotContain(secret, $"{format}: an AMBER organisation-only indicator never leaves its owner")
                .And.NotContain(context, $"{format}: an indicator not meant for detection is not for blocking");
        }

        var drop = await ShouldBeFileAsync(await partnerClient.GetAsync("/api/v1/indicators/export?format=suricata&ruleAction=drop"), "text/plain", "rules");
        drop.Should().Contain("drop ");
        var own = await ShouldBeFileAsync(await ownerClient.GetAsync("/api/v1/indicators/export?format=hosts"), "text/plain", "txt");
        own.Should().Contain(shared).And.Contain(secret, "the owner's block list holds its own AMBER rows").And.NotContain(context);

        await (await partnerClient.GetAsync("/api/v1/indicators/export?format=pdf")).ShouldBeValidationProblemAsync("format");
        await (await partnerClient.GetAsync("/api/v1/indicators/export?format=csv&type=colour")).ShouldBeValidationProblemAsync("type");
        await (await partnerClient.GetAsync("/api/v1/indicators/export?format=csv&ruleAction=pass")).ShouldBeValidationProblemAsync("ruleAction");
        await (await partnerClient.GetAsync($"/api/v1/indicators/export?format=csv&reportId={Guid.CreateVersion7()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>A body that says it is larger than it will ever be sent: the endpoint must refuse it before reading.</summary>
    private sealed class DeclaredLengthContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }
}

public sealed class IndicatorExchangeApiTestsSqlite(SqliteFactory factory) : IndicatorExchangeApiTests<SqliteFactory>(factory);

public sealed class IndicatorExchangeApiTestsPostgres(PostgresFactory factory) : IndicatorExchangeApiTests<PostgresFactory>(factory);
