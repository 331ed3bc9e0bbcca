using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Indicators;

public sealed record IndicatorQuery(string? Type = null, Guid? ReportId = null, string? Tag = null, bool? Mine = null, string? Cursor = null, int? Limit = null);

/// <summary>Lists and reads indicators the actor may see; the sharing predicate filters in SQL, newest first.</summary>
public sealed class ReadIndicators(SharingAccess sharing, TimeProvider clock, AddressOrigins origins)
{
    public async Task<Result<Page<IndicatorDto>>> ListAsync(Actor actor, IndicatorQuery query, CancellationToken cancellationToken = default)
    {
        var page = Common.Cursor.ReadGuidPage(query.Cursor, query.Limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        if (query.Type is { } type && !IndicatorTypes.IsKnown(type))
        {
            return Error.Validation("type", $"'{type}' is not an indicator type ({IndicatorTypes.Choices}).");
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = session.Db.Indicators.AsNoTracking();
        if (query.Type is not null)
        {
            rows = rows.Where(i => i.Type == query.Type);
        }

        if (query.ReportId is { } report)
        {
            rows = rows.Where(i => i.ReportId == report);
        }

        if (query.Mine == true && session.Organisation is { } mine)
        {
            rows = rows.Where(i => i.OwnerOrganisationId == mine.Id);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim();
            rows = rows.Where(i => i.Tags.Contains(tag));
        }

        // Newest first: the cursor is the last id of the previous page and ids are time-ordered (UUIDv7).
        if (before is { } last)
        {
            rows = rows.Where(i => i.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await ToDtosAsync(session, found.Take(take).ToList(), cancellationToken);
        return new Page<IndicatorDto>(items, found.Count > take ? Common.Cursor.Encode(items[^1].Id) : null);
    }

    public async Task<Result<IndicatorDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Indicators.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return row is null ? Error.NotFound("The indicator") : (await ToDtosAsync(session, [row], cancellationToken))[0];
    }

    internal async Task<List<IndicatorDto>> ToDtosAsync(ContentSession session, List<Indicator> rows, CancellationToken cancellationToken)
    {
        var grants = await session.GrantsAsync(rows.Select(r => r.Id).ToList(), cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, rows.Select(r => r.OwnerOrganisationId), cancellationToken);
        var now = clock.GetUtcNow();
        return rows.Select(r => IndicatorDto.From(r, session.Decide(r, grants), grants, names.GetValueOrDefault(r.OwnerOrganisationId), now,
            origins.Lookup(r.Type, r.Value).Origin)).ToList();
    }
}
