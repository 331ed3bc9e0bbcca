using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Partners;

/// <summary>The partner that presented an inbound secret, as the TAXII server needs it to decide and to verify signatures.</summary>
public sealed record AuthenticatedPartner(Guid Id, string Name, Guid NodeId, string PublicKeyPem, string PublicKeyFingerprint);

/// <summary>
/// Turns a presented inbound secret into its enabled partner, or null. Read on every request, so disabling a
/// partner or rotating its secret takes effect at once.
/// </summary>
public sealed class AuthenticatePartner(RibatDatabase database, TimeProvider clock)
{
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public async Task<AuthenticatedPartner?> HandleAsync(string? secret, CancellationToken cancellationToken = default)
    {
        if (secret is null || !secret.StartsWith(PartnerSecrets.Marker, StringComparison.Ordinal) || secret.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = PartnerSecrets.Hash(secret);
        await using var db = database.Open(TenantScope.NodeWide("partner authentication"));
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.InboundSecretHash == hash, cancellationToken);
        if (partner is null || !partner.Enabled)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (partner.LastInboundAt is null || now - partner.LastInboundAt.Value > TouchInterval)
        {
            partner.LastInboundAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new AuthenticatedPartner(partner.Id, partner.Name, partner.NodeId, partner.PublicKeyPem, partner.PublicKeyFingerprint);
    }
}
