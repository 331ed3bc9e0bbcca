using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Ribat.Core.Sharing.Storage;

internal static class SharingModel
{
    public static void Configure(ModelBuilder builder, Expression<Func<SharingGroupRecord, bool>> groupVisibility)
    {
        builder.Entity<ShareGrant>(grant =>
        {
            grant.ToTable("share_grants");
            grant.HasKey(g => new { g.ObjectId, g.Kind, g.OrganisationId });
            grant.HasIndex(g => new { g.OrganisationId, g.Kind, g.ObjectId });
        });

        builder.Entity<SharingGroupRecord>(group =>
        {
            group.ToTable("sharing_groups");
            group.HasKey(g => g.Id);
            group.Property(g => g.Name).HasMaxLength(200);
            group.Property(g => g.Description).HasMaxLength(2000);
            group.HasIndex(g => new { g.OwnerOrganisationId, g.Name }).IsUnique();
            group.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.SharingGroupId).OnDelete(DeleteBehavior.Cascade);
            group.HasQueryFilter(groupVisibility);
        });

        builder.Entity<SharingGroupMembership>(member =>
        {
            member.ToTable("sharing_group_members");
            member.HasKey(m => new { m.SharingGroupId, m.OrganisationId });
            member.HasIndex(m => m.OrganisationId);
        });
    }

    /// <summary>
    /// The sharing-term columns every shared entity has, named and sized alike. <paramref name="indexOwner"/> false
    /// leaves the owner's index to the entity, for one that needs the owner as the prefix of a wider index.
    /// </summary>
    public static void SharedColumns<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> entity, bool indexOwner = true)
        where T : class, ISharedObject
    {
        entity.Property(e => e.Tlp).HasConversion<int>();
        entity.Property(e => e.Pap).HasConversion<int>();
        entity.Property(e => e.Distribution).HasConversion<int>();
        entity.Property(e => e.Handling).HasConversion<int>();
        entity.Property(e => e.HandlingConditions).HasMaxLength(2000);
        entity.Property(e => e.Evaluation).HasMaxLength(2);
        if (indexOwner)
        {
            entity.HasIndex(e => e.OwnerOrganisationId);
        }
    }
}
