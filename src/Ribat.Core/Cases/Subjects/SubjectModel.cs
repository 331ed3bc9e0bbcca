using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;

namespace Ribat.Core.Cases.Subjects;

/// <summary>Tables of case subjects and their relationships.</summary>
internal static class SubjectModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<CaseSubject>(subject =>
        {
            subject.ToTable("case_subjects");
            subject.HasKey(s => s.Id);
            subject.Property(s => s.Kind).HasConversion<string>().HasMaxLength(24);
            subject.Property(s => s.Name).HasMaxLength(SubjectRules.MaxName);
            subject.Property(s => s.ValueType).HasMaxLength(32);
            subject.Property(s => s.Value).HasMaxLength(8192);
            subject.Property(s => s.Display).HasMaxLength(8192);
            subject.Property(s => s.AttributesJson).HasMaxLength(200_000);
            subject.Property(s => s.Notes).HasMaxLength(SubjectRules.MaxNotes);
            subject.Property(s => s.SourceKind).HasConversion<string>().HasMaxLength(16);
            subject.Property(s => s.SourceText).HasMaxLength(SubjectRules.MaxText);
            subject.HasIndex(s => new { s.CaseId, s.Id });

            // One subject per value and case: a value found again is the same subject.
            subject.HasIndex(s => new { s.CaseId, s.ValueKey }).IsUnique();
            subject.HasOne<Case>().WithMany().HasForeignKey(s => s.CaseId).OnDelete(DeleteBehavior.Cascade);

            // A subject is visible exactly when its case is: the case's sharing filter applies through this sub-query.
            subject.HasQueryFilter(s => context.Cases.Any(c => c.Id == s.CaseId));
        });

        builder.Entity<CaseRelationship>(link =>
        {
            link.ToTable("case_relationships");
            link.HasKey(r => r.Id);
            link.Property(r => r.Kind).HasMaxLength(32);
            link.Property(r => r.Notes).HasMaxLength(SubjectRules.MaxText);
            link.Property(r => r.SourceKind).HasConversion<string>().HasMaxLength(16);
            link.Property(r => r.SourceText).HasMaxLength(SubjectRules.MaxText);
            link.HasIndex(r => new { r.CaseId, r.Id });
            link.HasIndex(r => r.FromId);
            link.HasIndex(r => r.ToId);
            link.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Cascade);
            link.HasOne<CaseSubject>().WithMany().HasForeignKey(r => r.FromId).OnDelete(DeleteBehavior.Cascade);
            link.HasOne<CaseSubject>().WithMany().HasForeignKey(r => r.ToId).OnDelete(DeleteBehavior.Cascade);
            link.HasQueryFilter(r => context.Cases.Any(c => c.Id == r.CaseId));
        });
    }
}
