using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cases.Subjects;
using Ribat.Core.Data;
using Ribat.Core.Evidence;

namespace Ribat.Core.Cases.Money;

/// <summary>The table of a case's money flows.</summary>
internal static class MoneyModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<CaseMoneyFlow>(flow =>
        {
            flow.ToTable("case_money_flows");
            flow.HasKey(f => f.Id);
            flow.Property(f => f.TotalsJson).HasMaxLength(MoneyTotals.MaxJson);
            flow.HasIndex(f => f.CaseId);

            // One flow per payer and payee of one export: an import replaces the export's flows, never adds to them.
            flow.HasIndex(f => new { f.EvidenceId, f.FromSubjectId, f.ToSubjectId }).IsUnique();
            flow.HasIndex(f => f.FromSubjectId);
            flow.HasIndex(f => f.ToSubjectId);
            flow.HasOne<Case>().WithMany().HasForeignKey(f => f.CaseId).OnDelete(DeleteBehavior.Cascade);
            flow.HasOne<EvidenceItem>().WithMany().HasForeignKey(f => f.EvidenceId).OnDelete(DeleteBehavior.Cascade);
            flow.HasOne<CaseSubject>().WithMany().HasForeignKey(f => f.FromSubjectId).OnDelete(DeleteBehavior.Cascade);
            flow.HasOne<CaseSubject>().WithMany().HasForeignKey(f => f.ToSubjectId).OnDelete(DeleteBehavior.Cascade);

            // A flow is visible exactly when its case is.
            flow.HasQueryFilter(f => context.Cases.Any(c => c.Id == f.CaseId));
        });
    }
}
