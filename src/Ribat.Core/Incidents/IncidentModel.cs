using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Incidents;

/// <summary>Tables of incidents, their participants, timeline, tasks, situation reports and links.</summary>
internal static class IncidentModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<Incident>(row =>
        {
            row.ToTable("incidents");
            row.HasKey(i => i.Id);
            SharingModel.SharedColumns(row);
            row.Property(i => i.StixId).HasMaxLength(64).IsUnicode(false);
            row.HasIndex(i => i.StixId).IsUnique();
            row.Property(i => i.Title).HasMaxLength(300);
            row.Property(i => i.Description).HasMaxLength(20_000);
            row.Property(i => i.Category).HasMaxLength(80);
            row.Property(i => i.Severity).HasConversion<string>().HasMaxLength(16);
            row.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            row.Property(i => i.StatusReason).HasMaxLength(2000);
            row.Property(i => i.UpdatedAt).IsConcurrencyToken();
            row.HasMany(i => i.Participants).WithOne().HasForeignKey(p => p.IncidentId).OnDelete(DeleteBehavior.Cascade);
            row.HasIndex(i => new { i.OwnerOrganisationId, i.Status });
            row.HasIndex(i => i.ExerciseId).HasFilter("\"ExerciseId\" IS NOT NULL");
            row.HasQueryFilter(context.VisibleToScope<Incident>());
        });

        builder.Entity<IncidentParticipant>(p =>
        {
            p.ToTable("incident_participants");
            p.HasKey(x => new { x.IncidentId, x.OrganisationId });
            p.HasIndex(x => x.OrganisationId);
        });

        // Everything worked on an incident is visible exactly when the incident is: its filter applies through a sub-query.
        builder.Entity<TimelineEntry>(e =>
        {
            e.ToTable("incident_timeline");
            e.HasKey(x => x.Id);
            e.Property(x => x.StixId).HasMaxLength(80).IsUnicode(false);
            e.HasIndex(x => x.StixId).IsUnique();
            e.Property(x => x.AuthorName).HasMaxLength(256);
            e.Property(x => x.Source).HasMaxLength(500);
            e.Property(x => x.Text).HasMaxLength(10_000);
            e.HasIndex(x => new { x.IncidentId, x.OccurredAt });
            e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => context.Incidents.Any(i => i.Id == x.IncidentId));
        });

        builder.Entity<IncidentTask>(t =>
        {
            t.ToTable("incident_tasks");
            t.HasKey(x => x.Id);
            t.Property(x => x.StixId).HasMaxLength(80).IsUnicode(false);
            t.HasIndex(x => x.StixId).IsUnique();
            t.Property(x => x.Title).HasMaxLength(300);
            t.Property(x => x.Description).HasMaxLength(10_000);
            t.Property(x => x.Role).HasMaxLength(64);
            t.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            t.Property(x => x.UpdatedAt).IsConcurrencyToken();
            t.HasIndex(x => new { x.IncidentId, x.Id });
            t.HasIndex(x => new { x.AssigneeOrganisationId, x.Status });
            t.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
            t.HasQueryFilter(x => context.Incidents.Any(i => i.Id == x.IncidentId));
        });

        builder.Entity<SituationReport>(s =>
        {
            s.ToTable("incident_sitreps");
            s.HasKey(x => x.Id);
            s.Property(x => x.StixId).HasMaxLength(80).IsUnicode(false);
            s.HasIndex(x => x.StixId).IsUnique();
            s.Property(x => x.Title).HasMaxLength(300);
            s.Property(x => x.Body).HasMaxLength(100_000);
            s.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            s.Property(x => x.UpdatedAt).IsConcurrencyToken();
            s.HasIndex(x => new { x.IncidentId, x.OrganisationId, x.Version }).IsUnique();
            s.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);

            // A draft stays with its organisation; published versions go to everyone who sees the incident.
            s.HasQueryFilter(x => context.Incidents.Any(i => i.Id == x.IncidentId)
                && (context.ScopeNodeWide || x.State == SituationReportState.Published || x.OrganisationId == context.ScopeOrganisationId));
        });

        builder.Entity<IncidentLink>(l =>
        {
            l.ToTable("incident_links");
            l.HasKey(x => x.Id);
            l.Property(x => x.StixId).HasMaxLength(80).IsUnicode(false);
            l.HasIndex(x => x.StixId).IsUnique();
            l.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            l.Property(x => x.TargetStixId).HasMaxLength(100).IsUnicode(false);
            l.Property(x => x.ValueType).HasMaxLength(24);
            l.Property(x => x.Value).HasMaxLength(Indicators.IndicatorModel.MaxValueLength);
            l.HasIndex(x => new { x.IncidentId, x.LinkedAt });
            l.HasIndex(x => x.TargetId);
            l.HasIndex(x => x.TargetStixId);
            l.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
            l.HasQueryFilter(x => context.Incidents.Any(i => i.Id == x.IncidentId));
        });
    }
}
