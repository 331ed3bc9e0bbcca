using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.CaseWork;

internal static class CaseNotes
{
    public static Validation Validate(CaseNoteInput input) => new Validation()
        .Require(!string.IsNullOrWhiteSpace(input.Title), "title", "A note needs a title.")
        .Require(input.Title is null || input.Title.Trim().Length <= CaseWorkRules.MaxTitle, "title", $"The title is at most {CaseWorkRules.MaxTitle} characters.")
        .RequirePrintable(input.Title, "title")
        .RequireText(input.Text, "text", CaseWorkRules.MaxNote, required: true, "A note");
}

/// <summary>The case team writes a note: its first revision.</summary>
public sealed class WriteCaseNote(SharingAccess sharing, AuditTrail audit, ReadCaseWork read, TimeProvider clock)
{
    public async Task<Result<CaseNoteDto>> HandleAsync(Actor actor, Guid caseId, CaseNoteInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        if (CaseWorkRules.RefuseWrite(actor, session, row) is { } refused)
        {
            return refused;
        }

        var v = CaseNotes.Validate(input);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var now = clock.GetUtcNow();
        var author = actor.UserId!.Value;
        var note = new CaseNote { Id = Guid.CreateVersion7(), CaseId = row.Id, Revision = 1, CreatedBy = author, CreatedAt = now, UpdatedAt = now };
        note.Revisions.Add(new CaseNoteRevision { NoteId = note.Id, Number = 1, Title = input.Title!.Trim(), Text = input.Text!, AuthorUserId = author, AuthorName = actor.Name, CreatedAt = now });
        session.Db.CaseNotes.Add(note);
        audit.Add(session.Db, actor, AuditEvents.CaseNoteWritten, row.OwnerOrganisationId, "case", row.Id.ToString(), new { note = note.Id, revision = 1 });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await read.NoteAsync(actor, row.Id, note.Id, cancellationToken);
    }
}

/// <summary>
/// The case team edits a note by adding a revision; every earlier one stays. The edit names the revision it was
/// based on: when someone saved a newer one meanwhile, the edit is refused (409) naming that revision, its author
/// and time, so nobody's words are silently replaced.
/// </summary>
public sealed class EditCaseNote(SharingAccess sharing, AuditTrail audit, ReadCaseWork read, TimeProvider clock)
{
    public async Task<Result<CaseNoteDto>> HandleAsync(Actor actor, Guid caseId, Guid noteId, CaseNoteInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        var note = await session.Db.CaseNotes.FirstOrDefaultAsync(n => n.Id == noteId && n.CaseId == caseId, cancellationToken);
        if (note is null)
        {
            return Error.NotFound("The note");
        }

        if (CaseWorkRules.RefuseWrite(actor, session, row) is { } refused)
        {
            return refused;
        }

        var v = CaseNotes.Validate(input).Require(input.BaseRevision is not null, "baseRevision", "An edit names the revision it was made from (baseRevision).");
        if (input.BaseRevision is { } claimed && (claimed < 1 || claimed > note.Revision))
        {
            v.Add("baseRevision", $"The note has no revision {claimed}; its newest is {note.Revision}.");
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (input.BaseRevision != note.Revision)
        {
            return await NewerAsync(session, note.Id, input.BaseRevision!.Value, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var number = note.Revision + 1;
        session.Db.CaseNoteRevisions.Add(new CaseNoteRevision
        {
            NoteId = note.Id,
            Number = number,
            Title = input.Title!.Trim(),
            Text = input.Text!,
            AuthorUserId = actor.UserId!.Value,
            AuthorName = actor.Name,
            CreatedAt = now,
        });
        note.Revision = number;
        note.UpdatedAt = now;
        audit.Add(session.Db, actor, AuditEvents.CaseNoteEdited, row.OwnerOrganisationId, "case", row.Id.ToString(), new { note = note.Id, revision = number });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException or DbUpdateException)
        {
            // Another edit of the same base revision committed first: the revision number or the note's counter moved.
            await using var fresh = await sharing.OpenAsync(actor, cancellationToken);
            return await NewerAsync(fresh, note.Id, input.BaseRevision!.Value, cancellationToken);
        }

        return await read.NoteAsync(actor, row.Id, note.Id, cancellationToken);
    }

    private static async Task<Error> NewerAsync(ContentSession session, Guid noteId, int basedOn, CancellationToken cancellationToken)
    {
        var newest = await session.Db.CaseNoteRevisions.AsNoTracking().Where(r => r.NoteId == noteId).OrderByDescending(r => r.Number).FirstAsync(cancellationToken);
        return new Error(ErrorKind.Conflict, "note-revision-conflict",
            $"The note changed since revision {basedOn}: revision {newest.Number} by {newest.AuthorName} at {newest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC is newer. " +
            "Read it, compare, and edit again from that revision; nothing was saved.");
    }
}
