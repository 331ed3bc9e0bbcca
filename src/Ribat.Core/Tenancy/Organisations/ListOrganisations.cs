using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Organisations;

/// <summary>Node admins see every organisation; everyone else sees their own (the scope filter decides).</summary>
public sealed class ListOrganisations(RibatDatabase database)
{
    public async Task<Result<Page<OrganisationDto>>> HandleAsync(Actor actor, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var request = Cursor.ReadGuidPage(cursor, limit);
        if (request.Error is { } invalid)
        {
            return invalid;
        }

        var (after, take) = request.Value;

        await using var db = database.Open(actor);
        var query = db.Organisations.AsNoTracking();
        if (after is { } last)
        {
            query = query.Where(o => o.Id.CompareTo(last) > 0);
        }

        var rows = await query.OrderBy(o => o.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = rows.Take(take).Select(OrganisationDto.From).ToList();
        return new Page<OrganisationDto>(items, rows.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }

    /// <summary>How many organisations the actor may see.</summary>
    public async Task<int> CountAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(actor);
        return await db.Organisations.CountAsync(cancellationToken);
    }

    public async Task<Result<OrganisationDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(actor);
        var organisation = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        return organisation is null ? Error.NotFound("The organisation") : OrganisationDto.From(organisation);
    }

    /// <summary>Finds by exact name, for the shell (<c>--org NAME</c>).</summary>
    public async Task<OrganisationDto?> FindByNameAsync(Actor actor, string name, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(actor);
        var trimmed = name.Trim();
        var organisation = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Name == trimmed, cancellationToken);
        return organisation is null ? null : OrganisationDto.From(organisation);
    }
}
