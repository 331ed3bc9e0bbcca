using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Node;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Partners;

/// <summary>Partners as node administrators see them (credentials never included), and this node's own identity.</summary>
public sealed class ReadPartners(RibatDatabase database, LocalNode node)
{
    public async Task<Result<Page<PartnerDto>>> ListAsync(Actor actor, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseRead(actor) is { } refused)
        {
            return refused;
        }

        var request = Cursor.ReadGuidPage(cursor, limit);
        if (request.Error is { } invalid)
        {
            return invalid;
        }

        var (after, take) = request.Value;
        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var query = db.Partners.AsNoTracking();
        if (after is { } last)
        {
            query = query.Where(p => p.Id.CompareTo(last) > 0);
        }

        var rows = await query.OrderBy(p => p.Id).Take(take + 1).ToListAsync(cancellationToken);
        var page = rows.Take(take).ToList();
        var groups = await PartnerRules.GroupNamesAsync(db, page.SelectMany(p => p.AllowedSharingGroups), cancellationToken);
        return new Page<PartnerDto>(page.Select(p => PartnerDto.From(p, groups)).ToList(), rows.Count > take ? Cursor.Encode(page[^1].Id) : null);
    }

    public async Task<Result<PartnerDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseRead(actor) is { } refused)
        {
            return refused;
        }

        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return Error.NotFound("The partner");
        }

        return PartnerDto.From(partner, await PartnerRules.GroupNamesAsync(db, partner.AllowedSharingGroups, cancellationToken));
    }

    /// <summary>Every sharing group on the node, by name, for choosing which may flow to a partner.</summary>
    public async Task<Result<IReadOnlyList<SharingGroupName>>> SharingGroupChoicesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseRead(actor) is { } refused)
        {
            return refused;
        }

        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var groups = await db.SharingGroups.AsNoTracking().OrderBy(g => g.Name).Select(g => new SharingGroupName(g.Id, g.Name)).ToListAsync(cancellationToken);
        return groups;
    }

    /// <summary>What a node administrator hands to partners: this node's id and public key (the key comes from the host).</summary>
    public async Task<Result<NodeIdentityDto>> IdentityAsync(Actor actor, NodeKey key, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseRead(actor) is { } refused)
        {
            return refused;
        }

        return new NodeIdentityDto(await node.IdAsync(cancellationToken), key.PublicKeyPem, key.Fingerprint);
    }
}
