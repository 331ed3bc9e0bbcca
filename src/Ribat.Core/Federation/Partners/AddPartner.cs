using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Node;
using Ribat.Core.Sharing;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Partners;

/// <summary>A node administrator records a partner node; the inbound secret it will present to us is generated and shown once.</summary>
public sealed class AddPartner(RibatDatabase database, LocalNode node, PartnerCredentials credentials, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<PartnerWithSecret>> HandleAsync(Actor actor, PartnerInput input, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var local = await node.IdAsync(cancellationToken);
        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var v = await PartnerRules.ValidateAsync(db, input, adding: true, local, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var name = input.Name!.Trim();
        if (await ConflictAsync(db, name, input.NodeId!.Value, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        var now = clock.GetUtcNow();
        var secret = PartnerSecrets.NewSecret();
        var partner = new Partner
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            NodeId = input.NodeId.Value,
            ApiRoot = PartnerRules.NormaliseApiRoot(input.ApiRoot, out _)!,
            OutboundUser = string.IsNullOrEmpty(input.UserName) ? null : input.UserName,
            OutboundCredential = credentials.Protect(input.Credential!),
            PublicKeyPem = input.PublicKey!.Trim() + "\n",
            PublicKeyFingerprint = PartnerRules.Fingerprint(input.PublicKey),
            AllowedDistributions = PartnerRules.DistributionsOf(input.Distributions),
            AllowedSharingGroups = (input.SharingGroups ?? []).Distinct().ToList(),
            TlpCeiling = PartnerRules.CeilingOf(input.TlpCeiling),
            Enabled = true,
            InboundPrefix = PartnerSecrets.Prefix(secret),
            InboundSecretHash = PartnerSecrets.Hash(secret),
            CreatedBy = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Partners.Add(partner);
        audit.Add(db, actor, AuditEvents.PartnerAdded, null, "partner", partner.Id.ToString(), new
        {
            name,
            nodeId = partner.NodeId,
            apiRoot = partner.ApiRoot,
            fingerprint = partner.PublicKeyFingerprint,
            distributions = partner.AllowedDistributions,
            sharingGroups = partner.AllowedSharingGroups,
            tlpCeiling = partner.TlpCeiling.Spell(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict($"A partner named '{name}' or for node {partner.NodeId} already exists.");
        }

        var groups = await PartnerRules.GroupNamesAsync(db, partner.AllowedSharingGroups, cancellationToken);
        return new PartnerWithSecret(PartnerDto.From(partner, groups), secret);
    }

    internal static async Task<Error?> ConflictAsync(RibatDbContext db, string name, Guid nodeId, CancellationToken cancellationToken, Guid? except = null)
    {
        var clash = await db.Partners.AsNoTracking()
            .Where(p => p.Id != except && (p.Name == name || p.NodeId == nodeId))
            .Select(p => new { p.Name, p.NodeId })
            .FirstOrDefaultAsync(cancellationToken);
        return clash is null ? null
            : clash.NodeId == nodeId ? Error.Conflict($"Node {nodeId} is already recorded as the partner '{clash.Name}'.")
            : Error.Conflict($"A partner named '{name}' already exists.");
    }
}
