using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>The lead or a participant adds a fact to the incident's shared timeline, as its organisation.</summary>
public sealed class RecordTimelineEntry(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public async Task<Result<TimelineEntryDto>> HandleAsync(Actor actor, Guid incidentId, TimelineEntryInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The incident");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        if (IncidentWorkRules.Validate(input, now) is { IsValid: false } v)
        {
            return v.ToError();
        }

        var organisation = session.Organisation!.Value.Id;
        var entry = IncidentRules.NewEntry(row.Id, input.OccurredAt?.ToUniversalTime() ?? now, now, actor, organisation, IncidentWorkRules.Clean(input.Source), input.Text!.Trim());
        session.Db.TimelineEntries.Add(entry);
        IncidentRules.NoteAction(row, organisation, now);
        audit.Add(session.Db, actor, AuditEvents.TimelineEntryRecorded, organisation, "incident", row.Id.ToString(), new { entry = entry.Id });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.EntryAsync(session.Db, row, entry, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.EntryAsync(actor, entry.Id, cancellationToken);
    }
}

/// <summary>Corrects a timeline entry: only the organisation that wrote it does, and the entry says it was edited.</summary>
public sealed class EditTimelineEntry(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public async Task<Result<TimelineEntryDto>> HandleAsync(Actor actor, Guid entryId, TimelineEntryInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var entry = await session.Db.TimelineEntries.FindAsync([entryId], cancellationToken);
        if (entry is null || await IncidentRules.FindAsync(session, entry.IncidentId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The timeline entry");
        }

        if (entry.OrganisationId != session.Organisation?.Id || entry.OrganisationNode is not null)
        {
            return Error.Forbidden("A timeline entry is changed only by the organisation that wrote it.");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        if (IncidentWorkRules.Validate(input, now) is { IsValid: false } v)
        {
            return v.ToError();
        }

        entry.Text = input.Text!.Trim();
        entry.Source = IncidentWorkRules.Clean(input.Source);
        entry.OccurredAt = input.OccurredAt?.ToUniversalTime() ?? entry.OccurredAt;
        entry.EditedAt = now;
        audit.Add(session.Db, actor, AuditEvents.TimelineEntryEdited, entry.OrganisationId, "incident", row.Id.ToString(), new { entry = entry.Id });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.EntryAsync(session.Db, row, entry, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.EntryAsync(actor, entry.Id, cancellationToken);
    }
}
