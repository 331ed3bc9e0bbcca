using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Node;
using Ribat.Core.Sharing;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Partners;

/// <summary>
/// Changes a partner's name, URL, outbound credential, public key or what may flow to it; absent fields stay.
/// The audit row names what changed, never the credential.
/// </summary>
public sealed class UpdatePartner(RibatDatabase database, LocalNode node, PartnerCredentials credentials, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<PartnerDto>> HandleAsync(Actor actor, Guid id, PartnerInput input, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var local = await node.IdAsync(cancellationToken);
        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return Error.NotFound("The partner");
        }

        var v = await PartnerRules.ValidateAsync(db, input, adding: false, local, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var changed = new List<string>();
        if (input.Name is not null && input.Name.Trim() != partner.Name)
        {
            var name = input.Name.Trim();
            if (await AddPartner.ConflictAsync(db, name, partner.NodeId, cancellationToken, except: partner.Id) is { } conflict)
            {
                return conflict;
            }

            partner.Name = name;
            changed.Add("name");
        }

        if (input.ApiRoot is not null && PartnerRules.NormaliseApiRoot(input.ApiRoot, out _) is { } root && root != partner.ApiRoot)
        {
            partner.ApiRoot = root;
            changed.Add("apiRoot");
        }

        if (input.UserName is not null && (input.UserName.Length == 0 ? null : input.UserName) != partner.OutboundUser)
        {
            partner.OutboundUser = input.UserName.Length == 0 ? null : input.UserName;
            changed.Add("userName");
        }

        if (input.Credential is not null)
        {
            partner.OutboundCredential = credentials.Protect(input.Credential);
            changed.Add("credential");
        }

        if (input.PublicKey is not null && PartnerRules.Fingerprint(input.PublicKey) is var fingerprint && fingerprint != partner.PublicKeyFingerprint)
        {
            partner.PublicKeyPem = input.PublicKey.Trim() + "\n";
            partner.PublicKeyFingerprint = fingerprint;
            changed.Add("publicKey");
        }

        if (input.Distributions is not null && PartnerRules.DistributionsOf(input.Distributions) is var distributions && !distributions.SequenceEqual(partner.AllowedDistributions))
        {
            partner.AllowedDistributions = distributions;
            changed.Add("distributions");
        }

        if (input.SharingGroups is not null && input.SharingGroups.Distinct().Order().ToList() is var groups && !groups.SequenceEqual(partner.AllowedSharingGroups.Order()))
        {
            partner.AllowedSharingGroups = groups;
            changed.Add("sharingGroups");
        }

        if (input.TlpCeiling is not null && PartnerRules.CeilingOf(input.TlpCeiling) is var ceiling && ceiling != partner.TlpCeiling)
        {
            partner.TlpCeiling = ceiling;
            changed.Add("tlpCeiling");
        }

        if (changed.Count > 0)
        {
            partner.UpdatedAt = clock.GetUtcNow();
            audit.Add(db, actor, AuditEvents.PartnerUpdated, null, "partner", partner.Id.ToString(), new
            {
                changed,
                apiRoot = changed.Contains("apiRoot") ? partner.ApiRoot : null,
                fingerprint = changed.Contains("publicKey") ? partner.PublicKeyFingerprint : null,
                tlpCeiling = partner.TlpCeiling.Spell(),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                return Error.Conflict($"A partner named '{partner.Name}' already exists.");
            }
        }

        return PartnerDto.From(partner, await PartnerRules.GroupNamesAsync(db, partner.AllowedSharingGroups, cancellationToken));
    }
}
