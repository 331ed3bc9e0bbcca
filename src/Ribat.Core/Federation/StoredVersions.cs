using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Stix.Identifiers;

namespace Ribat.Core.Federation;

/// <summary>
/// Where a reader of STIX versions finds them (ADR 0017): rows of <c>stix_objects</c>, and the current versions of the
/// dated indicator rows. Both scopes are given already narrowed to what the reader may consider (a collection and the
/// viewer's visibility, or what may leave for a partner node).
/// </summary>
internal sealed record VersionScope(IQueryable<StixObjectRecord> Rows, IQueryable<Indicators.Indicator> Indicators, RibatDbContext Db);

/// <summary>
/// Reads STIX versions from both places they live as one store, in <c>date_added</c> order: each source is read as a
/// range of its time-ordered index (at most a window at a time) and the two are merged in memory, so neither database
/// is asked for an ordered union. TAXII's filters apply to both: <c>match[id]</c> finds an indicator by its row id and
/// an observable by the value index (its key is the first 64 bits of its id); <c>match[type]</c> and
/// <c>match[spec_version]</c> are read from each version; <c>match[version]</c>'s first and last are per object across
/// both sources within the scope, so an observable's versions held by several indicators (several organisations'
/// records of one address) are one object's versions.
/// </summary>
internal static class StoredVersions
{
    private const string IndicatorType = "indicator";

    /// <summary>
    /// The versions after <see cref="StixObjectQuery.After"/> that match <paramref name="query"/>, oldest added first: at
    /// most <see cref="StixObjectQuery.Limit"/>, and whether more match. <paramref name="rows"/>, when given, reads the
    /// <c>stix_objects</c> source instead of the general filter (a compiled query for the commonest page); it must answer
    /// what <see cref="CollectionObjects.Filter"/> would. <paramref name="datedHeads"/>, when given, reads the dated rows' window
    /// instead of <see cref="Heads"/> over the general candidates (again a compiled query for that page; it must answer
    /// what they would). <paramref name="keep"/>, when given, narrows each window further in memory (the policy for a
    /// partner node), after the versions are matched.
    /// </summary>
    public static async Task<(List<StixObjectRecord> Page, bool More)> PageAsync(
        RibatDbContext db,
        VersionScope scope,
        StixObjectQuery query,
        Guid localNode,
        bool withJson,
        CancellationToken cancellationToken,
        Func<DateTimeOffset, int, IAsyncEnumerable<StixObjectRecord>>? rows = null,
        Func<DateTimeOffset, int, IAsyncEnumerable<Head>>? datedHeads = null,
        Func<List<StixObjectRecord>, Task<List<StixObjectRecord>>>? keep = null)
    {
        var page = new List<StixObjectRecord>();
        var after = query.After ?? DateTimeOffset.MinValue;
        var window = Math.Max(query.Limit + 1, 64);
        var filtered = CollectionObjects.Filter(scope.Rows, query);
        var indicators = IndicatorCandidates(scope, query);

        // Rows asked for by id are few (an id's holders): read whole and sorted here, not by walking the date index.
        var byId = query.Ids is { Count: > 0 };
        while (true)
        {
            List<StixObjectRecord> stored;
            if (rows is not null)
            {
                stored = await rows(after, window).ToListAsync(cancellationToken);
            }
            else
            {
                var from = after;
                stored = await filtered.Where(s => s.DateAdded > from).OrderBy(s => s.DateAdded).Take(window).ToListAsync(cancellationToken);
            }

            var served = new List<Head>();
            if (indicators is not null)
            {
                // An indicator's observable is added a microsecond after it, so a row dated at the cursor may still hold one.
                var from = after == DateTimeOffset.MinValue ? after : after.AddTicks(-10);
                List<Head> read;
                if (datedHeads is not null)
                {
                    read = await datedHeads(from, window).ToListAsync(cancellationToken);
                }
                else
                {
                    var dated = indicators.Where(i => i.StixDateAdded > from);
                    read = await Heads(byId ? dated : dated.OrderBy(i => i.StixDateAdded).Take(window), scope, query.Versions).ToListAsync(cancellationToken);
                }

                served = [.. read.OrderBy(h => h.Added)];
            }

            // Past the last date a full source returned, the other source's versions may come before ones not read yet.
            var bound = DateTimeOffset.MaxValue;
            if (stored.Count == window)
            {
                bound = stored[^1].DateAdded;
            }

            if (!byId && served.Count == window && IndicatorVersions.ObservableAdded(served[^1].Added) < bound)
            {
                bound = IndicatorVersions.ObservableAdded(served[^1].Added);
            }

            var candidates = stored.Where(s => s.DateAdded <= bound).ToList();
            var known = new Dictionary<StixObjectRecord, (bool First, bool Last)>(ReferenceEqualityComparer.Instance);
            var heads = served.ToDictionary(h => h.Id);
            foreach (var versions in await IndicatorVersions.OfRowsAsync(scope.Indicators, [.. served.Select(h => (h.Id, h.Added))], localNode, withJson, cancellationToken))
            {
                foreach (var version in versions.Where(v => v.DateAdded > after && v.DateAdded <= bound && Matches(v, query)))
                {
                    candidates.Add(version);

                    // Where each version stands among its object's versions came with its row (a row dated again since
                    // its head was read is looked up like a stored version).
                    if (heads.TryGetValue(version.RibatObjectId!.Value, out var head) && IndicatorVersions.ObservableAdded(head.Added) >= version.DateAdded && head.Added <= version.DateAdded)
                    {
                        known[version] = version.Type == IndicatorType ? (head.IndicatorFirst, true) : (head.ObservableFirst, head.ObservableLast);
                    }
                }
            }

            candidates.Sort((a, b) => a.DateAdded.CompareTo(b.DateAdded));
            var matched = await MatchVersionsAsync(db, scope, candidates, known, query.Versions, localNode, cancellationToken);
            if (withJson)
            {
                matched = await RenderedVersions.FillAsync(db, matched, localNode, cancellationToken);
            }

            if (keep is not null && matched.Count > 0)
            {
                matched = await keep(matched);
            }

            foreach (var version in matched)
            {
                if (page.Count == query.Limit)
                {
                    return (page, true);
                }

                page.Add(version);
            }

            if (bound == DateTimeOffset.MaxValue)
            {
                return (page, false);
            }

            after = bound;
        }
    }

    /// <summary>
    /// How many versions of <paramref name="types"/> (every type when null) the scope holds in both sources; with
    /// <paramref name="after"/>, those of rows added or dated after it.
    /// </summary>
    public static async Task<long> CountAsync(VersionScope scope, IReadOnlyList<string>? types, DateTimeOffset? after, CancellationToken cancellationToken)
    {
        var query = new StixObjectQuery(null, 0, null, types, VersionMatch.Every, null);
        var filtered = CollectionObjects.Filter(scope.Rows, query);
        var stored = await (after is { } a ? filtered.Where(s => s.DateAdded > a) : filtered).LongCountAsync(cancellationToken);
        if (IndicatorCandidates(scope, query) is not { } rows)
        {
            return stored;
        }

        if (after is { } from)
        {
            rows = rows.Where(i => i.StixDateAdded > from);
        }

        // A row serves its indicator's version and, for a type with an observable, the observable's.
        var indicators = types is null || types.Contains(IndicatorType) ? await rows.LongCountAsync(cancellationToken) : 0;
        var observables = types is null || types.Any(t => t != IndicatorType) ? await rows.Where(i => ObservableTypes.Contains(i.Type)).LongCountAsync(cancellationToken) : 0;
        return stored + indicators + observables;
    }

    /// <summary>
    /// The dated indicator rows that may hold a version the query matches, by their ids, their observables' keys and
    /// types; null when none can (a spec version other than 2.1, ids or types no indicator version has).
    /// </summary>
    private static IQueryable<Indicators.Indicator>? IndicatorCandidates(VersionScope scope, StixObjectQuery query)
    {
        var rows = scope.Indicators.Where(i => i.StixDateAdded != null);
        if (query.SpecVersions is { Count: > 0 } specs && !specs.Contains(Stix.Model.StixVersion.Current))
        {
            return null;
        }

        if (query.Ids is { Count: > 0 } ids)
        {
            if (NamedBy(scope.Db, rows, ids) is not { } named)
            {
                return null;
            }

            rows = named;
        }

        if (query.Types is { Count: > 0 } types && !types.Contains(IndicatorType))
        {
            var named = ObservableBearing.Where(t => types.Contains(t.ObjectType)).Select(t => t.Type).Distinct().ToList();
            if (named.Count == 0)
            {
                return null;
            }

            rows = rows.Where(i => named.Contains(i.Type));
        }

        return rows;
    }

    /// <summary>
    /// What a STIX id names among the dated rows: an indicator's id is its row's id; any other id is an observable's,
    /// found by its value key. Neither for an id that is not one.
    /// </summary>
    private static (Guid? Row, long? Key) Names(string stixId) =>
        StixIdentifier.TrySplit(stixId, out var type, out var uuid) && type == IndicatorType ? (uuid, null)
        : ObservableIds.TryKey(stixId, out var key) ? (null, key)
        : (null, null);

    /// <summary>
    /// <paramref name="rows"/> narrowed to those <paramref name="stixIds"/> may name (<see cref="Names"/>: by row id or
    /// value key, so an observable's rows are candidates until their ids are compared); null when no id names any.
    /// </summary>
    private static IQueryable<Indicators.Indicator>? NamedBy(RibatDbContext db, IQueryable<Indicators.Indicator> rows, IEnumerable<string> stixIds)
    {
        var named = stixIds.Select(Names).ToList();
        var rowIds = named.Where(n => n.Row is not null).Select(n => n.Row!.Value).ToList();
        var keys = named.Where(n => n.Key is not null).Select(n => n.Key!.Value).ToList();
        if (rowIds.Count == 0 && keys.Count == 0)
        {
            return null;
        }

        // On SQLite the value index is the parts of a key table, which name rows by sequence number (ADR 0019).
        return db.IsPostgres
            ? rows.Where(i => rowIds.Contains(i.Id) || keys.Contains(i.ValueKey))
            : rows.Where(i => rowIds.Contains(i.Id)
                || db.Set<Indicators.HeldValue>().Where(k => keys.Contains(k.ValueKey)).Select(k => k.Seq).Contains(EF.Property<long>(i, Indicators.KeyTables.Sequence)));
    }

    /// <summary>Whether a version rendered from a row matches the query's ids and types (its spec version is 2.1).</summary>
    private static bool Matches(StixObjectRecord version, StixObjectQuery query) =>
        (query.Ids is not { Count: > 0 } ids || ids.Contains(version.StixId))
        && (query.Types is not { Count: > 0 } types || types.Contains(version.Type));

    /// <summary>Every indicator type with an observable, and the observable's type (a network is either address type).</summary>
    private static readonly (string Type, string ObjectType)[] ObservableBearing =
    [
        .. IndicatorTypes.All.Where(t => !RuleTypes.IsRule(t)).SelectMany(t => t == "cidr"
            ? new[] { (t, "ipv4-addr"), (t, "ipv6-addr") }
            : ObservableIds.ObjectType(t, string.Empty) is { } objectType ? [(t, objectType)] : []),
    ];

    /// <summary>The indicator types that name an observable, for the value-index probes of first and last versions.</summary>
    internal static readonly List<string> ObservableTypes = [.. ObservableBearing.Select(t => t.Type).Distinct()];

    /// <summary>
    /// Keeps the <paramref name="candidates"/> <paramref name="match"/> names: first and last are per object among its
    /// versions in both sources of the scope. A version served from a row knows where it stands (<paramref name="known"/>,
    /// read with its row); a row of <c>stix_objects</c> comes pre-filtered (it is first or last among the rows), which
    /// it must still be among all versions, so its object's versions are looked up in both sources.
    /// </summary>
    private static async Task<List<StixObjectRecord>> MatchVersionsAsync(RibatDbContext db, VersionScope scope, List<StixObjectRecord> candidates, IReadOnlyDictionary<StixObjectRecord, (bool First, bool Last)> known, VersionMatch match, Guid localNode, CancellationToken cancellationToken)
    {
        if (match.All || candidates.Count == 0 || !(match.First || match.Last))
        {
            return match.All || candidates.Count == 0 ? candidates : [.. candidates.Where(c => match.At.Contains(c.VersionAt))];
        }

        var unknown = candidates.Where(c => !known.ContainsKey(c)).Select(c => c.StixId).Distinct().ToList();
        var span = unknown.Count == 0 ? [] : await SpansAsync(db, scope, unknown, localNode, cancellationToken);
        return
        [
            .. candidates.Where(c => match.At.Contains(c.VersionAt)
                || (known.TryGetValue(c, out var k) ? (match.Last && k.Last) || (match.First && k.First)
                    : span.TryGetValue(c.StixId, out var s) && ((match.Last && c.VersionAt >= s.Last) || (match.First && c.VersionAt <= s.First)))),
        ];
    }

    /// <summary>A dated row as a page reads it first: its id and date, and where its versions stand among their objects' versions in the scope.</summary>
    internal sealed record Head(Guid Id, DateTimeOffset Added, bool IndicatorFirst, bool ObservableFirst, bool ObservableLast);

    /// <summary>
    /// <paramref name="rows"/> as heads. Whether its observable's version is the first or last of that observable is
    /// asked in the same query, through the value index (other rows serving it) and the id index of <c>stix_objects</c>
    /// (stored versions of it); whether its indicator's is the first, through the versions a change kept. Its
    /// indicator's version is always the last: a change dates the row again, and no other source may add a version
    /// under its id (intake refuses one).
    /// </summary>
    private static IQueryable<Head> Heads(IQueryable<Indicators.Indicator> rows, VersionScope scope, VersionMatch match)
    {
        var stored = scope.Rows;
        var holders = scope.Indicators;
        const StixOrigin local = StixOrigin.Local;
        if (match.All || !(match.First || match.Last))
        {
            return rows.Select(i => new Head(i.Id, i.StixDateAdded!.Value, false, false, false));
        }

        if (!match.First)
        {
            return Indicators.ValueIndex.Expand(rows.Select(i => new Head(i.Id, i.StixDateAdded!.Value, false, false,
                i.ObservableId != null
                && !holders.Any(o => Indicators.ValueIndex.SameValue(o, i) && o.ObservableId == i.ObservableId && o.StixDateAdded > i.StixDateAdded)
                && !stored.Any(s => s.StixId == i.ObservableId && s.VersionAt > i.StixDateAdded))), scope.Db);
        }

        return Indicators.ValueIndex.Expand(rows.Select(i => new Head(i.Id, i.StixDateAdded!.Value,
            !stored.Any(s => s.RibatObjectId == i.Id && s.Type == IndicatorType && s.Origin == local),
            i.ObservableId != null
                && !holders.Any(o => Indicators.ValueIndex.SameValue(o, i) && o.ObservableId == i.ObservableId && o.StixDateAdded < i.StixDateAdded)
                && !stored.Any(s => s.StixId == i.ObservableId && s.VersionAt < i.StixDateAdded),
            i.ObservableId != null
                && !holders.Any(o => Indicators.ValueIndex.SameValue(o, i) && o.ObservableId == i.ObservableId && o.StixDateAdded > i.StixDateAdded)
                && !stored.Any(s => s.StixId == i.ObservableId && s.VersionAt > i.StixDateAdded))), scope.Db);
    }

    /// <summary>
    /// The current versions the dated rows of <paramref name="indicators"/> serve under any of <paramref name="stixIds"/>:
    /// an indicator's by its row id, an observable's through the value index (a key match is a candidate until its id
    /// is derived from the row and compared).
    /// </summary>
    public static async Task<List<StixObjectRecord>> ServedAsync(RibatDbContext db, IQueryable<Indicators.Indicator> indicators, IReadOnlyCollection<string> stixIds, Guid localNode, CancellationToken cancellationToken)
    {
        var served = new List<StixObjectRecord>();
        foreach (var slice in stixIds.Distinct().Chunk(500))
        {
            if (NamedBy(db, indicators.Where(i => i.StixDateAdded != null), slice) is not { } named)
            {
                continue;
            }

            var wanted = slice.ToHashSet(StringComparer.Ordinal);
            var rows = await named.ToListAsync(cancellationToken);
            served.AddRange(rows.SelectMany(r => IndicatorVersions.Of(r, localNode, withJson: false)).Where(v => wanted.Contains(v.StixId)));
        }

        return served;
    }

    /// <summary>The first and last version of each of <paramref name="stixIds"/> within the scope, across both sources.</summary>
    /// <remarks><paramref name="current"/>: indicator versions already read from their rows in the scope, by id.</remarks>
    internal static async Task<Dictionary<string, (DateTimeOffset First, DateTimeOffset Last)>> SpansAsync(RibatDbContext db, VersionScope scope, IReadOnlyList<string> stixIds, Guid localNode, CancellationToken cancellationToken, IReadOnlyDictionary<string, DateTimeOffset>? current = null)
    {
        var spans = new Dictionary<string, (DateTimeOffset First, DateTimeOffset Last)>(StringComparer.Ordinal);
        void Add(string id, DateTimeOffset first, DateTimeOffset last) =>
            spans[id] = spans.TryGetValue(id, out var s) ? (first < s.First ? first : s.First, last > s.Last ? last : s.Last) : (first, last);

        foreach (var slice in stixIds.Chunk(500))
        {
            var stored = await scope.Rows.Where(s => slice.Contains(s.StixId)).GroupBy(s => s.StixId)
                .Select(g => new { g.Key, First = g.Min(s => s.VersionAt), Last = g.Max(s => s.VersionAt) })
                .ToListAsync(cancellationToken);
            foreach (var s in stored)
            {
                Add(s.Key, s.First, s.Last);
            }

            var rowIds = new List<Guid>();
            var keys = new Dictionary<long, string>();
            foreach (var id in slice)
            {
                if (current is not null && current.TryGetValue(id, out var version))
                {
                    Add(id, version, version);
                    continue;
                }

                var (row, key) = Names(id);
                if (row is not null)
                {
                    rowIds.Add(row.Value);
                }
                else if (key is not null)
                {
                    keys[key.Value] = id;
                }
            }

            if (rowIds.Count > 0)
            {
                // A row's indicator version is the one it serves now: read it from the row.
                var rows = await scope.Indicators.Where(i => i.StixDateAdded != null && rowIds.Contains(i.Id)).ToListAsync(cancellationToken);
                foreach (var row in rows)
                {
                    var serves = IndicatorVersions.Of(row, localNode, withJson: false)[0];
                    Add(serves.StixId, serves.VersionAt, serves.VersionAt);
                }
            }

            if (keys.Count > 0)
            {
                // An observable's version served from a row is dated a microsecond after the row: the oldest and newest
                // rows holding the value give its first and last.
                var keyList = keys.Keys.ToList();
                var held = await Indicators.KeyTables.Holding(scope.Db, scope.Indicators.Where(i => i.StixDateAdded != null && ObservableTypes.Contains(i.Type)), keyList)
                    .GroupBy(i => i.ValueKey)
                    .Select(g => new { g.Key, First = g.Min(i => i.StixDateAdded), Last = g.Max(i => i.StixDateAdded) })
                    .ToListAsync(cancellationToken);
                foreach (var h in held)
                {
                    Add(keys[h.Key], IndicatorVersions.ObservableAdded(h.First!.Value), IndicatorVersions.ObservableAdded(h.Last!.Value));
                }
            }
        }

        return spans;
    }
}
