using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases;

/// <summary>Cases the actor may see: its organisation's, and those it is a partner of (through the sharing policy).</summary>
public sealed class ReadCases(SharingAccess sharing)
{
    public async Task<Result<CaseDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Cases.Include(c => c.Team).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return row is null ? Error.NotFound("The case") : (await CaseRules.ToDtosAsync(session, actor, [row], cancellationToken))[0];
    }

    public async Task<Result<Page<CaseDto>>> ListAsync(Actor actor, string? status, string? search, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        CaseStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!CaseStatusMachine.TryParse(status, out var parsed))
            {
                return Error.Validation("status", $"'{status}' is not a case status (open, active, suspended, closed).");
            }

            wanted = parsed;
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = session.Db.Cases.Include(c => c.Team).AsNoTracking();
        if (wanted is { } s)
        {
            rows = rows.Where(c => c.Status == s);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToLowerInvariant();
            rows = rows.Where(c => c.Title.ToLower().Contains(text));
        }

        if (before is { } last)
        {
            rows = rows.Where(c => c.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(c => c.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await CaseRules.ToDtosAsync(session, actor, found.Take(take).ToList(), cancellationToken);
        return new Page<CaseDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }
}
