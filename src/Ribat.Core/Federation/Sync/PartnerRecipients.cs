using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Sharing;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Named recipients are given by organisation id; an id that is no organisation of this node but one an enabled
/// partner node hosts (its directory, <see cref="PartnerOrganisation"/>) is placed on that node, so the object
/// crosses to it and is seen there by that organisation alone.
/// </summary>
internal static class PartnerRecipients
{
    /// <summary>The nodes of those of <paramref name="ids"/> that enabled partner nodes host, as they described them.</summary>
    public static async Task<Dictionary<Guid, Guid>> NodesAsync(RibatDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await (from o in db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking()
                          join p in db.Partners.IgnoreQueryFilters().AsNoTracking() on o.PartnerId equals p.Id
                          where p.Enabled && p.NodeId == o.NodeId && ids.Contains(o.Id)
                          select new { o.Id, o.NodeId }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First().NodeId);
    }

    public static async Task<SharingTerms> PlaceAsync(RibatDbContext db, SharingTerms terms, CancellationToken cancellationToken)
    {
        var unplaced = terms.Recipients.Where(r => r.Node == terms.Owner.Node).Select(r => r.Id).ToList();
        if (unplaced.Count == 0)
        {
            return terms;
        }

        var local = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => unplaced.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
        var elsewhere = unplaced.Except(local).ToList();
        if (elsewhere.Count == 0)
        {
            return terms;
        }

        var nodeOf = await NodesAsync(db, elsewhere, cancellationToken);
        if (nodeOf.Count == 0)
        {
            return terms;
        }

        return terms with
        {
            Recipients = terms.Recipients
                .Select(r => r.Node == terms.Owner.Node && nodeOf.TryGetValue(r.Id, out var node) ? new OrganisationRef(r.Id, node) : r)
                .ToHashSet(),
        };
    }
}
