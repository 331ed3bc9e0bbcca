using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Cases;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.CaseWork;

/// <summary>Notes keep every revision, and an edit made from an old revision is refused instead of overwriting a newer one.</summary>
public abstract class CaseNoteApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task Editing_a_note_keeps_every_revision_with_its_author_and_refuses_an_edit_of_an_old_revision()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var member = await factory.CreateUserAsync(a.Organisation.Id, Roles.Investigator);
        var lead = factory.ClientWith(a.AnalystSecret);
        var colleague = factory.ClientWith((await factory.CreateTokenAsync(member.Id)).Secret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Carding forum", team = new[] { member.Id }, partners = new[] { partner.Organisation.Id } }))["id"]!.GetValue<Guid>();
        var notes = $"/api/v1/cases/{caseId}/notes";

        var written = await (await lead.PostAsJsonAsync(notes, new { title = "Interview", text = "The victim paid 3 BTC.\nSecond line." })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var noteId = written["id"]!.GetValue<Guid>();
        written["revision"]!.GetValue<int>().Should().Be(1);

        var edited = await (await colleague.PutAsJsonAsync($"{notes}/{noteId}", new { title = "Interview", text = "The victim paid 2 BTC (corrected).", baseRevision = 1 }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        edited["revision"]!.GetValue<int>().Should().Be(2);
        edited["text"]!.GetValue<string>().Should().Be("The victim paid 2 BTC (corrected).");

        // The lead still has revision 1 open: saving it would overwrite the colleague's correction, so it is refused.
        var stale = await (await lead.PutAsJsonAsync($"{notes}/{noteId}", new { title = "Interview", text = "The victim paid 3 BTC. Added: wallet seen.", baseRevision = 1 }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        stale["detail"]!.GetValue<string>().Should().Contain("revision 2").And.Contain(edited["authorName"]!.GetValue<string>());
        stale["code"]!.GetValue<string>().Should().Be("note-revision-conflict");

        var revisions = await (await lead.GetAsync($"{notes}/{noteId}/revisions")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        revisions.Select(r => r!["number"]!.GetValue<int>()).Should().Equal(1, 2);
        revisions[0]!["text"]!.GetValue<string>().Should().Be("The victim paid 3 BTC.\nSecond line.");
        revisions[0]!["authorUserId"]!.GetValue<Guid>().Should().Be(a.Analyst.Id);
        revisions[1]!["authorUserId"]!.GetValue<Guid>().Should().Be(member.Id);

        var third = await (await lead.PutAsJsonAsync($"{notes}/{noteId}", new { title = "Interview (1)", text = "The victim paid 2 BTC. Wallet seen.", baseRevision = 2 }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        third["revision"]!.GetValue<int>().Should().Be(3);
        third["title"]!.GetValue<string>().Should().Be("Interview (1)");

        // The partner reads the note and its history, and edits nothing.
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        (await (await partnerClient.GetAsync(notes)).ShouldBeAsync<JsonArray>(HttpStatusCode.OK)).Single()!["revision"]!.GetValue<int>().Should().Be(3);
        (await (await partnerClient.GetAsync($"{notes}/{noteId}/revisions")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK)).Should().HaveCount(3);
        (await partnerClient.PutAsJsonAsync($"{notes}/{noteId}", new { title = "x", text = "y", baseRevision = 3 })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.CaseNoteRevisions.CountAsync(r => r.NoteId == noteId)).Should().Be(3);
        (await db.AuditEntries.CountAsync(e => e.Code == 542 && e.TargetId == caseId.ToString())).Should().Be(1);
        (await db.AuditEntries.CountAsync(e => e.Code == 543 && e.TargetId == caseId.ToString())).Should().Be(2);
    }

    [DbFact]
    public async Task Two_edits_of_the_same_revision_at_once_save_one_and_refuse_the_other()
    {
        var a = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Race" }))["id"]!.GetValue<Guid>();
        var noteId = (await (await lead.PostAsJsonAsync($"/api/v1/cases/{caseId}/notes", new { title = "n", text = "v1" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["id"]!.GetValue<Guid>();

        var edits = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            factory.ClientWith(a.AnalystSecret).PutAsJsonAsync($"/api/v1/cases/{caseId}/notes/{noteId}", new { title = "n", text = $"edit {i}", baseRevision = 1 })));
        edits.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        edits.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(5);

        var revisions = await (await lead.GetAsync($"/api/v1/cases/{caseId}/notes/{noteId}/revisions")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        revisions.Select(r => r!["text"]!.GetValue<string>()).Should().HaveCount(2).And.StartWith("v1");
    }

    [DbFact]
    public async Task Bad_and_hostile_note_input_is_refused_naming_the_field()
    {
        var a = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Input" }))["id"]!.GetValue<Guid>();
        var notes = $"/api/v1/cases/{caseId}/notes";
        await (await lead.PostAsJsonAsync(notes, new { title = "t" })).ShouldBeValidationProblemAsync("text");
        await (await lead.PostAsJsonAsync(notes, new { title = "", text = "x" })).ShouldBeValidationProblemAsync("title");
        await (await lead.PostAsJsonAsync(notes, new { title = "t", text = "a\0b" })).ShouldBeValidationProblemAsync("text");
        await (await lead.PostAsJsonAsync(notes, new { title = "t\u0007", text = "x" })).ShouldBeValidationProblemAsync("title");
        var noteId = (await (await lead.PostAsJsonAsync(notes, new { title = "t", text = "x" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        await (await lead.PutAsJsonAsync($"{notes}/{noteId}", new { title = "t", text = "y" })).ShouldBeValidationProblemAsync("baseRevision");
        await (await lead.PutAsJsonAsync($"{notes}/{noteId}", new { title = "t", text = "y", baseRevision = 7 })).ShouldBeValidationProblemAsync("baseRevision");
        await (await lead.PutAsJsonAsync($"{notes}/{noteId}", new { title = "t", text = "y", baseRevision = -1 })).ShouldBeValidationProblemAsync("baseRevision");
        (await lead.PutAsJsonAsync($"{notes}/{Guid.CreateVersion7()}", new { title = "t", text = "y", baseRevision = 1 })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await lead.GetAsync($"{notes}/{Guid.CreateVersion7()}/revisions")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await (await lead.GetAsync($"{notes}/not-a-guid")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var revisions = await (await lead.GetAsync($"{notes}/{noteId}/revisions")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        revisions.Should().ContainSingle("no refused edit left a revision");
    }
}

public sealed class CaseNoteApiTestsSqlite(SqliteFactory factory) : CaseNoteApiTests<SqliteFactory>(factory);

public sealed class CaseNoteApiTestsPostgres(PostgresFactory factory) : CaseNoteApiTests<PostgresFactory>(factory);
