using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Node;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Sharing.Storage;

/// <summary>
/// A database context for shared content, opened for one organisation viewer: its query filters apply the
/// sharing predicate, and <see cref="Decide"/> answers the finer rights for rows it loaded. A node
/// administrator gets their organisation's view, never a node-wide one: administrative access is not
/// content access.
/// </summary>
public sealed class ContentSession : IAsyncDisposable
{
    internal ContentSession(RibatDbContext db, Viewer? viewer, Guid localNode)
    {
        Db = db;
        Viewer = viewer;
        LocalNode = localNode;
    }

    public RibatDbContext Db { get; }

    /// <summary>Null for an actor outside any organisation (the operator at the shell): such a session sees nothing.</summary>
    public Viewer? Viewer { get; }

    public Guid LocalNode { get; }

    public OrganisationRef? Organisation => Viewer?.Organisation;

    /// <summary>The policy's full answer for a row this session loaded.</summary>
    public SharingDecision Decide(ISharedObject row, IEnumerable<ShareGrant> grants) =>
        Viewer is null
            ? new SharingDecision(ViewerRelation.Outsider, false, false, false, false, [new Denial(SharingRight.See, DenialCode.OrganisationOnly)])
            : SharingPolicy.Decide(Viewer, SharedColumns.ToTerms(row, grants, LocalNode));

    /// <summary>Loads the grants of <paramref name="objectIds"/> (recipients and permissions) for <see cref="Decide"/>.</summary>
    public async Task<List<ShareGrant>> GrantsAsync(IReadOnlyCollection<Guid> objectIds, CancellationToken cancellationToken)
    {
        if (objectIds.Count == 0)
        {
            return [];
        }

        var grants = new List<ShareGrant>();
        await foreach (var grant in GrantsOf.For(Db)(Db, [.. objectIds.Distinct()]).WithCancellation(cancellationToken))
        {
            grants.Add(grant);
        }

        return grants;
    }

    /// <summary>Read for every list and answer the session builds, so compiled.</summary>
    private static readonly PerProvider<Func<RibatDbContext, Guid[], IAsyncEnumerable<ShareGrant>>> GrantsOf = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, Guid[] ids) => db.ShareGrants.AsNoTracking().Where(g => ids.Contains(g.ObjectId))));

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}

/// <summary>Opens <see cref="ContentSession"/>s with the viewer facts read from trusted state.</summary>
public sealed class SharingAccess(RibatDatabase database, LocalNode node)
{
    public async Task<ContentSession> OpenAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var local = await node.IdAsync(cancellationToken);
        if (actor.OrganisationId is not { } organisation)
        {
            return new ContentSession(database.Open(TenantScope.None), null, local);
        }

        var groups = new List<Guid>();
        var federated = new List<Guid>();
        await using (var facts = database.Open(TenantScope.NodeWide("viewer facts")))
        {
            await foreach (var group in GroupsOf.For(facts)(facts, organisation).WithCancellation(cancellationToken))
            {
                groups.Add(group);
            }

            // The enabled partners are the nodes this node federates with directly: their connected-communities objects reach us.
            await foreach (var partner in EnabledPartners.For(facts)(facts).WithCancellation(cancellationToken))
            {
                federated.Add(partner);
            }
        }

        var scope = TenantScope.Of(organisation).WithViewerFacts(groups, federated);
        var viewer = Viewer.OfOrganisation(new OrganisationRef(organisation, local), groups, federated);
        return new ContentSession(database.Open(scope), viewer, local);
    }

    /// <summary>The sharing groups an organisation owns or belongs to; read for every session, so compiled.</summary>
    private static readonly PerProvider<Func<RibatDbContext, Guid, IAsyncEnumerable<Guid>>> GroupsOf = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, Guid organisation) => db.SharingGroups.AsNoTracking()
            .Where(g => g.OwnerOrganisationId == organisation || g.Members.Any(m => m.OrganisationId == organisation))
            .Select(g => g.Id)));

    /// <summary>The node ids of the enabled partners.</summary>
    private static readonly PerProvider<Func<RibatDbContext, IAsyncEnumerable<Guid>>> EnabledPartners = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db) => db.Partners.AsNoTracking().Where(p => p.Enabled).Select(p => p.NodeId)));
}
