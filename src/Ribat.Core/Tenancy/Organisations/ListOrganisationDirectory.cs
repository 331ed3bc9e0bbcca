using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Organisations;

/// <summary>An organisation as anyone on the node may address it: who it is and where, nothing more.</summary>
public sealed record OrganisationEntry(Guid Id, string Name, string Country);

/// <summary>
/// An organisation hosted on a partner node, as that node described it: its id there, name, country and kind, the
/// node hosting it and the partner record's name here.
/// </summary>
public sealed record PartnerOrganisationEntry(Guid Id, string Name, string Country, string? Kind, Guid NodeId, string PartnerName, DateTimeOffset ReceivedAt);

/// <summary>
/// The node's directory of organisations, for any signed-in member: the names a user picks from to make an
/// organisation a named recipient or a sharing-group member. It reads past the tenant filter on purpose and
/// gives only id, name and country — never contacts, users or settings — because addressing a recipient needs
/// its name, and the agencies on a node are each other's known partners (the same name is on the "from" line
/// of everything an organisation shares). <see cref="ListOrganisations"/> stays tenant-filtered for the rest.
/// </summary>
public sealed class ListOrganisationDirectory(RibatDatabase database)
{
    /// <summary>A node hosts tens or hundreds of agencies; the bound keeps one answer small whatever happens.</summary>
    public const int MaxEntries = 5000;

    public async Task<Result<IReadOnlyList<OrganisationEntry>>> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is null && !actor.IsNodeAdmin)
        {
            return Error.Forbidden("The organisation directory is for members of an organisation on this node.");
        }

        await using var db = database.Open(TenantScope.NodeWide("organisation directory"));
        var entries = await db.Organisations.AsNoTracking()
            .OrderBy(o => o.Name)
            .Take(MaxEntries)
            .Select(o => new OrganisationEntry(o.Id, o.Name, o.Country))
            .ToListAsync(cancellationToken);
        return entries;
    }

    /// <summary>
    /// The organisations partner nodes host, as they described them (<c>Federation/Sync/OrganisationExchange</c>), by
    /// name; optionally of one country. Only enabled partners' are listed: a disabled partner's organisations can be
    /// reached by nothing. The same readers and the same fields as this node's own directory.
    /// </summary>
    public async Task<Result<IReadOnlyList<PartnerOrganisationEntry>>> PartnersAsync(Actor actor, string? country = null, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is null && !actor.IsNodeAdmin)
        {
            return Error.Forbidden("The organisation directory is for members of an organisation on this node.");
        }

        string? code = null;
        if (!string.IsNullOrWhiteSpace(country) && !Countries.TryNormalise(country, out code))
        {
            return Error.Validation("country", $"country '{country}' is not an ISO 3166-1 alpha-2 code (for example FR, MA, JO).");
        }

        await using var db = database.Open(TenantScope.NodeWide("organisation directory"));
        var query = from o in db.PartnerOrganisations.AsNoTracking()
                    join p in db.Partners.AsNoTracking() on o.PartnerId equals p.Id
                    where p.Enabled && p.NodeId == o.NodeId
                    select new { o, p.Name };
        if (code is not null)
        {
            query = query.Where(x => x.o.Country == code);
        }

        var rows = await query.OrderBy(x => x.o.Name).ThenBy(x => x.o.Id).Take(MaxEntries).ToListAsync(cancellationToken);
        return rows.Select(x => new PartnerOrganisationEntry(x.o.Id, x.o.Name, x.o.Country, x.o.Kind, x.o.NodeId, x.Name, x.o.ReceivedAt)).ToList();
    }
}
