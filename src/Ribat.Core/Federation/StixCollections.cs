using System.Text;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Stix.Identifiers;

namespace Ribat.Core.Federation;

public enum StixCollectionKind
{
    /// <summary>Everything the organisation owns, whatever its distribution.</summary>
    Organisation,

    /// <summary>Objects distributed to this node's community (or further).</summary>
    Community,

    /// <summary>Objects distributed to one sharing group.</summary>
    SharingGroup,

    /// <summary>A partner node's exchange: what may leave for it, and where it posts (see <c>Sync/PartnerExchange</c>).</summary>
    Partner,
}

/// <summary>
/// A TAXII collection: a view of the store along the sharing model, read through the sharing predicate. Its id is
/// the organisation's or the sharing group's id, or (the community) a UUIDv5 of the node id, so it never changes.
/// </summary>
public sealed record StixCollection(Guid Id, StixCollectionKind Kind, string Title, string Description, bool CanRead, bool CanWrite)
{
    /// <summary>The terms an object posted here is stored under (before its own markings tighten them).</summary>
    internal SharingTerms DefaultTerms(OrganisationRef owner) => Kind switch
    {
        StixCollectionKind.Community => new SharingTerms(owner, Tlp.Green, Pap.Amber, Distribution.Community),
        StixCollectionKind.SharingGroup => new SharingTerms(owner, Tlp.Amber, Pap.Amber, Distribution.ToSharingGroup(Id)),
        _ => new SharingTerms(owner, Tlp.Amber, Pap.Amber, Distribution.OrganisationOnly),
    };

    /// <summary>
    /// Which rows belong to the collection, in either place versions live (<c>stix_objects</c>, and the indicator rows
    /// that serve their current versions); what the viewer may see is the query filter's business.
    /// </summary>
    /// <remarks>The organisation's own collection also holds what was addressed to it by name, here or from a partner node.</remarks>
    internal IQueryable<T> Select<T>(IQueryable<T> rows, IQueryable<ShareGrant> grants, Guid organisation)
        where T : class, ISharedObject => Kind switch
        {
            StixCollectionKind.Community => rows.Where(s => s.Distribution == DistributionKind.Community || s.Distribution == DistributionKind.ConnectedCommunities),
            StixCollectionKind.SharingGroup => rows.Where(s => s.Distribution == DistributionKind.SharingGroup && s.SharingGroupId == Id),
            _ => rows.Where(s => s.OwnerOrganisationId == organisation
                || grants.Any(g => g.ObjectId == s.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationId == organisation && g.OrganisationNode == null)),
        };
}

/// <summary>
/// The collections an organisation's actor has: its own, the node community, and each sharing group it belongs to.
/// Reading needs membership only; writing needs a role that may write intelligence and a token that may write. So
/// every organisation whose members may publish has its own collection to read and write.
/// </summary>
public sealed class StixCollections(SharingAccess sharing, Node.LocalNode node)
{
    private static readonly Guid CommunityNamespace = new("1b0f6a3e-8c52-4d7e-9f14-5a2b3c4d6e70");

    public async Task<IReadOnlyList<StixCollection>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is not { } organisation)
        {
            return [];
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var canWrite = MayWrite(actor);
        var groups = await session.Db.SharingGroups.AsNoTracking().OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken);
        var collections = new List<StixCollection>
        {
            Own(organisation, await OrganisationNameAsync(session, organisation, cancellationToken), canWrite),
            Community(await CommunityIdAsync(cancellationToken), canWrite),
        };
        collections.AddRange(groups.Select(g => Group(g.Id, g.Name, canWrite)));
        return collections;
    }

    /// <summary>The collection with <paramref name="id"/> if the actor has it; null otherwise (a collection one may not see does not exist).</summary>
    public async Task<StixCollection?> FindAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        return await FindAsync(session, actor, id, titled: true, cancellationToken);
    }

    /// <summary>
    /// The same answer as <see cref="ListAsync"/> would give for one id, through a session the caller already holds
    /// (so a request reads its viewer's facts once), without reading the collections it does not ask for. Unless
    /// <paramref name="titled"/>, the organisation's own collection comes without its name in the title, which nothing
    /// but a description of the collection shows: a page read does not pay for it.
    /// </summary>
    public async Task<StixCollection?> FindAsync(ContentSession session, Actor actor, Guid id, bool titled = true, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is not { } organisation || session.Organisation?.Id != organisation)
        {
            return null;
        }

        var canWrite = MayWrite(actor);
        if (id == organisation)
        {
            return Own(organisation, titled ? await OrganisationNameAsync(session, organisation, cancellationToken) : "Organisation", canWrite);
        }

        if (id == await CommunityIdAsync(cancellationToken))
        {
            return Community(id, canWrite);
        }

        var group = await session.Db.SharingGroups.AsNoTracking().Where(g => g.Id == id).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken);
        return group is null ? null : Group(id, group, canWrite);
    }

    private static bool MayWrite(Actor actor) => IntelligenceRoles.MayWrite(actor) && actor.RequireWrite() is null;

    private static async Task<string> OrganisationNameAsync(ContentSession session, Guid organisation, CancellationToken cancellationToken) =>
        await session.Db.Organisations.Where(o => o.Id == organisation).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken) ?? "Organisation";

    private static StixCollection Own(Guid organisation, string name, bool canWrite) =>
        new(organisation, StixCollectionKind.Organisation, $"{name}: own intelligence", "Every STIX object the organisation owns, whatever its distribution, and every object addressed to it by name.", true, canWrite);

    private static StixCollection Community(Guid id, bool canWrite) =>
        new(id, StixCollectionKind.Community, "Node community", "Objects distributed to every organisation on this node (and connected communities).", true, canWrite);

    private static StixCollection Group(Guid id, string name, bool canWrite) =>
        new(id, StixCollectionKind.SharingGroup, $"Sharing group: {name}", "Objects distributed to the members of this sharing group.", true, canWrite);

    private async Task<Guid> CommunityIdAsync(CancellationToken cancellationToken)
    {
        var local = await node.IdAsync(cancellationToken);
        return StixIdentifier.UuidV5(CommunityNamespace, Encoding.UTF8.GetBytes(local.ToString("D")));
    }
}
