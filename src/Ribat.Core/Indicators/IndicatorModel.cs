using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Indicators;

internal static class IndicatorModel
{
    public const int MaxValueLength = 8192;

    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<Indicator>(indicator =>
        {
            indicator.ToTable("indicators");
            indicator.HasKey(i => i.Id);
            SharingModel.SharedColumns(indicator, indexOwner: false);
            indicator.Property(i => i.Type).HasMaxLength(24);
            indicator.Property(i => i.Value).HasMaxLength(MaxValueLength);
            indicator.Property(i => i.Display).HasMaxLength(MaxValueLength);
            indicator.Property(i => i.RegisteredDomain).HasMaxLength(253);
            indicator.Property(i => i.Address).HasMaxLength(32).IsUnicode(false);
            indicator.Property(i => i.Comment).HasMaxLength(4000);
            indicator.Property(i => i.WarningList).HasMaxLength(200);
            indicator.Property(i => i.SourceId).HasMaxLength(64);

            // The correlation index: value → postings, newest first. With the creation time in the key a look-up walks
            // the postings in the order it answers and stops after the cap, however many there are. The time (8 bytes)
            // rather than the id keeps the entries small: every recorded row adds one at a random place, and on SQLite
            // an index twice as wide costs twice the pages written per batch.
            indicator.HasIndex(i => new { i.ValueKey, i.CreatedAt });

            // Addresses inside a network are one range scan in address order; names under a registered domain one
            // walk, newest first. Most values are neither, so these indexes hold only the rows that have one.
            indicator.HasIndex(i => i.Address).HasFilter("\"Address\" IS NOT NULL");
            indicator.HasIndex(i => new { i.RegisteredDomain, i.CreatedAt }).HasFilter("\"RegisteredDomain\" IS NOT NULL");
            indicator.HasIndex(i => new { i.ReportId, i.Id });

            // The owner's index leads with the report and the value key, so recording a batch checks the owner's
            // existing rows by key probes instead of reading every row the owner has.
            indicator.HasIndex(i => new { i.OwnerOrganisationId, i.ReportId, i.ValueKey });
            indicator.HasOne<IntelligenceReport>().WithMany().HasForeignKey(i => i.ReportId).OnDelete(DeleteBehavior.Cascade);
            indicator.HasQueryFilter(context.VisibleToScope<Indicator>());
        });

        builder.Entity<IntelligenceReport>(report =>
        {
            report.ToTable("reports");
            report.HasKey(r => r.Id);
            SharingModel.SharedColumns(report);
            report.Property(r => r.Title).HasMaxLength(300);
            report.Property(r => r.Description).HasMaxLength(100_000);
            report.Property(r => r.ThreatActor).HasMaxLength(200);
            report.Property(r => r.MalwareFamily).HasMaxLength(200);
            report.Property(r => r.SourceId).HasMaxLength(64);
            report.HasIndex(r => r.SourceId);
            report.HasQueryFilter(context.VisibleToScope<IntelligenceReport>());
        });

        builder.Entity<Sighting>(sighting =>
        {
            sighting.ToTable("sightings");
            sighting.HasKey(s => s.Id);
            SharingModel.SharedColumns(sighting);
            sighting.Property(s => s.Type).HasMaxLength(24);
            sighting.Property(s => s.Value).HasMaxLength(MaxValueLength);
            sighting.Property(s => s.Kind).HasConversion<int>();
            sighting.Property(s => s.Source).HasMaxLength(500);
            sighting.Property(s => s.Comment).HasMaxLength(4000);
            sighting.HasIndex(s => s.ValueKey);
            sighting.HasIndex(s => new { s.IndicatorId, s.Id });
            sighting.HasOne<Indicator>().WithMany().HasForeignKey(s => s.IndicatorId).OnDelete(DeleteBehavior.Cascade);
            sighting.HasQueryFilter(context.VisibleToScope<Sighting>());
        });

        builder.Entity<WarningListRecord>(list =>
        {
            list.ToTable("warning_lists");
            list.HasKey(l => l.Id);
            list.Property(l => l.Name).HasMaxLength(200);
            list.Property(l => l.Version).HasMaxLength(64);
            list.Property(l => l.Description).HasMaxLength(2000);
            list.Property(l => l.Kind).HasMaxLength(16);
            list.HasIndex(l => l.Name).IsUnique();
        });
    }
}
