using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>Cases through the API: opening, changing, the status machine, partners through the sharing policy.</summary>
public abstract class CaseApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    internal static async Task<JsonObject> OpenAsync(HttpClient client, object body) =>
        await (await client.PostAsJsonAsync("/api/v1/cases", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

    internal static Task<HttpResponseMessage> MoveAsync(HttpClient client, Guid id, string to, string? reason = null) =>
        client.PostAsJsonAsync($"/api/v1/cases/{id}/transitions", new { to, reason });

    [DbFact]
    public async Task A_case_is_opened_with_offences_team_and_partners_and_the_partner_alone_sees_it()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var outsider = await factory.CreateTenantAsync();
        var investigator = await factory.CreateUserAsync(a.Organisation.Id, Roles.Investigator);
        var owner = factory.ClientWith(a.AnalystSecret);

        var opened = await OpenAsync(owner, new
        {
            title = "Ransomware at the port authority",
            summary = "Files encrypted on 3 servers.",
            offences = new[] { "Data interference", "system-interference" },
            nationalCategories = new[] { "Art. 323-1 code pénal" },
            team = new[] { investigator.Id },
            partners = new[] { partner.Organisation.Id },
            sharing = new { tlp = "amber", handling = "H1" },
        });
        var id = opened["id"]!.GetValue<Guid>();
        opened["status"]!.GetValue<string>().Should().Be("open");
        opened["offences"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("data-interference", "system-interference");
        opened["leadInvestigator"]!["userId"]!.GetValue<Guid>().Should().Be(a.Analyst.Id, "the opener leads by default");
        opened["team"]!.AsArray().Single()!["userId"]!.GetValue<Guid>().Should().Be(investigator.Id);
        opened["partners"]!.AsArray().Single()!.GetValue<Guid>().Should().Be(partner.Organisation.Id);
        opened["sharing"]!["handling"]!.GetValue<string>().Should().Be("H1");

        var seen = await (await factory.ClientWith(partner.AnalystSecret).GetAsync($"/api/v1/cases/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["title"]!.GetValue<string>().Should().Be("Ransomware at the port authority");
        seen["mayChange"]!.GetValue<bool>().Should().BeFalse();
        seen["partners"]!.AsArray().Should().BeEmpty("who else was addressed is the owner's business");
        (await factory.ClientWith(partner.AnalystSecret).PutAsJsonAsync($"/api/v1/cases/{id}", new { title = "taken over" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.ClientWith(outsider.AdminSecret).GetAsync($"/api/v1/cases/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await factory.ClientWith(outsider.AdminSecret).GetStringAsync("/api/v1/cases?limit=500")).Should().NotContain(id.ToString());

        var audit = await factory.ClientWith(a.AdminSecret).GetStringAsync("/api/v1/audit?code=500");
        audit.Should().Contain(id.ToString());
    }

    [DbFact]
    public async Task Bad_input_is_refused_field_by_field()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var response = await client.PostAsJsonAsync("/api/v1/cases", new { title = " ", offences = new[] { "jaywalking" }, sharing = new { tlp = "purple" } });
        var problem = await response.ShouldBeValidationProblemAsync("title");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["offences", "tlp"]);
        await (await client.PostAsJsonAsync("/api/v1/cases", new { title = "x", team = new[] { b.Analyst.Id } })).ShouldBeValidationProblemAsync("team");
        (await client.PostAsJsonAsync("/api/v1/cases", new { title = "x", leadInvestigatorId = b.Admin.Id })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "the lead is a user of the organisation");
        (await factory.ClientWith((await factory.CreateTokenAsync(a.Analyst.Id, "read")).Secret).PostAsJsonAsync("/api/v1/cases", new { title = "x" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var viewer = await factory.CreateUserAsync(a.Organisation.Id, Roles.Viewer);
        (await factory.ClientWith((await factory.CreateTokenAsync(viewer.Id)).Secret).PostAsJsonAsync("/api/v1/cases", new { title = "x" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [DbFact]
    public async Task The_status_machine_allows_its_moves_and_refuses_every_other_loudly()
    {
        var a = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var colleague = await factory.CreateUserAsync(a.Organisation.Id, Roles.Investigator);
        var other = factory.ClientWith((await factory.CreateTokenAsync(colleague.Id)).Secret);
        var id = (await OpenAsync(lead, new { title = "Phishing wave" }))["id"]!.GetValue<Guid>();

        var skipped = await (await MoveAsync(lead, id, "suspended", "waiting")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        skipped["detail"]!.GetValue<string>().Should().Contain("from open to suspended").And.Contain("active, closed");
        (await MoveAsync(lead, id, "flying")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await MoveAsync(lead, id, "active")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await MoveAsync(lead, id, "suspended")).ShouldBeValidationProblemAsync("reason");
        (await MoveAsync(lead, id, "suspended", "awaiting provider data")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await MoveAsync(lead, id, "active")).StatusCode.Should().Be(HttpStatusCode.OK);
        var closed = await (await MoveAsync(lead, id, "closed", "referred to prosecutor")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        closed["status"]!.GetValue<string>().Should().Be("closed");
        closed["statusReason"]!.GetValue<string>().Should().Be("referred to prosecutor");
        closed["allowedTransitions"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("active");

        (await lead.PutAsJsonAsync($"/api/v1/cases/{id}", new { title = "edited after closing" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await MoveAsync(lead, id, "suspended", "x")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await MoveAsync(other, id, "active", "new lead")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "only the lead or an org admin reopens");
        var reopened = await (await MoveAsync(lead, id, "active", "new victim came forward")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        reopened["status"]!.GetValue<string>().Should().Be("active");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var moves = await db.AuditEntries.Where(e => e.Code == 502 && e.TargetId == id.ToString()).CountAsync();
        moves.Should().Be(5, "each accepted move is audited, refused ones are not changes");
    }

    [DbFact]
    public async Task A_case_is_changed_by_its_owner_and_deleted_only_while_it_holds_no_evidence()
    {
        var a = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var id = (await OpenAsync(client, new { title = "Fraud ring", offences = new[] { "computer-related-fraud" } }))["id"]!.GetValue<Guid>();
        var changed = await (await client.PutAsJsonAsync($"/api/v1/cases/{id}", new { title = "Fraud ring (BEC)", summary = "CEO fraud" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        changed["title"]!.GetValue<string>().Should().Be("Fraud ring (BEC)");
        changed["offences"]!.AsArray().Should().ContainSingle("absent lists stay as they are");
        (await client.DeleteAsync($"/api/v1/cases/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync($"/api/v1/cases/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var kept = (await OpenAsync(client, new { title = "With evidence" }))["id"]!.GetValue<Guid>();
        (await client.PostAsync($"/api/v1/cases/{kept}/evidence?fileName=a.bin", new ByteArrayContent([1, 2, 3]))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.DeleteAsync($"/api/v1/cases/{kept}")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}

public sealed class CaseApiTestsSqlite(SqliteFactory factory) : CaseApiTests<SqliteFactory>(factory);

public sealed class CaseApiTestsPostgres(PostgresFactory factory) : CaseApiTests<PostgresFactory>(factory);
