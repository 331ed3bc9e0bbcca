using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation;

/// <summary>Which versions of each object a query returns (TAXII's <c>match[version]</c>; several values are alternatives).</summary>
public sealed record VersionMatch(bool First, bool Last, bool All, IReadOnlyList<DateTimeOffset> At)
{
    public static VersionMatch LastOnly { get; } = new(false, true, false, []);

    public static VersionMatch Every { get; } = new(false, false, true, []);
}

/// <summary>A query over one collection: TAXII's filters, already checked. <see cref="After"/> is <c>added_after</c> or the page cursor.</summary>
public sealed record StixObjectQuery(
    DateTimeOffset? After,
    int Limit,
    IReadOnlyList<string>? Ids,
    IReadOnlyList<string>? Types,
    VersionMatch Versions,
    IReadOnlyList<string>? SpecVersions);

/// <summary>One stored version as TAXII serves it.</summary>
public sealed record StoredVersion(string StixId, string Version, string SpecVersion, DateTimeOffset DateAdded, string Json);

/// <summary>A page in <c>date_added</c> order; <see cref="More"/> when further versions match.</summary>
public sealed record StoredPage(IReadOnlyList<StoredVersion> Items, bool More);

/// <summary>
/// Reads a collection's objects for an actor: the sharing predicate decides what exists for them, the collection which
/// of those it holds, the query which versions and which page. Every page read is audited.
/// </summary>
public sealed class CollectionObjects(SharingAccess sharing, AuditTrail audit)
{
    /// <summary>A page, read through the content session the request opened for <paramref name="actor"/> (its viewer's facts are read once per request).</summary>
    public async Task<StoredPage> PageAsync(ContentSession session, Actor actor, StixCollection collection, StixObjectQuery query, bool withJson, string audited, CancellationToken cancellationToken = default)
    {
        var organisation = session.Organisation?.Id ?? Guid.Empty;
        var db = session.Db;
        var ownNewest = IsOwnNewest(collection, query);
        var rows = ownNewest
            ? (after, take) => OwnNewest.For(db)(db, organisation, after, take)
            : (Func<DateTimeOffset, int, IAsyncEnumerable<StixObjectRecord>>?)null;
        var heads = ownNewest
            ? (from, take) => OwnNewestHeads.For(db)(db, organisation, from, take)
            : (Func<DateTimeOffset, int, IAsyncEnumerable<StoredVersions.Head>>?)null;
        var (read, more) = await StoredVersions.PageAsync(db, Scope(session, collection, organisation), query, session.LocalNode, withJson, cancellationToken, rows, heads);
        var page = read.Select(s => new StoredVersion(s.StixId, s.Version, s.SpecVersion, s.DateAdded, withJson ? s.Json : string.Empty)).ToList();
        if (page.Count > 0)
        {
            await audit.WriteLookupAsync(actor, AuditEvents.TaxiiObjectsRead, organisation, "taxii-collection", collection.Id.ToString(),
                new { read = audited, objects = page.Count, first = page[0].DateAdded, last = page[^1].DateAdded }, cancellationToken);
        }

        return new StoredPage(page, more);
    }

    /// <summary>What the collection holds for the session's viewer, in both places versions live.</summary>
    private static VersionScope Scope(ContentSession session, StixCollection collection, Guid organisation) => new(
        collection.Select(session.Db.StixObjects.AsNoTracking(), session.Db.ShareGrants, organisation),
        collection.Select(session.Db.Indicators.AsNoTracking(), session.Db.ShareGrants, organisation),
        session.Db);

    /// <summary>The commonest read: a client paging its organisation's own collection with no filter but the cursor.</summary>
    private static bool IsOwnNewest(StixCollection collection, StixObjectQuery query) =>
        collection.Kind == StixCollectionKind.Organisation
        && query.Ids is not { Count: > 0 } && query.Types is not { Count: > 0 } && query.SpecVersions is not { Count: > 0 }
        && query.Versions is { Last: true, First: false, All: false, At.Count: 0 };

    /// <summary>
    /// That read as a compiled query: the rows <see cref="StixCollection.Select"/> and <see cref="Filter"/> give for it
    /// (the organisation's own and those addressed to it by name; per object the newest version among those), without
    /// rebuilding and hashing the expression on every page. The sharing predicate applies as to every query.
    /// </summary>
    private static readonly PerProvider<Func<RibatDbContext, Guid, DateTimeOffset, int, IAsyncEnumerable<StixObjectRecord>>> OwnNewest = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, Guid organisation, DateTimeOffset after, int take) =>
            db.StixObjects.AsNoTracking()
                .Where(s => s.OwnerOrganisationId == organisation
                    || db.ShareGrants.Any(g => g.ObjectId == s.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationId == organisation && g.OrganisationNode == null))
                .Where(s => !db.StixObjects.Any(o => (o.OwnerOrganisationId == organisation
                        || db.ShareGrants.Any(g => g.ObjectId == o.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationId == organisation && g.OrganisationNode == null))
                    && o.StixId == s.StixId && o.VersionAt > s.VersionAt))
                .Where(s => s.DateAdded > after)
                .OrderBy(s => s.DateAdded)
                .Take(take)));

    /// <summary>
    /// The dated indicator rows of that read, compiled likewise: the window of the organisation's own rows and those
    /// addressed to it, each as the head <c>StoredVersions.Heads</c> makes for the newest versions (its indicator's
    /// version is the last; its observable's is the last unless a later row in the collection serves the same
    /// observable or a stored version of it is newer).
    /// </summary>
    private static readonly PerProvider<Func<RibatDbContext, Guid, DateTimeOffset, int, IAsyncEnumerable<StoredVersions.Head>>> OwnNewestHeads = new(postgres =>
        EF.CompileAsyncQuery(Indicators.ValueIndex.Expand<Func<RibatDbContext, Guid, DateTimeOffset, int, IQueryable<StoredVersions.Head>>>((RibatDbContext db, Guid organisation, DateTimeOffset from, int take) =>
            db.Indicators.AsNoTracking()
                .Where(i => i.OwnerOrganisationId == organisation
                    || db.ShareGrants.Any(g => g.ObjectId == i.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationId == organisation && g.OrganisationNode == null))
                .Where(i => i.StixDateAdded != null && i.StixDateAdded > from)
                .OrderBy(i => i.StixDateAdded)
                .Take(take)
                .Select(i => new StoredVersions.Head(i.Id, i.StixDateAdded!.Value, false, false,
                    i.ObservableId != null
                    && !db.Indicators.Any(o => (o.OwnerOrganisationId == organisation
                            || db.ShareGrants.Any(g => g.ObjectId == o.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationId == organisation && g.OrganisationNode == null))
                        && Indicators.ValueIndex.SameValue(o, i) && o.ObservableId == i.ObservableId && o.StixDateAdded > i.StixDateAdded)
                    && !db.StixObjects.Any(s => (s.OwnerOrganisationId == organisation
                            || db.ShareGrants.Any(g => g.ObjectId == s.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationId == organisation && g.OrganisationNode == null))
                        && s.StixId == i.ObservableId && s.VersionAt > i.StixDateAdded))), postgres)));

    /// <summary>
    /// Deletes the versions of <paramref name="stixId"/> in the collection that the actor's organisation owns and that
    /// match; objects Ribat wrote from its own indicators, reports and sightings are changed there, not here.
    /// </summary>
    public async Task<Result<int>> DeleteAsync(Actor actor, StixCollection collection, string stixId, VersionMatch versions, IReadOnlyList<string>? specVersions, CancellationToken cancellationToken = default)
    {
        if (!collection.CanWrite)
        {
            return Error.Forbidden("Deleting from this collection needs write access to it.");
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var organisation = session.Organisation?.Id ?? Guid.Empty;
        var inCollection = collection.Select(session.Db.StixObjects, session.Db.ShareGrants, organisation).Where(s => s.StixId == stixId);
        var rows = inCollection;
        if (specVersions is { Count: > 0 } specs)
        {
            rows = rows.Where(s => specs.Contains(s.SpecVersion));
        }

        var matched = await MatchVersions(rows, inCollection, versions).ToListAsync(cancellationToken);

        // The current versions of this node's indicators are their rows (ADR 0017): those are changed or deleted there.
        var served = await StoredVersions.ServedAsync(session.Db, collection.Select(session.Db.Indicators.AsNoTracking(), session.Db.ShareGrants, organisation), [stixId], session.LocalNode, cancellationToken);
        matched.AddRange(served.Where(v => specVersions is not { Count: > 0 } || specVersions.Contains(v.SpecVersion)));
        if (matched.Count == 0)
        {
            return Error.NotFound("The object");
        }

        if (matched.Any(r => r.OwnerOrganisationId != organisation))
        {
            return Error.Forbidden("Only the organisation that owns an object deletes it.");
        }

        if (matched.Any(r => r.Origin == StixOrigin.Local))
        {
            return Error.Forbidden("This object stands for a Ribat indicator, report or sighting: change or delete that instead.");
        }

        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var ids = matched.Select(r => r.Id).ToList();
        await session.Db.ShareGrants.Where(g => ids.Contains(g.ObjectId)).ExecuteDeleteAsync(cancellationToken);
        session.Db.StixObjects.RemoveRange(matched);
        audit.Add(session.Db, actor, AuditEvents.TaxiiObjectDeleted, organisation, "stix-object", stixId, new { collection = collection.Id, versions = matched.Count });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return matched.Count;
    }

    /// <summary>
    /// Keeps the versions <paramref name="match"/> names. "First" and "last" are per object among the versions the viewer
    /// sees in the collection (<paramref name="scope"/>), so a hidden newer version never hides the one they may see.
    /// </summary>
    /// <summary>
    /// The rows of <paramref name="scope"/> a TAXII query's <c>match[id]</c>, <c>match[type]</c>, <c>match[spec_version]</c>
    /// and <c>match[version]</c> select (versions are first and last within the scope); paging is the caller's.
    /// </summary>
    internal static IQueryable<StixObjectRecord> Filter(IQueryable<StixObjectRecord> scope, StixObjectQuery query)
    {
        var rows = scope;
        if (query.Ids is { Count: > 0 } ids)
        {
            rows = rows.Where(s => ids.Contains(s.StixId));
        }

        if (query.Types is { Count: > 0 } types)
        {
            rows = rows.Where(s => types.Contains(s.Type));
        }

        if (query.SpecVersions is { Count: > 0 } specs)
        {
            rows = rows.Where(s => specs.Contains(s.SpecVersion));
        }

        return MatchVersions(rows, scope, query.Versions);
    }

    private static IQueryable<StixObjectRecord> MatchVersions(IQueryable<StixObjectRecord> rows, IQueryable<StixObjectRecord> scope, VersionMatch match)
    {
        if (match.All)
        {
            return rows;
        }

        var at = match.At.ToList();
        var first = match.First;
        var last = match.Last;
        return rows.Where(s =>
            (last && !scope.Any(o => o.StixId == s.StixId && o.VersionAt > s.VersionAt))
            || (first && !scope.Any(o => o.StixId == s.StixId && o.VersionAt < s.VersionAt))
            || at.Contains(s.VersionAt));
    }
}
