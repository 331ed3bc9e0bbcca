using System.Net;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;

namespace Ribat.Core.Indicators;

/// <summary>
/// The index probes behind one correlation, apart from the answer built around them, so that their cost can be
/// measured on its own. Each reads through the context's sharing filter and stops after <c>cap + 1</c> postings:
/// one more than the cap is how an over-correlating value is told apart. The probes read only the columns that
/// count and order postings; the full rows of the few an answer lists are read afterwards by id, so telling that a
/// value is over-correlating never builds a thousand indicators.
/// </summary>
internal static class CorrelationProbes
{
    /// <summary>One visible posting: which indicator, and the report it belongs to.</summary>
    public sealed record Posting(Guid Id, Guid? ReportId);

    /// <summary>
    /// The visible postings of exactly <paramref name="value"/>, newest first (by creation, then id), up to
    /// <c>cap + 1</c>. The walk follows the correlation index (value key, then duplicate key), so it reads at most
    /// <c>cap + 1</c> visible postings whatever the value's popularity (on SQLite it walks each of the three parts of the
    /// value table that way, and reads at most three times as many); when it stops short of the cap it has read
    /// every visible posting, so sorting them here gives exactly the newest. Past the cap the value is over-correlating
    /// and nothing is listed, so which postings were read does not matter.
    /// </summary>
    public static async Task<List<Posting>> HoldersAsync(RibatDbContext db, CanonicalIndicator value, int cap, CancellationToken cancellationToken)
    {
        var family = CorrelationKeys.Family(value.Type);
        var holders = new List<Holder>();
        if (db.IsPostgres)
        {
            await foreach (var holder in HoldersOf.For(db)(db, value.ValueKey, cap + 1).WithCancellation(cancellationToken))
            {
                holders.Add(holder);
            }
        }
        else
        {
            // Each part of the value index walked up to cap + 1 visible postings: together they hold more than the cap
            // exactly when the value has more visible postings than the cap.
            var take = cap + 1;
            var walked = await HoldersIn(db, KeyTables.Values, value.ValueKey, take)
                .Concat(HoldersIn(db, KeyTables.MiddleValues, value.ValueKey, take))
                .Concat(HoldersIn(db, KeyTables.RecentValues, value.ValueKey, take))
                .ToListAsync(cancellationToken);
            holders.AddRange(walked.Select(w => new Holder(w.Id, w.ReportId, w.Type, w.Value, w.CreatedAt)));
        }

        // A 64-bit key collision is astronomically rare, but a wrong answer is worse than one comparison.
        return holders
            .Where(i => CorrelationKeys.Family(i.Type) == family && i.Value == value.Value)
            .OrderByDescending(i => i.CreatedAt)
            .ThenByDescending(i => i.Id)
            .Select(i => new Posting(i.Id, i.ReportId))
            .ToList();
    }

    /// <summary>
    /// The ids of the other values related to <paramref name="value"/>: networks containing an address or a network,
    /// addresses inside a network, names under the same registered domain. Each query is bounded and follows its
    /// index: newest first, except addresses inside a network, which come in address order so that a wide network
    /// is walked only up to the cap rather than read whole and sorted. On SQLite the address and registered-domain
    /// indexes are tables in two parts (<see cref="KeyTables"/>): each part is walked the same way up to the cap and
    /// the two walks merged.
    /// </summary>
    public static IEnumerable<(string Relation, IQueryable<Guid> Ids)> Related(RibatDbContext db, CanonicalIndicator value, int cap)
    {
        var others = db.Indicators.AsNoTracking().Where(i => i.ValueKey != value.ValueKey);
        if (value.Type is "ipv4" or "ipv6")
        {
            var address = IPAddress.Parse(value.Value);
            var keys = CorrelationKeys.ContainingNetworkKeys(address, address.GetAddressBytes().Length * 8).ToList();
            yield return ("in-network", Newest(KeyTables.Holding(db, others.Where(i => i.Type == "cidr"), keys), cap));
        }
        else if (value.Type == "cidr")
        {
            var slash = value.Value.IndexOf('/');
            var network = IPAddress.Parse(value.Value[..slash]);
            var prefix = int.Parse(value.Value[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var wider = CorrelationKeys.ContainingNetworkKeys(network, prefix - 1).ToList();
            yield return ("in-network", Newest(KeyTables.Holding(db, others.Where(i => i.Type == "cidr"), wider), cap));
            var (first, last) = CorrelationKeys.Range(value.Value);
            yield return ("contains", db.IsPostgres
                ? others.Where(i => i.Address != null && i.Address.CompareTo(first) >= 0 && i.Address.CompareTo(last) <= 0)
                    .OrderBy(i => i.Address).ThenByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(cap + 1).Select(i => i.Id)
                : InAddressOrder(AddressesIn(db, KeyTables.Addresses, first, last, others, cap).Concat(AddressesIn(db, KeyTables.RecentAddresses, first, last, others, cap)), cap).Select(w => w.Id));
        }

        if (value.RegisteredDomain is { } domain)
        {
            yield return ("same-registered-domain", db.IsPostgres
                ? Newest(others.Where(i => i.RegisteredDomain == domain), cap)
                : NewestFirst(UnderDomain(db, KeyTables.Domains, domain, others, cap).Concat(UnderDomain(db, KeyTables.RecentDomains, domain, others, cap)), cap).Select(w => w.Id));
        }
    }

    /// <summary>The full rows of <paramref name="ids"/>, in that order (one primary-key probe each, still filtered).</summary>
    public static async Task<List<Indicator>> RowsAsync(RibatDbContext db, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = new Dictionary<Guid, Indicator>(ids.Count);
        await foreach (var row in RowsOf.For(db)(db, [.. ids]).WithCancellation(cancellationToken))
        {
            rows[row.Id] = row;
        }

        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    /// <summary>What the holders probe reads of a posting: enough to order it and to compare its value.</summary>
    private sealed record Holder(Guid Id, Guid? ReportId, string Type, string Value, DateTimeOffset CreatedAt);

    /// <summary>The visible postings one part of the value index holds for a key, in its order, up to <paramref name="take"/> (SQLite).</summary>
    private static IQueryable<WalkedHolder> HoldersIn(RibatDbContext db, string part, long key, int take) =>
        db.Set<ValueEntry>(part).Where(k => k.ValueKey == key)
            .Join(db.Indicators.AsNoTracking(), k => k.Seq, i => EF.Property<long>(i, KeyTables.Sequence), (k, i) => new WalkedHolder
            {
                DuplicateKey = k.DuplicateKey,
                Id = i.Id,
                ReportId = i.ReportId,
                Type = i.Type,
                Value = i.Value,
                CreatedAt = i.CreatedAt,
            })
            .OrderBy(w => w.DuplicateKey)
            .Take(take);

    /// <summary>A posting reached through one part of the value index (SQLite), with the key that orders the walk.</summary>
    private sealed class WalkedHolder
    {
        public long DuplicateKey { get; init; }

        public Guid Id { get; init; }

        public Guid? ReportId { get; init; }

        public required string Type { get; init; }

        public required string Value { get; init; }

        public DateTimeOffset CreatedAt { get; init; }
    }

    /// <summary>
    /// The two reads every search makes, compiled, so that EF does not build and hash their expressions on every search:
    /// the holders on PostgreSQL (through its value index; SQLite walks the parts of its value table, <see cref="HoldersIn"/>)
    /// and the rows of an answer. The sharing predicate applies as to every query.
    /// </summary>
    private static readonly PerProvider<Func<RibatDbContext, long, int, IAsyncEnumerable<Holder>>> HoldersOf = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, long key, int take) => db.Indicators.AsNoTracking()
            .Where(i => i.ValueKey == key)
            .OrderBy(i => i.DuplicateKey)
            .Take(take)
            .Select(i => new Holder(i.Id, i.ReportId, i.Type, i.Value, i.CreatedAt))));

    private static readonly PerProvider<Func<RibatDbContext, Guid[], IAsyncEnumerable<Indicator>>> RowsOf = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, Guid[] ids) => db.Indicators.AsNoTracking().Where(i => ids.Contains(i.Id))));

    private static IQueryable<Guid> Newest(IQueryable<Indicator> rows, int cap) =>
        rows.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(cap + 1).Select(i => i.Id);

    /// <summary>A visible indicator reached through one part of a key table, with what orders it.</summary>
    private sealed class Walked
    {
        public required string Key { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public Guid Id { get; init; }
    }

    private static IQueryable<Walked> AddressesIn(RibatDbContext db, string table, string first, string last, IQueryable<Indicator> others, int cap) =>
        InAddressOrder(db.Set<AddressKey>(table)
            .Where(k => k.Address.CompareTo(first) >= 0 && k.Address.CompareTo(last) <= 0)
            .Join(others, k => k.Seq, i => EF.Property<long>(i, KeyTables.Sequence), (k, i) => new Walked { Key = k.Address, CreatedAt = i.CreatedAt, Id = i.Id }), cap);

    private static IQueryable<Walked> InAddressOrder(IQueryable<Walked> walked, int cap) =>
        walked.OrderBy(w => w.Key).ThenByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id).Take(cap + 1);

    private static IQueryable<Walked> UnderDomain(RibatDbContext db, string table, string domain, IQueryable<Indicator> others, int cap) =>
        NewestFirst(db.Set<DomainKey>(table)
            .Where(k => k.RegisteredDomain == domain)
            .Join(others, k => k.Seq, i => EF.Property<long>(i, KeyTables.Sequence), (k, i) => new Walked { Key = k.RegisteredDomain, CreatedAt = k.CreatedAt, Id = i.Id }), cap);

    private static IQueryable<Walked> NewestFirst(IQueryable<Walked> walked, int cap) =>
        walked.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id).Take(cap + 1);
}
