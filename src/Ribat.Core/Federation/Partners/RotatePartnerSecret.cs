using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Partners;

/// <summary>Issues a new inbound secret for a partner (lost or leaked); the old one stops working at once.</summary>
public sealed class RotatePartnerSecret(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<PartnerWithSecret>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return Error.NotFound("The partner");
        }

        var secret = PartnerSecrets.NewSecret();
        partner.InboundPrefix = PartnerSecrets.Prefix(secret);
        partner.InboundSecretHash = PartnerSecrets.Hash(secret);
        partner.UpdatedAt = clock.GetUtcNow();
        audit.Add(db, actor, AuditEvents.PartnerSecretRotated, null, "partner", partner.Id.ToString(), new { name = partner.Name, prefix = partner.InboundPrefix });
        await db.SaveChangesAsync(cancellationToken);
        return new PartnerWithSecret(PartnerDto.From(partner, await PartnerRules.GroupNamesAsync(db, partner.AllowedSharingGroups, cancellationToken)), secret);
    }
}
