using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Findings;

internal static class FindingModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context) =>
        builder.Entity<Finding>(row =>
        {
            row.ToTable("findings", t => t.HasCheckConstraint("CK_findings_parent", EvidenceParent.Constraint));
            row.HasKey(f => f.Id);
            SharingModel.SharedColumns(row, indexOwner: false);
            row.Property(f => f.Kind).HasConversion<string>().HasMaxLength(16);
            row.Property(f => f.Title).HasMaxLength(1000);
            row.Property(f => f.Verdict).HasMaxLength(16);
            row.HasIndex(f => new { f.EvidenceId, f.Position });
            row.HasIndex(f => new { f.CaseId, f.Id });
            row.HasIndex(f => new { f.IncidentId, f.Id });
            row.HasOne<EvidenceItem>().WithMany().HasForeignKey(f => f.EvidenceId).OnDelete(DeleteBehavior.Restrict);
            row.HasQueryFilter(context.VisibleToScope<Finding>());
        });
}
