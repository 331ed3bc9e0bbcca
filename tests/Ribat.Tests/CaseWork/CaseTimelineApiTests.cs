using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Cases;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.CaseWork;

/// <summary>The case timeline merges analyst entries, custody steps and findings in the order things happened.</summary>
public abstract class CaseTimelineApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task Analyst_entries_custody_steps_and_findings_come_merged_in_time_order()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Invoice fraud", partners = new[] { partner.Organisation.Id } }))["id"]!.GetValue<Guid>();
        var item = await (await lead.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=invoice.txt", new ByteArrayContent("Pay IBAN FR76 3000 6000 0112 3456 7890 189 now"u8.ToArray())))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var evidenceId = item["id"]!.GetValue<Guid>();
        var twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);
        var entry = await (await lead.PostAsJsonAsync($"/api/v1/cases/{caseId}/timeline", new { text = "Victim wired 40,000 EUR\nto the new account", occurredAt = twoDaysAgo, source = "bank statement" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        entry["kind"]!.GetValue<string>().Should().Be("entry");
        entry["title"]!.GetValue<string>().Should().Be("Victim wired 40,000 EUR");
        entry["recordedAt"]!.GetValue<DateTimeOffset>().Should().BeAfter(twoDaysAgo.AddDays(1), "the recording time is the server's");
        (await lead.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/custody", new { action = "seal", sealNumber = "S-1" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await lead.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "file" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await lead.PostAsJsonAsync($"/api/v1/cases/{caseId}/timeline", new { text = "Account frozen", source = "bank" })).StatusCode.Should().Be(HttpStatusCode.Created);

        var timeline = await (await lead.GetAsync($"/api/v1/cases/{caseId}/timeline")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var lines = timeline["items"]!.AsArray();
        lines.Select(l => $"{l!["kind"]}:{l["title"]}").Should().Equal(
            "entry:Victim wired 40,000 EUR", "custody:acquire", "custody:seal", "custody:analyse", $"finding:{lines[4]!["title"]}", "entry:Account frozen");
        lines.Select(l => l!["occurredAt"]!.GetValue<DateTimeOffset>()).Should().BeInAscendingOrder();
        lines[1]!["evidenceName"]!.GetValue<string>().Should().Be("invoice.txt");
        lines[1]!["custodySequence"]!.GetValue<int>().Should().Be(1);
        lines[4]!["findingKind"]!.GetValue<string>().Should().Be("file");
        lines[4]!["evidenceId"]!.GetValue<Guid>().Should().Be(evidenceId);
        timeline["nextCursor"].Should().BeNull();

        // The partner sees the same timeline and writes nothing into it.
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var seen = await (await partnerClient.GetAsync($"/api/v1/cases/{caseId}/timeline")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["items"]!.AsArray().Should().HaveCount(6);
        (await partnerClient.PostAsJsonAsync($"/api/v1/cases/{caseId}/timeline", new { text = "planted" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // Filters by kind and by period.
        var custody = await (await lead.GetAsync($"/api/v1/cases/{caseId}/timeline?kind=custody")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        custody["items"]!.AsArray().Select(l => l!["kind"]!.GetValue<string>()).Should().Equal("custody", "custody", "custody");
        var both = await (await lead.GetAsync($"/api/v1/cases/{caseId}/timeline?kind=entry,finding")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        both["items"]!.AsArray().Select(l => l!["kind"]!.GetValue<string>()).Should().Equal("entry", "finding", "entry");
        var from = Uri.EscapeDataString(twoDaysAgo.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(twoDaysAgo.AddHours(1).ToString("O"));
        var period = await (await lead.GetAsync($"/api/v1/cases/{caseId}/timeline?from={from}&to={to}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        period["items"]!.AsArray().Select(l => l!["source"]!.GetValue<string>()).Should().Equal("bank statement");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == 544 && e.TargetId == caseId.ToString())).Should().Be(2);
    }

    [DbFact]
    public async Task Paging_walks_the_whole_timeline_without_skipping_or_repeating_lines_at_the_same_instant()
    {
        var a = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Many lines" }))["id"]!.GetValue<Guid>();
        var same = DateTimeOffset.UtcNow.AddHours(-3);
        for (var i = 0; i < 7; i++)
        {
            // Several entries share one instant: the keyset must still order and split them exactly.
            var at = i < 4 ? same : same.AddMinutes(i);
            (await lead.PostAsJsonAsync($"/api/v1/cases/{caseId}/timeline", new { text = $"line {i}", occurredAt = at })).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        for (var i = 0; i < 2; i++)
        {
            (await lead.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=f{i}.bin", new ByteArrayContent([(byte)i, 1, 2]))).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var whole = (await (await lead.GetAsync($"/api/v1/cases/{caseId}/timeline?limit=500")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray()
            .Select(l => l!["id"]!.GetValue<Guid>()).ToList();
        whole.Should().HaveCount(9);

        var walked = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await lead.GetAsync($"/api/v1/cases/{caseId}/timeline?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            walked.AddRange(page["items"]!.AsArray().Select(l => l!["id"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 20);

        walked.Should().Equal(whole);
        pages.Should().Be(5);
    }

    [DbFact]
    public async Task Bad_and_hostile_timeline_input_is_refused_naming_the_field()
    {
        var a = await factory.CreateTenantAsync();
        var outsider = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Hostile" }))["id"]!.GetValue<Guid>();
        var url = $"/api/v1/cases/{caseId}/timeline";
        await (await lead.GetAsync($"{url}?kind=rumour")).ShouldBeValidationProblemAsync("kind");
        await (await lead.GetAsync($"{url}?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).ShouldBeValidationProblemAsync("to");
        await (await lead.GetAsync($"{url}?limit=0")).ShouldBeValidationProblemAsync("limit");
        await (await lead.GetAsync($"{url}?limit=501")).ShouldBeValidationProblemAsync("limit");
        await (await lead.GetAsync($"{url}?cursor=%%%")).ShouldBeValidationProblemAsync("cursor");
        await (await lead.GetAsync($"{url}?cursor=AAAA")).ShouldBeValidationProblemAsync("cursor");
        await (await lead.GetAsync($"{url}?cursor={new string('A', 5000)}")).ShouldBeValidationProblemAsync("cursor");
        await (await lead.GetAsync($"{url}?cursor=__________________________________")).ShouldBeValidationProblemAsync("cursor");
        (await lead.GetAsync($"{url}?from=yesterday")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        await (await lead.PostAsJsonAsync(url, new { text = "" })).ShouldBeValidationProblemAsync("text");
        await (await lead.PostAsJsonAsync(url, new { text = "x\0y" })).ShouldBeValidationProblemAsync("text");
        await (await lead.PostAsJsonAsync(url, new { text = new string('x', 10_001) })).ShouldBeValidationProblemAsync("text");
        await (await lead.PostAsJsonAsync(url, new { text = "x", occurredAt = DateTimeOffset.UtcNow.AddDays(1) })).ShouldBeValidationProblemAsync("occurredAt");
        await (await lead.PostAsJsonAsync(url, new { text = "x", occurredAt = "1901-01-01T00:00:00Z" })).ShouldBeValidationProblemAsync("occurredAt");
        await (await lead.PostAsJsonAsync(url, new { text = "x", source = "tab\there" })).ShouldBeValidationProblemAsync("source");
        (await lead.PostAsync(url, new StringContent("{\"text\":", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await factory.ClientWith(outsider.AdminSecret).GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await factory.ClientWith(outsider.AdminSecret).PostAsJsonAsync(url, new { text = "planted" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await lead.GetAsync($"/api/v1/cases/{Guid.CreateVersion7()}/timeline")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await (await lead.GetAsync(url)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray().Should().BeEmpty();
    }
}

public sealed class CaseTimelineApiTestsSqlite(SqliteFactory factory) : CaseTimelineApiTests<SqliteFactory>(factory);

public sealed class CaseTimelineApiTestsPostgres(PostgresFactory factory) : CaseTimelineApiTests<PostgresFactory>(factory);
