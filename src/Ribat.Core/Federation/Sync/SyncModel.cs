using Microsoft.EntityFrameworkCore;
using Ribat.Core.Federation.Partners;

namespace Ribat.Core.Federation.Sync;

/// <summary>Sync cursors, delivery records and partner organisations: node-wide like partners; their query filters are set by the context.</summary>
internal static class SyncModel
{
    public const int MaxCollectionId = 200;
    public const int MaxStixId = 300;
    public const int MaxTimestamp = 40;

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<SyncCursor>(cursor =>
        {
            cursor.ToTable("partner_sync_cursors");
            cursor.HasKey(c => new { c.PartnerId, c.CollectionId });
            cursor.Property(c => c.CollectionId).HasMaxLength(MaxCollectionId);
            cursor.Property(c => c.AddedAfter).HasMaxLength(MaxTimestamp).IsUnicode(false);
            cursor.HasOne<Partner>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Delivery>(delivery =>
        {
            delivery.ToTable("partner_deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Direction).HasConversion<string>().HasMaxLength(16);
            delivery.Property(d => d.StixId).HasMaxLength(MaxStixId).IsUnicode(false);
            delivery.Property(d => d.Modified).HasMaxLength(MaxTimestamp).IsUnicode(false);
            delivery.HasIndex(d => new { d.PartnerId, d.Direction, d.StixId, d.Modified }).IsUnique();
            delivery.HasIndex(d => new { d.PartnerId, d.Direction, d.DeliveredAt });
            delivery.HasOne<Partner>().WithMany().HasForeignKey(d => d.PartnerId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PartnerSyncState>(state =>
        {
            state.ToTable("partner_sync_states");
            state.HasKey(s => s.PartnerId);
            state.Property(s => s.RemoteCollectionId).HasMaxLength(MaxCollectionId);
            state.Property(s => s.LastError).HasMaxLength(1100);
            state.HasOne<Partner>().WithMany().HasForeignKey(s => s.PartnerId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PartnerOrganisation>(organisation =>
        {
            organisation.ToTable("partner_organisations");
            organisation.HasKey(o => new { o.NodeId, o.Id });
            organisation.Property(o => o.Name).HasMaxLength(OrganisationExchange.MaxName);
            organisation.Property(o => o.Country).HasMaxLength(2).IsUnicode(false);
            organisation.Property(o => o.Kind).HasMaxLength(32).IsUnicode(false);
            organisation.HasIndex(o => o.Id);
            organisation.HasIndex(o => new { o.PartnerId, o.Name });
            organisation.HasOne<Partner>().WithMany().HasForeignKey(o => o.PartnerId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
