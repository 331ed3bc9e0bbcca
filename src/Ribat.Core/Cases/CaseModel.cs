using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Cases;

/// <summary>Tables of cases, their teams, evidence items and custody entries.</summary>
internal static class CaseModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<Case>(row =>
        {
            row.ToTable("cases");
            row.HasKey(c => c.Id);
            SharingModel.SharedColumns(row);
            row.Property(c => c.Title).HasMaxLength(300);
            row.Property(c => c.Summary).HasMaxLength(20_000);
            row.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            row.Property(c => c.StatusReason).HasMaxLength(2000);
            row.Property(c => c.UpdatedAt).IsConcurrencyToken();
            row.HasMany(c => c.Team).WithOne().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);
            row.HasIndex(c => new { c.OwnerOrganisationId, c.Status });
            row.HasQueryFilter(context.VisibleToScope<Case>());
        });

        builder.Entity<CaseMember>(member =>
        {
            member.ToTable("case_members");
            member.HasKey(m => new { m.CaseId, m.UserId });
            member.HasIndex(m => m.UserId);
        });

        builder.Entity<EvidenceItem>(item =>
        {
            item.ToTable("evidence_items", t => t.HasCheckConstraint("CK_evidence_items_parent", EvidenceParent.Constraint));
            item.HasKey(e => e.Id);
            SharingModel.SharedColumns(item, indexOwner: false);
            item.Property(e => e.FileName).HasMaxLength(255);
            item.Property(e => e.Description).HasMaxLength(4000);
            item.Property(e => e.Md5).HasMaxLength(32).IsUnicode(false);
            item.Property(e => e.Sha1).HasMaxLength(40).IsUnicode(false);
            item.Property(e => e.Sha256).HasMaxLength(64).IsUnicode(false);
            item.Property(e => e.AcquiredByName).HasMaxLength(256);
            item.Property(e => e.AcquiredWhere).HasMaxLength(500);
            item.Property(e => e.Method).HasMaxLength(500);
            item.Property(e => e.Tool).HasMaxLength(500);
            item.Property(e => e.ToolVersion).HasMaxLength(500);
            item.Property(e => e.SourceDevice).HasMaxLength(500);
            item.Property(e => e.SealNumber).HasMaxLength(500);
            item.Property(e => e.CurrentSeal).HasMaxLength(500);
            item.Property(e => e.Notes).HasMaxLength(4000);
            item.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
            item.Property(e => e.CustodyCount).IsConcurrencyToken();
            item.HasIndex(e => new { e.CaseId, e.Id });
            item.HasIndex(e => e.Sha256);
            item.HasIndex(e => e.OwnerOrganisationId);
            item.HasIndex(e => new { e.IncidentId, e.Id });
            item.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
            item.HasOne<Incidents.Incident>().WithMany().HasForeignKey(e => e.IncidentId).OnDelete(DeleteBehavior.Restrict);
            item.HasQueryFilter(context.VisibleToScope<EvidenceItem>());
        });

        builder.Entity<CustodyEntry>(entry =>
        {
            entry.ToTable("custody_entries");
            entry.HasKey(e => e.Id);
            entry.HasIndex(e => new { e.EvidenceId, e.Sequence }).IsUnique();
            entry.Property(e => e.Action).HasConversion<string>().HasMaxLength(16);
            entry.Property(e => e.ActorName).HasMaxLength(256);
            entry.Property(e => e.SealNumber).HasMaxLength(500);
            entry.Property(e => e.Notes).HasMaxLength(4000);
            entry.Property(e => e.VerifiedSha256).HasMaxLength(64).IsUnicode(false);
            entry.Property(e => e.AcquisitionDigest).HasMaxLength(64).IsUnicode(false);
            entry.Property(e => e.PreviousHash).HasMaxLength(64).IsUnicode(false);
            entry.Property(e => e.Hash).HasMaxLength(64).IsUnicode(false);
            entry.HasOne<EvidenceItem>().WithMany().HasForeignKey(e => e.EvidenceId).OnDelete(DeleteBehavior.Restrict);

            // An entry is visible exactly when its item is: the item's filter applies through this sub-query.
            entry.HasQueryFilter(e => context.EvidenceItems.Any(i => i.Id == e.EvidenceId));
        });
    }
}
