using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cases;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Jobs;

internal static class JobModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context) =>
        builder.Entity<AnalysisJob>(row =>
        {
            row.ToTable("analysis_jobs", t => t.HasCheckConstraint("CK_analysis_jobs_parent", EvidenceParent.Constraint));
            row.HasKey(j => j.Id);
            SharingModel.SharedColumns(row, indexOwner: false);
            row.Property(j => j.Kind).HasConversion<string>().HasMaxLength(16);
            row.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
            row.Property(j => j.MinLevel).HasMaxLength(16);
            row.Property(j => j.StartedByName).HasMaxLength(256);
            row.Property(j => j.StartedByRoles).HasMaxLength(500);
            row.Property(j => j.Phase).HasMaxLength(16);
            row.Property(j => j.ProgressUnit).HasMaxLength(16);
            row.Property(j => j.Error).HasMaxLength(2000);
            row.HasIndex(j => new { j.CaseId, j.Id });
            row.HasIndex(j => new { j.Status, j.Id });
            row.HasIndex(j => new { j.IncidentId, j.Id });
            row.HasOne<Case>().WithMany().HasForeignKey(j => j.CaseId).OnDelete(DeleteBehavior.Restrict);
            row.HasOne<Incidents.Incident>().WithMany().HasForeignKey(j => j.IncidentId).OnDelete(DeleteBehavior.Restrict);
            row.HasQueryFilter(context.VisibleToScope<AnalysisJob>());
        });
}
