using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cases;
using Ribat.Core.Data;

namespace Ribat.Core.CaseWork;

/// <summary>
/// Tables of a case's tasks, notes (with every revision) and analyst timeline entries. Each row is visible exactly
/// when its case is: the case's sharing filter applies through a sub-query, as for custody entries.
/// </summary>
internal static class CaseWorkModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<CaseTask>(task =>
        {
            task.ToTable("case_tasks");
            task.HasKey(t => t.Id);
            task.Property(t => t.Title).HasMaxLength(CaseWorkRules.MaxTitle);
            task.Property(t => t.Description).HasMaxLength(CaseWorkRules.MaxDescription);
            task.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
            task.Property(t => t.CreatedByName).HasMaxLength(256);
            task.Property(t => t.UpdatedByName).HasMaxLength(256);
            task.Property(t => t.UpdatedAt).IsConcurrencyToken();
            task.HasIndex(t => new { t.CaseId, t.Id });
            task.HasIndex(t => t.AssigneeUserId);
            task.HasOne<Case>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.Cascade);
            task.HasQueryFilter(t => context.Cases.Any(c => c.Id == t.CaseId));
        });

        builder.Entity<CaseNote>(note =>
        {
            note.ToTable("case_notes");
            note.HasKey(n => n.Id);
            note.Property(n => n.Revision).IsConcurrencyToken();
            note.HasIndex(n => new { n.CaseId, n.Id });
            note.HasMany(n => n.Revisions).WithOne().HasForeignKey(r => r.NoteId).OnDelete(DeleteBehavior.Cascade);
            note.HasOne<Case>().WithMany().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
            note.HasQueryFilter(n => context.Cases.Any(c => c.Id == n.CaseId));
        });

        builder.Entity<CaseNoteRevision>(revision =>
        {
            revision.ToTable("case_note_revisions");
            revision.HasKey(r => new { r.NoteId, r.Number });
            revision.Property(r => r.Title).HasMaxLength(CaseWorkRules.MaxTitle);
            revision.Property(r => r.Text).HasMaxLength(CaseWorkRules.MaxNote);
            revision.Property(r => r.AuthorName).HasMaxLength(256);
            revision.HasQueryFilter(r => context.CaseNotes.Any(n => n.Id == r.NoteId));
        });

        builder.Entity<CaseTimelineEntry>(entry =>
        {
            entry.ToTable("case_timeline_entries");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.AuthorName).HasMaxLength(256);
            entry.Property(e => e.Source).HasMaxLength(CaseWorkRules.MaxSource);
            entry.Property(e => e.Text).HasMaxLength(CaseWorkRules.MaxDescription);
            entry.HasIndex(e => new { e.CaseId, e.OccurredAt, e.Id });
            entry.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
            entry.HasQueryFilter(e => context.Cases.Any(c => c.Id == e.CaseId));
        });
    }
}
