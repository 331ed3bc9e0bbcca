using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.CaseWork;

/// <summary>
/// The case team writes down something that happened: when it happened (which may be long before), where it was
/// learnt, and what. The time it was recorded and its author are the server's.
/// </summary>
public sealed class RecordCaseTimelineEntry(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<TimelineItemDto>> HandleAsync(Actor actor, Guid caseId, CaseTimelineEntryInput input, CancellationToken cancellationToken = default)
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

        var now = clock.GetUtcNow();
        var v = new Validation()
            .RequireText(input.Text, "text", CaseWorkRules.MaxDescription, required: true, "A timeline entry")
            .Require(input.Source is null || input.Source.Length <= CaseWorkRules.MaxSource, "source", $"The source is at most {CaseWorkRules.MaxSource} characters.")
            .RequirePrintable(input.Source, "source")
            .Require(input.OccurredAt is null || input.OccurredAt <= now.AddMinutes(5), "occurredAt", "What happened cannot have happened in the future.")
            .Require(input.OccurredAt is null || input.OccurredAt >= now.AddYears(-50), "occurredAt", "The time it happened is more than 50 years ago.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var entry = new CaseTimelineEntry
        {
            Id = Guid.CreateVersion7(),
            CaseId = row.Id,
            OccurredAt = (input.OccurredAt ?? now).ToUniversalTime(),
            RecordedAt = now,
            AuthorUserId = actor.UserId!.Value,
            AuthorName = actor.Name,
            Source = CaseWorkRules.Clean(input.Source),
            Text = input.Text!.Trim(),
        };
        session.Db.CaseTimelineEntries.Add(entry);
        audit.Add(session.Db, actor, AuditEvents.CaseTimelineEntryRecorded, row.OwnerOrganisationId, "case", row.Id.ToString(), new { entry = entry.Id });
        await session.Db.SaveChangesAsync(cancellationToken);
        return ReadCaseTimeline.ToItem(entry);
    }
}
