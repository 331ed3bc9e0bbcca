using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Indicators;

public sealed record SightingInput(
    string? Kind = null,
    int? Count = null,
    DateTimeOffset? FirstSeenAt = null,
    DateTimeOffset? LastSeenAt = null,
    string? Source = null,
    string? Comment = null,
    SharingTermsInput? Sharing = null);

/// <summary>
/// "We saw this too" (or "this is harmless here"). A sighting belongs to the organisation that saw it, defaults
/// to the indicator's TLP, and always names the indicator's owner as a recipient: the owner hears back
/// whatever the sighting's own distribution.
/// </summary>
public sealed class Sightings(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public const int MaxCount = 1_000_000_000;

    public async Task<Result<SightingDto>> RecordAsync(Actor actor, Guid indicatorId, SightingInput input, CancellationToken cancellationToken = default)
    {
        if (!IntelligenceRoles.MayWrite(actor))
        {
            return Error.Forbidden("Recording sightings needs the analyst, investigator, liaison or org-admin role.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } viewer)
        {
            return Error.Forbidden("Sightings are recorded for an organisation; this actor has none.");
        }

        var indicator = await session.Db.Indicators.AsNoTracking().FirstOrDefaultAsync(i => i.Id == indicatorId, cancellationToken);
        if (indicator is null)
        {
            return Error.NotFound("The indicator");
        }

        var now = clock.GetUtcNow();
        var kind = input.Kind?.Trim().ToLowerInvariant() switch
        {
            null or "" or "seen" => (SightingKind?)SightingKind.Seen,
            "false-positive" => SightingKind.FalsePositive,
            _ => null,
        };
        var first = input.FirstSeenAt ?? input.LastSeenAt ?? now;
        var last = input.LastSeenAt ?? first;
        var v = new Validation()
            .Require(kind is not null, "kind", $"'{input.Kind}' is not a sighting kind (seen, false-positive).")
            .Require(input.Count is null or (>= 1 and <= MaxCount), "count", $"count is between 1 and {MaxCount:N0}.")
            .Require(last >= first, "lastSeenAt", "last-seen must not be before first-seen.")
            .Require(first <= now.AddMinutes(5), "firstSeenAt", "a sighting cannot be in the future.")
            .Require(last <= now.AddMinutes(5) || first > now.AddMinutes(5), "lastSeenAt", "a sighting cannot be in the future.")
            .Require(input.Source is null || input.Source.Length <= 500, "source", "source is at most 500 characters.")
            .RequirePrintable(input.Source, "source")
            .Require(input.Comment is null || input.Comment.Length <= 4000, "comment", "comment is at most 4000 characters.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var defaults = new SharingTerms(viewer, indicator.Tlp, indicator.Pap, Distribution.OrganisationOnly);
        var terms = (input.Sharing ?? new SharingTermsInput()).Resolve(viewer, defaults);
        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        var owner = new OrganisationRef(indicator.OwnerOrganisationId, indicator.OwnerNode ?? session.LocalNode);
        var withOwner = owner == viewer ? terms.Value! : terms.Value! with { Recipients = new HashSet<OrganisationRef>(terms.Value!.Recipients) { owner } };
        var sighting = new Sighting
        {
            Id = Guid.CreateVersion7(),
            IndicatorId = indicator.Id,
            Type = indicator.Type,
            Value = indicator.Value,
            ValueKey = indicator.ValueKey,
            Kind = kind!.Value,
            Count = input.Count ?? 1,
            FirstSeenAt = first,
            LastSeenAt = last,
            Source = string.IsNullOrWhiteSpace(input.Source) ? null : input.Source.Trim(),
            Comment = string.IsNullOrWhiteSpace(input.Comment) ? null : input.Comment.Trim(),
            CreatedBy = actor.UserId,
            CreatedAt = now,
        };
        SharedColumns.Apply(sighting, withOwner, session.LocalNode);
        session.Db.Sightings.Add(sighting);
        var grants = SharedColumns.Grants(sighting.Id, withOwner, session.LocalNode, now).ToList();
        session.Db.ShareGrants.AddRange(grants);
        audit.Add(session.Db, actor, AuditEvents.SightingRecorded, viewer.Id, "indicator", indicator.Id.ToString(), new { kind = kind.ToString(), sighting.Count });
        await using (var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The owner may be deleting the indicator: its deletion removes the sightings it finds, so this one is
            // written only while the indicator is kept from going (a deletion then waits, and removes it too).
            if (!await session.Db.KeepRowAsync<Indicator>(indicator.Id, cancellationToken))
            {
                return Error.NotFound("The indicator");
            }

            await Federation.StixMirror.SightingAsync(session.Db, sighting, withOwner, session.LocalNode, clock, cancellationToken);
            await session.Db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var names = await OrganisationNames.OfAsync(session.Db, [viewer.Id], cancellationToken);
        return SightingDto.From(sighting, session.Decide(sighting, grants), grants, names.GetValueOrDefault(viewer.Id));
    }

    /// <summary>The sightings of one indicator the actor may see, newest first.</summary>
    public async Task<Result<Page<SightingDto>>> ListAsync(Actor actor, Guid indicatorId, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Indicators.AnyAsync(i => i.Id == indicatorId, cancellationToken))
        {
            return Error.NotFound("The indicator");
        }

        var query = session.Db.Sightings.AsNoTracking().Where(s => s.IndicatorId == indicatorId);
        if (before is { } last)
        {
            query = query.Where(s => s.Id.CompareTo(last) < 0);
        }

        var found = await query.OrderByDescending(s => s.Id).Take(take + 1).ToListAsync(cancellationToken);
        var rows = found.Take(take).ToList();
        var grants = await session.GrantsAsync(rows.Select(r => r.Id).ToList(), cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, rows.Select(r => r.OwnerOrganisationId), cancellationToken);
        var items = rows.Select(r => SightingDto.From(r, session.Decide(r, grants), grants, names.GetValueOrDefault(r.OwnerOrganisationId))).ToList();
        return new Page<SightingDto>(items, found.Count > take ? Cursor.Encode(rows[^1].Id) : null);
    }
}
