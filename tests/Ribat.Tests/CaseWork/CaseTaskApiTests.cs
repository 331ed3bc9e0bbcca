using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Cases;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.CaseWork;

/// <summary>A case's tasks through the API: the team writes, partners read, the status machine refuses loudly.</summary>
public abstract class CaseTaskApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task The_team_creates_assigns_and_completes_a_task_and_a_partner_only_reads_it()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var outsider = await factory.CreateTenantAsync();
        var member = await factory.CreateUserAsync(a.Organisation.Id, Roles.Investigator);
        var colleague = await factory.CreateUserAsync(a.Organisation.Id, Roles.Investigator);
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Sextortion ring", team = new[] { member.Id }, partners = new[] { partner.Organisation.Id } }))["id"]!.GetValue<Guid>();
        var due = DateTimeOffset.UtcNow.AddDays(3);

        var created = await (await lead.PostAsJsonAsync($"/api/v1/cases/{caseId}/tasks", new { title = "Request subscriber data", description = "From the e-mail provider", assigneeUserId = member.Id, dueAt = due }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var taskId = created["id"]!.GetValue<Guid>();
        created["status"]!.GetValue<string>().Should().Be("open");
        created["assigneeUserId"]!.GetValue<Guid>().Should().Be(member.Id);
        created["assigneeName"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        created["createdBy"]!.GetValue<Guid>().Should().Be(a.Analyst.Id);
        created["dueAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(due, TimeSpan.FromSeconds(1));
        created["mayChange"]!.GetValue<bool>().Should().BeTrue();

        var byMember = factory.ClientWith((await factory.CreateTokenAsync(member.Id)).Secret);
        var started = await (await byMember.PatchJsonAsync($"/api/v1/cases/{caseId}/tasks/{taskId}", new { status = "in-progress" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        started["status"]!.GetValue<string>().Should().Be("in-progress");
        started["updatedByName"]!.GetValue<string>().Should().NotBe(created["createdByName"]!.GetValue<string>());
        started["title"]!.GetValue<string>().Should().Be("Request subscriber data", "absent fields stay as they are");
        var done = await (await lead.PatchJsonAsync($"/api/v1/cases/{caseId}/tasks/{taskId}", new { status = "done" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        done["completedAt"].Should().NotBeNull();
        done["allowedTransitions"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("in-progress");
        var refused = await (await lead.PatchJsonAsync($"/api/v1/cases/{caseId}/tasks/{taskId}", new { status = "cancelled" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        refused["detail"]!.GetValue<string>().Should().Contain("from done to cancelled").And.Contain("in-progress");

        // A partner of the joint investigation reads the tasks and changes none; a stranger does not know the case.
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var seen = await (await partnerClient.GetAsync($"/api/v1/cases/{caseId}/tasks")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        seen.Single()!["mayChange"]!.GetValue<bool>().Should().BeFalse();
        (await partnerClient.PostAsJsonAsync($"/api/v1/cases/{caseId}/tasks", new { title = "planted" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await partnerClient.PatchJsonAsync($"/api/v1/cases/{caseId}/tasks/{taskId}", new { title = "hijacked" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.ClientWith(outsider.AdminSecret).GetAsync($"/api/v1/cases/{caseId}/tasks")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await factory.ClientWith(outsider.AdminSecret).GetAsync($"/api/v1/cases/{caseId}/tasks/{taskId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Outside the team, even in the owning organisation and as its administrator, nobody writes.
        var bystander = factory.ClientWith((await factory.CreateTokenAsync(colleague.Id)).Secret);
        (await bystander.PostAsJsonAsync($"/api/v1/cases/{caseId}/tasks", new { title = "not mine" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.ClientWith(a.AdminSecret).PatchJsonAsync($"/api/v1/cases/{caseId}/tasks/{taskId}", new { title = "admin edit" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.ClientWith((await factory.CreateTokenAsync(a.Analyst.Id, "read")).Secret).PostAsJsonAsync($"/api/v1/cases/{caseId}/tasks", new { title = "read token" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await (await lead.GetAsync($"/api/v1/cases/{caseId}/tasks?status=done")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK)).Should().ContainSingle();
        (await (await lead.GetAsync($"/api/v1/cases/{caseId}/tasks?status=open")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK)).Should().BeEmpty();

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == 540 && e.TargetId == caseId.ToString())).Should().Be(1);
        (await db.AuditEntries.CountAsync(e => e.Code == 541 && e.TargetId == caseId.ToString())).Should().Be(2, "refused changes change nothing");
        (await db.CaseTasks.AsNoTracking().SingleAsync(t => t.Id == taskId)).Title.Should().Be("Request subscriber data");
    }

    [DbFact]
    public async Task Bad_and_hostile_task_input_is_refused_naming_the_field_and_nothing_is_kept()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Botnet takedown" }))["id"]!.GetValue<Guid>();
        var url = $"/api/v1/cases/{caseId}/tasks";

        await (await lead.PostAsJsonAsync(url, new { title = " " })).ShouldBeValidationProblemAsync("title");
        await (await lead.PostAsJsonAsync(url, new { title = new string('t', 301) })).ShouldBeValidationProblemAsync("title");
        await (await lead.PostAsJsonAsync(url, new { title = "line\nbreak" })).ShouldBeValidationProblemAsync("title");
        await (await lead.PostAsJsonAsync(url, new { title = "x", description = "nul\0byte" })).ShouldBeValidationProblemAsync("description");
        await (await lead.PostAsJsonAsync(url, new { title = "x", description = new string('d', 10_001) })).ShouldBeValidationProblemAsync("description");
        await (await lead.PostAsJsonAsync(url, new { title = "x", status = "finished" })).ShouldBeValidationProblemAsync("status");
        await (await lead.PostAsJsonAsync(url, new { title = "x", dueAt = "1900-01-01T00:00:00Z" })).ShouldBeValidationProblemAsync("dueAt");
        await (await lead.PostAsJsonAsync(url, new { title = "x", assigneeUserId = b.Analyst.Id })).ShouldBeValidationProblemAsync("assigneeUserId");
        await (await lead.PostAsJsonAsync(url, new { title = "x", assigneeUserId = a.Admin.Id })).ShouldBeValidationProblemAsync("assigneeUserId");
        (await lead.PostAsync(url, new StringContent("{\"title\": \"trunc", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await lead.PostAsync(url, new StringContent("{\"title\": 42, \"dueAt\": \"soon\"}", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await lead.PostAsync(url, new StringContent("[]", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var huge = await lead.PostAsync(url, new StringContent($"{{\"title\":\"x\",\"description\":\"{new string('a', 2_000_000)}\"}}", Encoding.UTF8, "application/json"));
        ((int)huge.StatusCode).Should().BeOneOf(400, 413);
        (await lead.PostAsJsonAsync($"/api/v1/cases/{Guid.CreateVersion7()}/tasks", new { title = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await lead.PatchJsonAsync($"{url}/{Guid.CreateVersion7()}", new { title = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await lead.GetAsync($"{url}?status=whenever")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await (await lead.GetAsync(url)).ShouldBeAsync<JsonArray>(HttpStatusCode.OK)).Should().BeEmpty("nothing refused was kept");
    }

    [DbFact]
    public async Task A_closed_case_takes_no_new_work_and_a_task_of_one_case_is_not_reached_through_another()
    {
        var a = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var first = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "First" }))["id"]!.GetValue<Guid>();
        var second = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Second" }))["id"]!.GetValue<Guid>();
        var task = await (await lead.PostAsJsonAsync($"/api/v1/cases/{first}/tasks", new { title = "Image the laptop" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var taskId = task["id"]!.GetValue<Guid>();
        (await lead.GetAsync($"/api/v1/cases/{second}/tasks/{taskId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await lead.PatchJsonAsync($"/api/v1/cases/{second}/tasks/{taskId}", new { status = "done" })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await CaseApiTests<TFactory>.MoveAsync(lead, first, "closed", "no offence")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await lead.PostAsJsonAsync($"/api/v1/cases/{first}/tasks", new { title = "late" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await lead.PatchJsonAsync($"/api/v1/cases/{first}/tasks/{taskId}", new { status = "done" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var kept = await (await lead.GetAsync($"/api/v1/cases/{first}/tasks/{taskId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        kept["status"]!.GetValue<string>().Should().Be("open");
        kept["mayChange"]!.GetValue<bool>().Should().BeFalse();
    }
}

public sealed class CaseTaskApiTestsSqlite(SqliteFactory factory) : CaseTaskApiTests<SqliteFactory>(factory);

public sealed class CaseTaskApiTestsPostgres(PostgresFactory factory) : CaseTaskApiTests<PostgresFactory>(factory);
