using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;

namespace Ribat.Core.Sharing.Storage;

internal static class OrganisationNames
{
    /// <summary>
    /// Names of the organisations owning objects the viewer may already see. An owner's name is part of what is
    /// shared (it is on every TLP label's "from" line), so it is read past the tenant filter, for these ids only.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> OfAsync(RibatDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var names = new Dictionary<Guid, string>(wanted.Count);
        await foreach (var organisation in NamesOf.For(db)(db, [.. wanted]).WithCancellation(cancellationToken))
        {
            names[organisation.Id] = organisation.Name;
        }

        if (names.Count == wanted.Count)
        {
            return names;
        }

        // An organisation hosted on a partner node is named as that node described it.
        var elsewhere = wanted.Where(id => !names.ContainsKey(id)).ToList();
        var described = await db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => elsewhere.Contains(o.Id))
            .Select(o => new { o.Id, o.Name })
            .ToListAsync(cancellationToken);
        foreach (var organisation in described)
        {
            names.TryAdd(organisation.Id, organisation.Name);
        }

        return names;
    }

    private sealed record Named(Guid Id, string Name);

    /// <summary>Read for every list and answer that names owners, so compiled.</summary>
    private static readonly PerProvider<Func<RibatDbContext, Guid[], IAsyncEnumerable<Named>>> NamesOf = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, Guid[] ids) => db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => ids.Contains(o.Id))
            .Select(o => new Named(o.Id, o.Name))));
}
