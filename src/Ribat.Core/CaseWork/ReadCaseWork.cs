using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.CaseWork;

/// <summary>A case's tasks and notes, for whoever the sharing policy lets see the case.</summary>
public sealed class ReadCaseWork(SharingAccess sharing, TimeProvider clock)
{
    public const int MaxItems = 1000;

    /// <summary>The case's tasks, oldest first; <paramref name="status"/> filters by one status.</summary>
    public async Task<Result<IReadOnlyList<CaseTaskDto>>> TasksAsync(Actor actor, Guid caseId, string? status = null, CancellationToken cancellationToken = default)
    {
        CaseTaskStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!CaseTaskStatuses.TryParse(status, out var parsed))
            {
                return Error.Validation("status", $"'{status}' is not a task status ({CaseTaskStatuses.Choices}).");
            }

            wanted = parsed;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        var query = session.Db.CaseTasks.AsNoTracking().Where(t => t.CaseId == caseId);
        if (wanted is { } s)
        {
            query = query.Where(t => t.Status == s);
        }

        var tasks = await query.OrderBy(t => t.Id).Take(MaxItems).ToListAsync(cancellationToken);
        return await CaseTasks.ToDtosAsync(session, actor, row, tasks, clock.GetUtcNow(), cancellationToken);
    }

    public async Task<Result<CaseTaskDto>> TaskAsync(Actor actor, Guid caseId, Guid taskId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        var task = await session.Db.CaseTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId && t.CaseId == caseId, cancellationToken);
        return task is null ? Error.NotFound("The task") : (await CaseTasks.ToDtosAsync(session, actor, row, [task], clock.GetUtcNow(), cancellationToken))[0];
    }

    /// <summary>The case's notes at their newest revision, most recently changed first.</summary>
    public async Task<Result<IReadOnlyList<CaseNoteDto>>> NotesAsync(Actor actor, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        var notes = await session.Db.CaseNotes.AsNoTracking().Where(n => n.CaseId == caseId).OrderByDescending(n => n.UpdatedAt).Take(MaxItems).ToListAsync(cancellationToken);
        return await ToDtosAsync(session, actor, row, notes, cancellationToken);
    }

    public async Task<Result<CaseNoteDto>> NoteAsync(Actor actor, Guid caseId, Guid noteId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        var note = await session.Db.CaseNotes.AsNoTracking().FirstOrDefaultAsync(n => n.Id == noteId && n.CaseId == caseId, cancellationToken);
        return note is null ? Error.NotFound("The note") : (await ToDtosAsync(session, actor, row, [note], cancellationToken))[0];
    }

    /// <summary>Every revision of a note, oldest first: who wrote what, when.</summary>
    public async Task<Result<IReadOnlyList<CaseNoteRevisionDto>>> RevisionsAsync(Actor actor, Guid caseId, Guid noteId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is null)
        {
            return Error.NotFound("The case");
        }

        if (!await session.Db.CaseNotes.AnyAsync(n => n.Id == noteId && n.CaseId == caseId, cancellationToken))
        {
            return Error.NotFound("The note");
        }

        return await session.Db.CaseNoteRevisions.AsNoTracking().Where(r => r.NoteId == noteId).OrderBy(r => r.Number)
            .Select(r => new CaseNoteRevisionDto(r.Number, r.Title, r.Text, r.AuthorUserId, r.AuthorName, r.CreatedAt)).ToListAsync(cancellationToken);
    }

    private static async Task<List<CaseNoteDto>> ToDtosAsync(ContentSession session, Actor actor, Case row, List<CaseNote> notes, CancellationToken cancellationToken)
    {
        var ids = notes.Select(n => n.Id).ToList();
        var newest = await session.Db.CaseNoteRevisions.AsNoTracking()
            .Where(r => ids.Contains(r.NoteId) && session.Db.CaseNotes.Any(n => n.Id == r.NoteId && n.Revision == r.Number))
            .ToDictionaryAsync(r => r.NoteId, cancellationToken);
        var mayWrite = CaseWorkRules.MayWrite(actor, session, row) && row.Status != CaseStatus.Closed;
        return notes.Where(n => newest.ContainsKey(n.Id)).Select(n =>
        {
            var r = newest[n.Id];
            return new CaseNoteDto(n.Id, n.CaseId, r.Title, r.Text, n.Revision, r.AuthorName, n.UpdatedAt, n.CreatedBy, n.CreatedAt, mayWrite);
        }).ToList();
    }
}
