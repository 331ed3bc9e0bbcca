using Microsoft.EntityFrameworkCore;

namespace Ribat.Core.Federation.Partners;

/// <summary>The partners table. Its query filter (node-wide contexts only) is set by the context, beside the others.</summary>
internal static class PartnerModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Partner>(partner =>
        {
            partner.ToTable("partners");
            partner.HasKey(p => p.Id);
            partner.Property(p => p.Name).HasMaxLength(PartnerRules.MaxName);
            partner.Property(p => p.ApiRoot).HasMaxLength(PartnerRules.MaxUrl);
            partner.Property(p => p.OutboundUser).HasMaxLength(PartnerRules.MaxUser);
            partner.Property(p => p.OutboundCredential).HasMaxLength(8000);
            partner.Property(p => p.PublicKeyPem).HasMaxLength(Stix.Signing.PublicKeys.MaxPemLength);
            partner.Property(p => p.PublicKeyFingerprint).HasMaxLength(64).IsUnicode(false);
            partner.Property(p => p.TlpCeiling).HasConversion<string>().HasMaxLength(16);
            partner.Property(p => p.InboundPrefix).HasMaxLength(16);
            partner.Property(p => p.InboundSecretHash).HasMaxLength(64).IsUnicode(false);
            partner.HasIndex(p => p.Name).IsUnique();
            partner.HasIndex(p => p.NodeId).IsUnique();
            partner.HasIndex(p => p.InboundSecretHash).IsUnique();
        });
    }
}
