using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Cases.Joint;

/// <summary>Tables of joint investigations: cases held for a partner's lead, and the entries members write for the team.</summary>
internal static class JointModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<JointCase>(row =>
        {
            row.ToTable("joint_cases");
            row.HasKey(c => c.Id);
            SharingModel.SharedColumns(row);
            row.Property(c => c.Title).HasMaxLength(JointRules.MaxTitle);
            row.Property(c => c.Status).HasMaxLength(16);
            row.Property(c => c.LeadInvestigator).HasMaxLength(JointRules.MaxName);
            row.Property(c => c.MembersJson).HasMaxLength(200_000);
            row.Property(c => c.EvidenceJson).HasMaxLength(2_000_000);
            row.Property(c => c.Modified).HasMaxLength(40).IsUnicode(false);
            row.HasQueryFilter(context.VisibleToScope<JointCase>());
        });

        builder.Entity<JointEntry>(entry =>
        {
            entry.ToTable("joint_entries");
            entry.HasKey(e => e.Id);
            SharingModel.SharedColumns(entry);
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
            entry.Property(e => e.Text).HasMaxLength(JointRules.MaxText);
            entry.Property(e => e.AuthorName).HasMaxLength(JointRules.MaxName);
            entry.Property(e => e.Modified).HasMaxLength(40).IsUnicode(false);
            entry.HasIndex(e => new { e.CaseId, e.ModifiedAt });
            entry.HasQueryFilter(context.VisibleToScope<JointEntry>());
        });
    }
}
