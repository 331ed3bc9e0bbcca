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

        var hosted = await db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => elsewhere.Contains(o.Id) && db.Partners.IgnoreQueryFilters().Any(p => p.Id == o.PartnerId && p.Enabled))
            .Select(o => new { o.Id, o.NodeId })
            .ToListAsync(cancellationToken);
        if (hosted.Count == 0)
        {
            return terms;
        }

        var nodeOf = hosted.GroupBy(h => h.Id).ToDictionary(g => g.Key, g => g.First().NodeId);
        return terms with
        {
            Recipients = terms.Recipients
                .Select(r => r.Node == terms.Owner.Node && nodeOf.TryGetValue(r.Id, out var node) ? new OrganisationRef(r.Id, node) : r)
                .ToHashSet(),
        };
    }
}
