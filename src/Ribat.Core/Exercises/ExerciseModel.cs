using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;

namespace Ribat.Core.Exercises;

/// <summary>Tables of exercise runs and their played injects; both belong to the organisation that ran them.</summary>
internal static class ExerciseModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<Exercise>(row =>
        {
            row.ToTable("exercises");
            row.HasKey(e => e.Id);
            row.Property(e => e.Name).HasMaxLength(300);
            row.Property(e => e.ScenarioHash).HasMaxLength(64).IsUnicode(false);
            row.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
            row.HasIndex(e => new { e.OwnerOrganisationId, e.StartedAt });
            row.HasQueryFilter(e => context.ScopeNodeWide || e.OwnerOrganisationId == context.ScopeOrganisationId);
        });

        builder.Entity<ExerciseInject>(row =>
        {
            row.ToTable("exercise_injects");
            row.HasKey(i => i.Id);
            row.Property(i => i.Type).HasMaxLength(16);
            row.Property(i => i.ScenarioNode).HasMaxLength(100);
            row.Property(i => i.ScenarioOrganisation).HasMaxLength(100);
            row.Property(i => i.Summary).HasMaxLength(2000);
            row.Property(i => i.Outcome).HasConversion<string>().HasMaxLength(16);
            row.Property(i => i.Reason).HasMaxLength(2000);
            row.HasIndex(i => new { i.ExerciseId, i.PlannedAt });
            row.HasOne<Exercise>().WithMany().HasForeignKey(i => i.ExerciseId).OnDelete(DeleteBehavior.Cascade);
            row.HasQueryFilter(i => context.ScopeNodeWide || i.OrganisationId == context.ScopeOrganisationId);
        });
    }
}
