using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Incidents;

/// <summary>Incidents through the API: opening, participants through the sharing policy, the status machine, bad input.</summary>
public abstract class IncidentApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    internal static async Task<JsonObject> OpenAsync(HttpClient client, object body) =>
        await (await client.PostAsJsonAsync("/api/v1/incidents", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

    internal static object Outbreak(params Guid[] participants) => new
    {
        title = "WannaCry-style outbreak in hospitals",
        description = "SMB (445/tcp) propagation; .WNCRY files.",
        category = "malicious-code:infected-system",
        severity = "critical",
        sectors = new[] { "health", "Public administration" },
        countries = new[] { "fr", "MA" },
        participants,
        sharing = new { tlp = "amber" },
    };

    internal static Task<HttpResponseMessage> MoveAsync(HttpClient client, Guid id, string to, string? reason = null, Guid? mergeInto = null) =>
        client.PostAsJsonAsync($"/api/v1/incidents/{id}/transitions", new { to, reason, mergeInto });

    [DbFact]
    public async Task An_incident_is_opened_with_participants_who_alone_see_it_and_acknowledge_it()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var outsider = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);

        var opened = await OpenAsync(owner, Outbreak(partner.Organisation.Id));
        var id = opened["id"]!.GetValue<Guid>();
        opened["stixId"]!.GetValue<string>().Should().Be($"incident--{id}");
        opened["status"]!.GetValue<string>().Should().Be("reported");
        opened["severity"]!.GetValue<string>().Should().Be("critical");
        opened["sectors"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("health", "public-administration");
        opened["countries"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("FR", "MA");
        opened["isLead"]!.GetValue<bool>().Should().BeTrue();
        opened["allowedTransitions"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("triage", "rejected", "merged");
        opened["firstSharedAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        var participant = opened["participants"]!.AsArray().Single()!;
        participant["organisationId"]!.GetValue<Guid>().Should().Be(partner.Organisation.Id);
        participant["name"]!.GetValue<string>().Should().Be(partner.Organisation.Name);
        participant["acknowledgedAt"].Should().BeNull();

        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var seen = await (await partnerClient.GetAsync($"/api/v1/incidents/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["isParticipant"]!.GetValue<bool>().Should().BeTrue();
        seen["mayChange"]!.GetValue<bool>().Should().BeFalse();
        seen["mayContribute"]!.GetValue<bool>().Should().BeTrue();
        (await partnerClient.PutAsJsonAsync($"/api/v1/incidents/{id}", new { title = "taken over" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await MoveAsync(partnerClient, id, "triage")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await owner.PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the lead does not acknowledge its own incident");

        var acknowledged = await (await partnerClient.PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var first = acknowledged["participants"]![0]!["acknowledgedAt"]!.GetValue<DateTimeOffset>();
        var again = await (await partnerClient.PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        again["participants"]![0]!["acknowledgedAt"]!.GetValue<DateTimeOffset>().Should().Be(first, "the first acknowledgement stops the clock");

        (await factory.ClientWith(outsider.AdminSecret).GetAsync($"/api/v1/incidents/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await factory.ClientWith(outsider.AdminSecret).GetStringAsync("/api/v1/incidents?limit=500")).Should().NotContain(id.ToString());
        (await factory.ClientWith(outsider.AdminSecret).PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var audit = await factory.ClientWith(lead.AdminSecret).GetStringAsync("/api/v1/audit?code=600");
        audit.Should().Contain(id.ToString());
        (await factory.ClientWith(partner.AdminSecret).GetStringAsync("/api/v1/audit?code=603")).Should().Contain(id.ToString());
    }

    [DbFact]
    public async Task Removing_a_participant_takes_the_incident_away_from_it_and_adding_one_shares_it()
    {
        var lead = await factory.CreateTenantAsync();
        var first = await factory.CreateTenantAsync();
        var second = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var id = (await OpenAsync(owner, Outbreak(first.Organisation.Id)))["id"]!.GetValue<Guid>();

        var changed = await (await owner.PutAsJsonAsync($"/api/v1/incidents/{id}", new { title = "Outbreak (update)", participants = new[] { second.Organisation.Id } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        changed["participants"]!.AsArray().Select(p => p!["organisationId"]!.GetValue<Guid>()).Should().Equal(second.Organisation.Id);
        changed["severity"]!.GetValue<string>().Should().Be("critical", "absent fields stay as they are");
        changed["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:AMBER");
        (await factory.ClientWith(first.AnalystSecret).GetAsync($"/api/v1/incidents/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await factory.ClientWith(second.AnalystSecret).GetAsync($"/api/v1/incidents/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [DbFact]
    public async Task The_status_machine_walks_the_response_and_refuses_every_other_move_loudly()
    {
        var lead = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var id = (await OpenAsync(owner, Outbreak()))["id"]!.GetValue<Guid>();

        var skipped = await (await MoveAsync(owner, id, "containment")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        skipped["detail"]!.GetValue<string>().Should().Contain("from reported to containment").And.Contain("triage");
        await (await MoveAsync(owner, id, "triage")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        await (await MoveAsync(owner, id, "confirmed")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        (await MoveAsync(owner, id, "rejected", "false alarm")).StatusCode.Should().Be(HttpStatusCode.Conflict, "a confirmed incident is not rejected");
        var contained = await (await MoveAsync(owner, id, "containment")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        contained["containedAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        await (await MoveAsync(owner, id, "eradication")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        await (await MoveAsync(owner, id, "recovery")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var closed = await (await MoveAsync(owner, id, "closed")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        closed["resolvedAt"].Should().NotBeNull();
        closed["allowedTransitions"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("recovery");
        (await owner.PutAsJsonAsync($"/api/v1/incidents/{id}", new { title = "late change" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await (await MoveAsync(owner, id, "recovery")).ShouldBeValidationProblemAsync("reason");
        var reopened = await (await MoveAsync(owner, id, "recovery", "reinfection found")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        reopened["resolvedAt"].Should().BeNull();
        reopened["statusReason"]!.GetValue<string>().Should().Be("reinfection found");
        await (await MoveAsync(owner, id, "finished")).ShouldBeValidationProblemAsync("to");

        var audit = await factory.ClientWith(lead.AdminSecret).GetStringAsync($"/api/v1/audit?code=602&limit=50");
        audit.Split(id.ToString()).Length.Should().BeGreaterThan(7, "every move is audited");
    }

    [DbFact]
    public async Task An_incident_is_merged_only_into_another_open_incident_of_the_same_lead()
    {
        var lead = await factory.CreateTenantAsync();
        var other = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var duplicate = (await OpenAsync(owner, Outbreak()))["id"]!.GetValue<Guid>();
        var survivor = (await OpenAsync(owner, Outbreak()))["id"]!.GetValue<Guid>();
        var foreign = (await OpenAsync(factory.ClientWith(other.AnalystSecret), Outbreak()))["id"]!.GetValue<Guid>();

        await (await MoveAsync(owner, duplicate, "merged", "same outbreak")).ShouldBeValidationProblemAsync("mergeInto");
        await (await MoveAsync(owner, duplicate, "merged", "same outbreak", foreign)).ShouldBeValidationProblemAsync("mergeInto");
        await (await MoveAsync(owner, duplicate, "merged", "same outbreak", duplicate)).ShouldBeValidationProblemAsync("mergeInto");
        var merged = await (await MoveAsync(owner, duplicate, "merged", "same outbreak", survivor)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        merged["mergedIntoId"]!.GetValue<Guid>().Should().Be(survivor);
        merged["allowedTransitions"]!.AsArray().Should().BeEmpty();
        (await MoveAsync(owner, duplicate, "triage", "undo")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [DbFact]
    public async Task Bad_input_is_refused_field_by_field_and_nothing_is_stored()
    {
        var lead = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var response = await client.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "bad\u0000title",
            category = "availability:ransomware",
            severity = "apocalyptic",
            sectors = new[] { "knitting" },
            countries = new[] { "XX" },
            participants = new[] { Guid.CreateVersion7() },
            reportedAt = DateTimeOffset.UtcNow.AddDays(2),
            sharing = new { tlp = "purple" },
        });
        var problem = await response.ShouldBeValidationProblemAsync("title");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["category", "severity", "sectors", "countries", "reportedAt"]);
        await (await client.PostAsJsonAsync("/api/v1/incidents", new { title = "x", category = "other:other", severity = "low", participants = new[] { Guid.CreateVersion7() } }))
            .ShouldBeValidationProblemAsync("participants");
        await (await client.PostAsJsonAsync("/api/v1/incidents", new { title = "x", category = "other:other", severity = "low", sharing = new { tlp = "purple" } }))
            .ShouldBeValidationProblemAsync("tlp");
        await (await client.PostAsJsonAsync("/api/v1/incidents", new { title = new string('x', 301), category = "other:other", severity = "low" }))
            .ShouldBeValidationProblemAsync("title");
        (await client.PostAsync("/api/v1/incidents", new StringContent("{\"title\": \"trunc", System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsync("/api/v1/incidents", new StringContent("{\"title\": 5}", System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsync("/api/v1/incidents", new StringContent("{\"title\":\"" + new string('x', 2_000_000) + "\"}", System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.Should().BeOneOf(HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/v1/incidents?status=solved")).ShouldBeValidationProblemAsync("status");
        (await client.GetStringAsync("/api/v1/incidents?limit=500")).Should().Contain("\"items\":[]", "nothing was stored");

        (await factory.ClientWith((await factory.CreateTokenAsync(lead.Analyst.Id, "read")).Secret).PostAsJsonAsync("/api/v1/incidents", Outbreak()))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var viewer = await factory.CreateUserAsync(lead.Organisation.Id, Roles.Viewer);
        (await factory.ClientWith((await factory.CreateTokenAsync(viewer.Id)).Secret).PostAsJsonAsync("/api/v1/incidents", Outbreak()))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [DbFact]
    public async Task The_taxonomy_is_served_for_clients_to_offer()
    {
        var lead = await factory.CreateTenantAsync();
        var taxonomy = await (await factory.ClientWith(lead.AnalystSecret).GetAsync("/api/v1/incidents/taxonomy")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        taxonomy.Select(c => c!["value"]!.GetValue<string>()).Should().Contain(["malicious-code", "availability"]);
    }
}

public sealed class IncidentApiTestsSqlite(SqliteFactory factory) : IncidentApiTests<SqliteFactory>(factory);

public sealed class IncidentApiTestsPostgres(PostgresFactory factory) : IncidentApiTests<PostgresFactory>(factory);
