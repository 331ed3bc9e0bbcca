using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Partners;

/// <summary>
/// Disables a partner (nothing flows either way and its inbound secret stops working, at once) or enables it
/// again; the record and its history stay. Doing what is already done changes nothing and writes no audit row.
/// </summary>
public sealed class ChangePartnerState(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<PartnerDto>> HandleAsync(Actor actor, Guid id, bool enabled, string? reason, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var v = new Validation();
        v.Require(reason is null || reason.Length <= 500, "reason", "reason is at most 500 characters.");
        v.RequirePrintable(reason, "reason");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return Error.NotFound("The partner");
        }

        if (partner.Enabled != enabled)
        {
            var now = clock.GetUtcNow();
            partner.Enabled = enabled;
            partner.DisabledAt = enabled ? null : now;
            partner.UpdatedAt = now;
            audit.Add(db, actor, enabled ? AuditEvents.PartnerEnabled : AuditEvents.PartnerDisabled, null, "partner", partner.Id.ToString(),
                new { name = partner.Name, reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() });
            await db.SaveChangesAsync(cancellationToken);
        }

        return PartnerDto.From(partner, await PartnerRules.GroupNamesAsync(db, partner.AllowedSharingGroups, cancellationToken));
    }
}
