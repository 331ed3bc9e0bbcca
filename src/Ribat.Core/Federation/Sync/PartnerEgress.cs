using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// What may leave for one partner node, whether it pulls or we push: the one sharing policy asked for the partner node
/// as viewer, then narrowed by the partner's egress rules (distributions, sharing groups, TLP ceiling). Only this node's
/// own organisations' objects leave (one hop), and nothing goes back to the partner it came from.
/// </summary>
internal sealed class PartnerEgress
{
    private readonly Partner _partner;
    private readonly Viewer _viewer;
    private readonly Guid _localNode;

    private PartnerEgress(Partner partner, Viewer viewer, Guid localNode)
    {
        _partner = partner;
        _viewer = viewer;
        _localNode = localNode;
    }

    /// <summary>
    /// The partner node as the policy's viewer: the sharing groups with a member (or owner) hosted on it, and this node
    /// as the one it federates with — so an object owned on a third node is never forwarded.
    /// </summary>
    public static async Task<PartnerEgress> ForAsync(RibatDbContext db, Partner partner, Guid localNode, CancellationToken cancellationToken)
    {
        var node = partner.NodeId;
        var groups = await db.SharingGroups.IgnoreQueryFilters().AsNoTracking()
            .Where(g => g.OwnerNode == node || g.Members.Any(m => m.OrganisationNode == node))
            .Select(g => g.Id)
            .ToListAsync(cancellationToken);
        return new PartnerEgress(partner, Viewer.PartnerNode(node, groups, [localNode]), localNode);
    }

    /// <summary>
    /// The rows worth asking about, in SQL: local organisations' versions within the ceiling and the allowed
    /// distributions, and those addressed to an organisation the partner hosts, whatever their distribution and TLP.
    /// Nothing goes back to the partner it came from.
    /// </summary>
    public IQueryable<StixObjectRecord> Candidates(RibatDbContext db)
    {
        var partnerId = _partner.Id;
        return Worth(db, db.StixObjects.IgnoreQueryFilters().AsNoTracking()).Where(s => s.PartnerId == null || s.PartnerId != partnerId);
    }

    /// <summary>The indicator rows whose current versions (ADR 0017) are candidates by the same rule.</summary>
    public IQueryable<Indicators.Indicator> CandidateIndicators(RibatDbContext db) => Worth(db, db.Indicators.IgnoreQueryFilters().AsNoTracking());

    private IQueryable<T> Worth<T>(RibatDbContext db, IQueryable<T> rows)
        where T : class, ISharedObject
    {
        var ceiling = _partner.TlpCeiling;
        var connected = _partner.AllowedDistributions.Contains(PartnerRules.ConnectedCommunities);
        var groups = _partner.AllowedDistributions.Contains(PartnerRules.SharingGroup) ? _partner.AllowedSharingGroups.ToList() : [];
        var partnerNode = _partner.NodeId;
        return rows
            .Where(s => s.OwnerNode == null)
            .Where(s => (s.Tlp <= ceiling
                    && ((connected && s.Distribution == DistributionKind.ConnectedCommunities)
                        || (s.Distribution == DistributionKind.SharingGroup && s.SharingGroupId != null && groups.Contains(s.SharingGroupId.Value))))
                || db.ShareGrants.Any(g => g.ObjectId == s.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationNode == partnerNode));
    }

    /// <summary>Both sources of candidates, as the readers of versions take them.</summary>
    public VersionScope Scope(RibatDbContext db) => new(Candidates(db), CandidateIndicators(db), db);

    /// <summary>The policy's answer for each candidate, with its grants; only what may leave is kept, in the given order.</summary>
    public async Task<List<StixObjectRecord>> EligibleAsync(RibatDbContext db, IReadOnlyList<StixObjectRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var byObject = (await GrantsAsync(db, rows, cancellationToken)).ToLookup(g => g.ObjectId);
        return [.. rows.Where(r => MayLeave(r, byObject[r.Id]))];
    }

    /// <summary>
    /// Eligible rows as the partner receives them, once the caller knows which it sends: their JSON (rendered when read
    /// for local indicators' current versions), naming the recipients the partner hosts and nobody else.
    /// </summary>
    public async Task<List<StixObjectRecord>> OutgoingAsync(RibatDbContext db, IReadOnlyList<StixObjectRecord> eligible, CancellationToken cancellationToken)
    {
        var leaving = await RenderedVersions.FillAsync(db, eligible, _localNode, cancellationToken);
        var hosted = (await GrantsAsync(db, leaving, cancellationToken))
            .Where(g => g.Kind == ShareGrantKind.Recipient && g.OrganisationNode == _partner.NodeId)
            .ToLookup(g => g.ObjectId);
        foreach (var row in leaving)
        {
            // The rows are read without tracking: the partner's copy names the recipients it hosts, nobody else.
            if (hosted[row.Id].Any())
            {
                row.Json = RibatStixExtension.WithRecipients(row.Json, hosted[row.Id].Select(g => new OrganisationRef(g.OrganisationId, _partner.NodeId)));
            }
        }

        return leaving;
    }

    private static async Task<List<ShareGrant>> GrantsAsync(RibatDbContext db, IReadOnlyList<StixObjectRecord> rows, CancellationToken cancellationToken)
    {
        var grants = new List<ShareGrant>();
        foreach (var slice in rows.Select(r => r.Id).Chunk(500))
        {
            grants.AddRange(await db.ShareGrants.AsNoTracking().Where(g => slice.Contains(g.ObjectId)).ToListAsync(cancellationToken));
        }

        return grants;
    }

    public bool MayLeave(StixObjectRecord row, IEnumerable<ShareGrant> grants)
    {
        if (row.PartnerId == _partner.Id || row.OwnerNode is not null)
        {
            return false;
        }

        // The owner addressed an organisation the partner hosts: that is the owner's decision, not a broadcast the
        // partner's rules narrow, so neither the allowed distributions nor the TLP ceiling stop it.
        var grantList = grants as IReadOnlyCollection<ShareGrant> ?? grants.ToList();
        if (grantList.Any(g => g.Kind == ShareGrantKind.Recipient && g.OrganisationNode == _partner.NodeId))
        {
            return SharingPolicy.Decide(_viewer, SharedColumns.ToTerms(row, grantList, _localNode)).MaySee;
        }

        if (row.Tlp > _partner.TlpCeiling)
        {
            return false;
        }

        var allowed = row.Distribution switch
        {
            DistributionKind.ConnectedCommunities => _partner.AllowedDistributions.Contains(PartnerRules.ConnectedCommunities),
            DistributionKind.SharingGroup => _partner.AllowedDistributions.Contains(PartnerRules.SharingGroup)
                && row.SharingGroupId is { } group && _partner.AllowedSharingGroups.Contains(group),
            _ => false,
        };
        return allowed && SharingPolicy.Decide(_viewer, SharedColumns.ToTerms(row, grantList, _localNode)).MaySee;
    }
}
