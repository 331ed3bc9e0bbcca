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

            // The correlation index: value → postings, and within one value each owner's report (or standalone rows) by
            // its duplicate key. A look-up walks one value's postings and stops after the cap, however many there are;
            // recording a batch finds the rows it repeats by probing (value key, duplicate key) pairs. One index serves
            // both, because every recorded row adds an entry at a random place in each index it is in, and on a store
            // of millions those writes are most of what recording costs.
            indicator.HasIndex(i => new { i.ValueKey, i.DuplicateKey });

            // Addresses inside a network are one range scan in address order; names under a registered domain one
            // walk, newest first. Most values are neither, so these indexes hold only the rows that have one. On SQLite
            // the two are tables in a sorted and a recent part instead (KeyTablesModel, ADR 0018).
            indicator.HasIndex(i => i.Address).HasFilter("\"Address\" IS NOT NULL");
            indicator.HasIndex(i => new { i.RegisteredDomain, i.CreatedAt }).HasFilter("\"RegisteredDomain\" IS NOT NULL");
            // A report's indicators in order; standalone indicators (most of a store fed by API calls) stay out of it.
            indicator.HasIndex(i => new { i.ReportId, i.Id }).HasFilter("\"ReportId\" IS NOT NULL");

            // The current STIX versions, read in date-added order (TAXII pages, partner pushes), and an organisation's own
            // collection. Both are in time order, so recording appends to them.
            indicator.Property(i => i.ObservableId).HasMaxLength(Federation.StixObjectStore.MaxIdLength).IsUnicode(false);
            indicator.HasIndex(i => i.StixDateAdded).IsUnique();
            indicator.HasIndex(i => new { i.OwnerOrganisationId, i.StixDateAdded });

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
