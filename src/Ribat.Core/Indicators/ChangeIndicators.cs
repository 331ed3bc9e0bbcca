using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Indicators;

/// <summary>What an owner may change on an indicator; absent fields stay as they are. The value itself never changes.</summary>
public sealed record IndicatorChange(
    string? Comment = null,
    IReadOnlyList<string>? Tags = null,
    int? Confidence = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? FirstSeen = null,
    DateTimeOffset? LastSeen = null,
    bool? ForDetection = null,
    bool? FalsePositive = null,
    bool? WarningSuppressed = null,
    SharingTermsInput? Sharing = null);

/// <summary>The owner changes or deletes its indicators; everyone else answers to sightings and false-positive reports.</summary>
public sealed class ChangeIndicators(SharingAccess sharing, ReadIndicators read, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<IndicatorDto>> UpdateAsync(Actor actor, Guid id, IndicatorChange change, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);

        // One change of an indicator at a time: the version now current is sealed from the row as this change reads it,
        // so a second change reads the row only once the first has committed. Read outside the transaction, two changes
        // would both seal the same version, and the second would leave the first's version without JSON it could be
        // rendered from, and undo its fields.
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var row = await session.Db.Indicators.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The indicator");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns an indicator changes it; record a sighting or a false-positive report instead.");
        }

        if (!await session.Db.HoldRowAsync(row, cancellationToken))
        {
            return Error.NotFound("The indicator");
        }

        var merged = new IndicatorInput(
            row.Type, row.Value, change.Comment ?? row.Comment, change.Tags ?? row.Tags, change.Confidence ?? row.Confidence,
            change.ValidFrom ?? row.ValidFrom, change.ValidUntil ?? row.ValidUntil, change.FirstSeen ?? row.FirstSeen, change.LastSeen ?? row.LastSeen);
        if (IndicatorRows.Check(merged) is { } invalid)
        {
            return Error.Validation(invalid.Field, invalid.Reason);
        }

        // The version now current is rendered from the row when read: keep what it says before the row changes.
        await Federation.StixMirror.SealAsync(session.Db, row, session.LocalNode, cancellationToken);
        var grants = await session.Db.ShareGrants.Where(g => g.ObjectId == id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (change.Sharing is { } sharingChange)
        {
            var current = SharedColumns.ToTerms(row, grants, session.LocalNode);
            var terms = sharingChange.Resolve(current.Owner, current);
            if (terms.Error is { } badTerms)
            {
                return badTerms;
            }

            if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, row.OwnerOrganisationId, cancellationToken) is { } badGroup)
            {
                return badGroup;
            }

            terms = await Federation.Sync.PartnerRecipients.PlaceAsync(session.Db, terms.Value!, cancellationToken);

            SharedColumns.Apply(row, terms.Value!, session.LocalNode);
            session.Db.ShareGrants.RemoveRange(grants);
            session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms.Value!, session.LocalNode, now));
        }

        row.Comment = string.IsNullOrWhiteSpace(merged.Comment) ? null : merged.Comment.Trim();
        row.Tags = (merged.Tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
        row.Confidence = merged.Confidence ?? row.Confidence;
        row.ValidFrom = merged.ValidFrom;
        row.ValidUntil = merged.ValidUntil;
        row.FirstSeen = merged.FirstSeen;
        row.LastSeen = merged.LastSeen;
        row.ForDetection = change.ForDetection ?? row.ForDetection;
        row.FalsePositive = change.FalsePositive ?? row.FalsePositive;
        row.WarningSuppressed = change.WarningSuppressed ?? row.WarningSuppressed;
        row.UpdatedAt = now;
        audit.Add(session.Db, actor, AuditEvents.IndicatorUpdated, row.OwnerOrganisationId, "indicator", row.Id.ToString(),
            new { tlp = row.Tlp.Spell(), falsePositive = row.FalsePositive, confidence = row.Confidence });
        await Federation.StixMirror.IndicatorsAsync(session.Db, [row], session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.GetAsync(actor, id, cancellationToken);
    }

    public async Task<Result<bool>> DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);

        // As a change does, a deletion holds the row first: a change committing meanwhile would add a version the
        // deletion, which removed the versions it saw, leaves behind.
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var row = await session.Db.Indicators.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The indicator");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns an indicator deletes it.");
        }

        if (!await session.Db.HoldRowAsync(row, cancellationToken))
        {
            return Error.NotFound("The indicator");
        }

        var sightings = session.Db.Sightings.IgnoreQueryFilters().Where(s => s.IndicatorId == id);
        await session.Db.ShareGrants.Where(g => g.ObjectId == id || sightings.Select(s => s.Id).Contains(g.ObjectId)).ExecuteDeleteAsync(cancellationToken);
        await Federation.StixObjectStore.RemoveForAsync(session.Db, [id, .. await sightings.Select(s => s.Id).ToListAsync(cancellationToken)], cancellationToken);
        await sightings.ExecuteDeleteAsync(cancellationToken);
        session.Db.Indicators.Remove(row);
        audit.Add(session.Db, actor, AuditEvents.IndicatorDeleted, row.OwnerOrganisationId, "indicator", row.Id.ToString(), new { row.Type });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static Error? Refuse(Actor actor) =>
        !IntelligenceRoles.MayWrite(actor)
            ? Error.Forbidden("Changing indicators needs the analyst, investigator, liaison or org-admin role.")
            : actor.RequireWrite();
}
