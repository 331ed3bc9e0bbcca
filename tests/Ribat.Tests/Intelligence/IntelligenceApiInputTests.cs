using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>
/// What the intelligence endpoints answer to bad input, oversized bodies, read-only tokens and reading roles:
/// a precise problem, and nothing written. And what they leave in the audit log when they do write.
/// </summary>
public abstract class IntelligenceApiInputTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private async Task<(int Indicators, int Reports, int Sightings, int Groups, int Grants, int Audit)> CountRowsAsync()
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return (await db.Indicators.CountAsync(), await db.Reports.CountAsync(), await db.Sightings.CountAsync(), await db.SharingGroups.CountAsync(),
            await db.ShareGrants.CountAsync(), await db.AuditEntries.CountAsync());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static IEnumerable<JsonNode> Issues(JsonNode problem) => problem["issues"]!.AsArray().Select(i => i!);

    [DbFact]
    public async Task Bad_indicators_answer_the_reason_for_each_and_write_nothing()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var before = await CountRowsAsync();

        var unknown = await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "colour", value = "blue" })).ShouldBeValidationProblemAsync("type");
        unknown["type"]!.GetValue<string>().Should().Be("urn:ribat:problem:indicator-rows");
        unknown["detail"]!.GetValue<string>().Should().Contain("'colour' is not an indicator type").And.Contain("ipv6");
        Issues(unknown).Single()["line"]!.GetValue<int>().Should().Be(1);

        var ipv6 = await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "ipv6", value = "2001:db8::zz" })).ShouldBeValidationProblemAsync("value");
        ipv6["detail"]!.GetValue<string>().Should().Contain("IPv6");
        ipv6["errors"]!["value"]![0]!.GetValue<string>().Should().Be(ipv6["detail"]!.GetValue<string>());
        var issue = Issues(ipv6).Single();
        issue["column"]!.GetValue<string>().Should().Be("value");
        issue["reason"]!.GetValue<string>().Should().Contain("IPv6");

        var huge = await client.PostAsJsonAsync("/api/v1/indicators", new { type = "domain", value = new string('a', 2 * 1024 * 1024) + ".com" });
        (await huge.ShouldBeValidationProblemAsync("value"))["detail"]!.GetValue<string>().Should().Contain("longer than 8192 characters");

        await (await client.PostAsJsonAsync("/api/v1/indicators", new { value = "192.0.2.1" })).ShouldBeValidationProblemAsync("type");
        await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "ipv4", value = "192.0.2.1", tlp = "beige" })).ShouldBeValidationProblemAsync("tlp");
        await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "ipv4", value = "192.0.2.1", confidence = 101 })).ShouldBeValidationProblemAsync("confidence");
        await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "ipv4", value = "192.0.2.1", sharing = new { tlp = "purple", distribution = "everyone" } }))
            .ShouldBeValidationProblemAsync("distribution");
        await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "ipv4", value = "192.0.2.1", sharing = new { distribution = "sharing-group", sharingGroupId = Guid.CreateVersion7() } }))
            .ShouldBeValidationProblemAsync("sharingGroupId");
        await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "ipv4", value = "192.0.2.1", reportId = Guid.CreateVersion7() })).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await CountRowsAsync()).Should().Be(before);
    }

    public static TheoryData<string, string> UnreadableBodies => new()
    {
        { """{"indicators": [{"type": "ipv4", "val""", "truncated JSON" },
        { """{"type": "ipv4", "value": "192.0.2.1", "confidence": "high"}""", "a string for a number" },
        { """{"type": "ipv4", "value": 192}""", "a number for a string" },
        { """{"indicators": {"type": "ipv4", "value": "192.0.2.1"}}""", "an object for the batch" },
        { """{"indicators": [1, 2]}""", "numbers for rows" },
        { """{"type": "ipv4", "value": "192.0.2.1", "tags": "c2"}""", "a string for the tags" },
        { """{"type": "ipv4", "value": "192.0.2.1", "sharing": {"recipients": ["not-a-guid"]}}""", "a bad recipient id" },
        { """{"type": "ipv4", "value": "192.0.2.1", "validFrom": "yesterday"}""", "a bad date" },
        { "[]", "an array for the body" },
        { "null", "the JSON literal null" },
        { string.Empty, "no body at all" },
    };

    [DbFact]
    public async Task Unreadable_bodies_are_400_problems_that_say_why_and_write_nothing()
    {
        var client = factory.ClientWith((await factory.CreateTenantAsync()).AnalystSecret);
        var before = await CountRowsAsync();

        foreach (var (body, what) in UnreadableBodies.Select(row => ((string)row[0], (string)row[1])))
        {
            var response = await client.PostAsync("/api/v1/indicators", Json(body));
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem["detail"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace(what).And.NotContain("   at ", "no stack trace leaks");
        }

        await (await client.PostAsync("/api/v1/indicators", Json("""{"indicators": [{"type": "ipv4", "value": "192.0.2.1"}, null]}"""))).ShouldBeValidationProblemAsync("indicators");
        await (await client.PostAsync("/api/v1/indicators", Json("""{"indicators": []}"""))).ShouldBeValidationProblemAsync("indicators");
        var both = await client.PostAsync("/api/v1/indicators", Json("""{"type": "ipv4", "value": "192.0.2.1", "indicators": [{"type": "ipv4", "value": "192.0.2.2"}]}"""));
        (await both.ShouldBeValidationProblemAsync("indicators"))["detail"]!.GetValue<string>().Should().Contain("not both");
        (await client.PostAsync("/api/v1/indicators", new StringContent("192.0.2.1", Encoding.UTF8, "text/plain"))).StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await CountRowsAsync()).Should().Be(before);
    }

    [DbFact]
    public async Task A_batch_with_a_bad_row_is_refused_whole_with_all_or_nothing_and_kept_in_part_without()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var prefix = Guid.NewGuid().ToString("N")[..12];
        object[] rows =
        [
            new { type = "domain", value = $"{prefix}-one.com" },
            new { type = "ipv6", value = "2001:db8:::1" },
            new { type = "domain", value = $"{prefix}-two.com" },
            new { type = "sha256", value = "abc", line = 17 },
        ];
        var before = await CountRowsAsync();

        var refused = await client.PostAsJsonAsync("/api/v1/indicators", new { indicators = rows, allOrNothing = true });

        var problem = await refused.ShouldBeValidationProblemAsync("indicators");
        problem["type"]!.GetValue<string>().Should().Be("urn:ribat:problem:indicator-rows");
        problem["detail"]!.GetValue<string>().Should().Contain("2 row(s)");
        Issues(problem).Select(i => (i["line"]!.GetValue<int>(), i["column"]!.GetValue<string>())).Should().Equal((2, "value"), (17, "value"));
        Issues(problem).Should().AllSatisfy(i => i["reason"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace());
        problem["errors"]!["indicators"]![0]!.GetValue<string>().Should().StartWith("line 2, value: ");
        (await CountRowsAsync()).Should().Be(before, "all or nothing: nothing, not even an audit row");

        var partial = await client.PostAsJsonAsync("/api/v1/indicators", new { indicators = rows });

        var result = await partial.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        result["recorded"]!.GetValue<int>().Should().Be(2);
        result["ids"]!.AsArray().Should().HaveCount(2);
        Issues(result).Select(i => i["line"]!.GetValue<int>()).Should().Equal(2, 17);
        var after = await CountRowsAsync();
        (after.Indicators, after.Audit).Should().Be((before.Indicators + 2, before.Audit + 1));

        var onlyBad = await client.PostAsJsonAsync("/api/v1/indicators", new { indicators = new[] { rows[1], rows[3] } });
        await onlyBad.ShouldBeValidationProblemAsync("indicators");
        (await CountRowsAsync()).Should().Be(after, "a batch that records nothing because of its rows writes nothing");
    }

    [DbFact]
    public async Task Read_only_tokens_and_reading_roles_are_refused_every_write()
    {
        var tenant = await factory.CreateTenantAsync();
        var writer = factory.ClientWith(tenant.AnalystSecret);
        var readOnly = factory.ClientWith((await factory.CreateTokenAsync(tenant.Analyst.Id, "read")).Secret);
        var viewer = await factory.CreateUserAsync(tenant.Organisation.Id, Roles.Viewer);
        var viewerClient = factory.ClientWith((await factory.CreateTokenAsync(viewer.Id)).Secret);
        var indicator = (await (await writer.PostAsJsonAsync("/api/v1/indicators", new { type = "sha1", value = new string('d', 40) })).ReadJsonAsync())["ids"]![0]!.GetValue<Guid>();
        var report = (await (await writer.PostAsJsonAsync("/api/v1/reports", new { title = "Mine" })).ReadJsonAsync())["id"]!.GetValue<Guid>();
        var group = (await (await writer.PostAsJsonAsync("/api/v1/sharing-groups", new { name = RibatFactory.Unique("G") })).ReadJsonAsync())["id"]!.GetValue<Guid>();
        var before = await CountRowsAsync();

        foreach (var (client, because) in new[] { (readOnly, "read-only"), (viewerClient, "role") })
        {
            var refusals = new[]
            {
                await client.PostAsJsonAsync("/api/v1/indicators", new { type = "sha1", value = new string('e', 40) }),
                await client.PatchJsonAsync($"/api/v1/indicators/{indicator}", new { confidence = 1 }),
                await client.DeleteAsync($"/api/v1/indicators/{indicator}"),
                await client.PostAsJsonAsync($"/api/v1/indicators/{indicator}/sightings", new { }),
                await client.PostAsJsonAsync("/api/v1/reports", new { title = "x" }),
                await client.PutAsJsonAsync($"/api/v1/reports/{report}", new { title = "x" }),
                await client.DeleteAsync($"/api/v1/reports/{report}"),
                await client.PostAsJsonAsync("/api/v1/sharing-groups", new { name = "x" }),
                await client.PutAsJsonAsync($"/api/v1/sharing-groups/{group}", new { name = "x" }),
                await client.DeleteAsync($"/api/v1/sharing-groups/{group}"),
            };
            foreach (var refusal in refusals)
            {
                var problem = await refusal.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
                if (because == "read-only")
                {
                    problem["detail"]!.GetValue<string>().Should().Contain("read-only");
                }
            }

            (await client.GetAsync($"/api/v1/indicators/{indicator}")).StatusCode.Should().Be(HttpStatusCode.OK, "reading is allowed");
            (await client.GetAsync($"/api/v1/search?q={new string('d', 40)}")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.PostAsJsonAsync("/api/v1/indicators/extract", new { text = "8.8.8.8" })).StatusCode.Should().Be(HttpStatusCode.OK, "a preview stores nothing");
        }

        var after = await CountRowsAsync();
        (after.Indicators, after.Reports, after.Sightings, after.Groups, after.Grants).Should().Be(
            (before.Indicators, before.Reports, before.Sightings, before.Groups, before.Grants), "nothing was written but the audit of the searches");
    }

    [DbFact]
    public async Task Each_endpoint_refuses_a_body_past_its_limit_with_a_413_problem()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var indicator = (await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "md5", value = new string('f', 32) })).ReadJsonAsync())["ids"]![0]!.GetValue<Guid>();
        var before = await CountRowsAsync();
        var comment = new string('x', 300 * 1024);

        var refusals = new (string Url, HttpContent Body)[]
        {
            ($"/api/v1/indicators/{indicator}/sightings", JsonContent.Create(new { comment })),
            ("/api/v1/sharing-groups", JsonContent.Create(new { name = "x", description = comment })),
            ("/api/v1/reports", JsonContent.Create(new { title = "x", description = new string('x', 1100 * 1024) })),
            ("/api/v1/indicators", Json("{\"type\": \"md5\", \"comment\": \"" + new string('x', 17 * 1024 * 1024) + "\"}")),
            ("/api/v1/indicators/extract", new StringContent(new string('y', 17 * 1024 * 1024), Encoding.UTF8, "text/plain")),
        };
        foreach (var (url, body) in refusals)
        {
            var problem = await (await client.PostAsync(url, body)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
            problem["detail"]!.GetValue<string>().Should().Contain("larger than this endpoint accepts", url);
        }

        var patch = await client.PatchAsync($"/api/v1/indicators/{indicator}", JsonContent.Create(new { comment }));
        await patch.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        // Under the limit, the use case's own bound speaks.
        await (await client.PostAsJsonAsync("/api/v1/reports", new { title = "x", description = new string('x', 200_000) })).ShouldBeValidationProblemAsync("description");
        await (await client.PostAsync("/api/v1/indicators/extract", new StringContent(new string('y', 6 * 1024 * 1024), Encoding.UTF8, "text/plain"))).ShouldBeValidationProblemAsync("text");
        (await CountRowsAsync()).Should().Be(before);
    }

    [DbFact]
    public async Task Extraction_reads_plain_text_or_json_and_refuses_anything_else()
    {
        var client = factory.ClientWith((await factory.CreateTenantAsync()).AnalystSecret);
        const string text = "C2 at 203.0.113[.]9 and hxxp://update.bad-actor[.]ru/payload.bin\nhash 44d88612fea8a8f36de82e1278abb02f";

        var plain = await (await client.PostAsync("/api/v1/indicators/extract", new StringContent(text, Encoding.UTF8, "text/plain"))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var rows = plain["rows"]!.AsArray().Select(r => (r!["type"]!.GetValue<string>(), r["value"]!.GetValue<string>())).ToList();
        rows.Should().Contain([("ipv4", "203.0.113.9"), ("url", "http://update.bad-actor.ru/payload.bin"), ("md5", "44d88612fea8a8f36de82e1278abb02f")]);
        plain["rows"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "ipv4")!["warningList"]!.GetValue<string>().Should().NotBeNullOrEmpty("TEST-NET-3 is a documentation range");
        plain["lines"]!.GetValue<long>().Should().Be(2);

        var json = await (await client.PostAsJsonAsync("/api/v1/indicators/extract", new { text })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        json["rows"]!.ToJsonString().Should().Be(plain["rows"]!.ToJsonString());

        await (await client.PostAsJsonAsync("/api/v1/indicators/extract", new { text = " " })).ShouldBeValidationProblemAsync("text");
        await (await client.PostAsync("/api/v1/indicators/extract", Json("{\"text\": 5}"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/indicators/extract", Json("{\"text\": \"abc"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var latin1 = new ByteArrayContent([0x43, 0x32, 0x20, 0xE9, 0xFF, 0x20]);
        latin1.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        (await (await client.PostAsync("/api/v1/indicators/extract", latin1)).ShouldBeProblemAsync(HttpStatusCode.BadRequest))["detail"]!.GetValue<string>().Should().Contain("UTF-8");
        var xml = await client.PostAsync("/api/v1/indicators/extract", new StringContent("<text/>", Encoding.UTF8, "application/xml"));
        xml.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [DbFact]
    public async Task Writes_and_searches_leave_audit_entries_for_the_organisation()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var admin = factory.ClientWith(tenant.AdminSecret);

        var batch = await client.PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new object[] { new { type = "sha1", value = new string('1', 40) }, new { type = "sha1", value = new string('1', 40) }, new { type = "sha1", value = "bad" } },
            sharing = new { tlp = "green" },
        });
        var ids = (await batch.ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["ids"]!.AsArray();
        await client.PostAsJsonAsync($"/api/v1/indicators/{ids[0]!.GetValue<Guid>()}/sightings", new { });
        await client.GetAsync($"/api/v1/search?q={new string('1', 40)}");
        var report = (await (await client.PostAsJsonAsync("/api/v1/reports", new { title = "Audited" })).ReadJsonAsync())["id"]!.GetValue<Guid>();
        await client.DeleteAsync($"/api/v1/reports/{report}");

        var audit = await (await admin.GetAsync("/api/v1/audit?limit=500")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var entries = audit["items"]!.AsArray().Select(e => e!).Where(e => e["actorUserId"]?.GetValue<Guid>() == tenant.Analyst.Id).ToList();
        entries.Select(e => e["event"]!.GetValue<string>()).Should().Contain(
            ["intel.indicators-recorded", "intel.sighting-recorded", "intel.searched", "intel.report-created", "intel.report-deleted"]);
        var recorded = entries.Single(e => e["event"]!.GetValue<string>() == "intel.indicators-recorded");
        var details = JsonNode.Parse(recorded["details"]!.GetValue<string>())!;
        details["recorded"]!.GetValue<int>().Should().Be(1);
        details["duplicates"]!.GetValue<int>().Should().Be(1);
        details["rejected"]!.GetValue<int>().Should().Be(1);
        details["tlp"]!.GetValue<string>().Should().Be("TLP:GREEN");
        entries.Should().AllSatisfy(e => e["organisationId"]!.GetValue<Guid>().Should().Be(tenant.Organisation.Id));
        audit.ToJsonString().Should().NotContain(new string('1', 40), "the audit log records ids and counts, never the values");
    }
}

public sealed class IntelligenceApiInputTestsSqlite(SqliteFactory factory) : IntelligenceApiInputTests<SqliteFactory>(factory);

public sealed class IntelligenceApiInputTestsPostgres(PostgresFactory factory) : IntelligenceApiInputTests<PostgresFactory>(factory);
