using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Playbooks;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Readiness;

/// <summary>Tables of the on-call roster and of playbooks.</summary>
internal static class ReadinessModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<OnCallShift>(s =>
        {
            s.ToTable("on_call_shifts");
            s.HasKey(x => x.Id);
            s.Property(x => x.TimeZone).HasMaxLength(64);
            s.HasIndex(x => new { x.OrganisationId, x.StartsAt });
            s.HasOne<Tenancy.RibatUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            s.HasQueryFilter(x => context.ScopeNodeWide || x.OrganisationId == context.ScopeOrganisationId);
        });

        builder.Entity<Playbook>(p =>
        {
            p.ToTable("playbooks");
            p.HasKey(x => x.Id);
            SharingModel.SharedColumns(p);
            p.Property(x => x.StixId).HasMaxLength(80).IsUnicode(false);
            p.HasIndex(x => x.StixId).IsUnique();
            p.Property(x => x.Title).HasMaxLength(300);
            p.Property(x => x.Description).HasMaxLength(20_000);
            p.Property(x => x.Category).HasMaxLength(80);
            p.Property(x => x.UpdatedAt).IsConcurrencyToken();
            p.HasMany(x => x.Steps).WithOne().HasForeignKey(x => x.PlaybookId).OnDelete(DeleteBehavior.Cascade);
            p.HasQueryFilter(context.VisibleToScope<Playbook>());
        });

        builder.Entity<PlaybookStep>(s =>
        {
            s.ToTable("playbook_steps");
            s.HasKey(x => new { x.PlaybookId, x.Order });
            s.Property(x => x.Title).HasMaxLength(300);
            s.Property(x => x.Description).HasMaxLength(10_000);
            s.Property(x => x.Role).HasMaxLength(32);
        });
    }
}
