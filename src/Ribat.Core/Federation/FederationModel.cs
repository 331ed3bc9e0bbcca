using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Federation;

internal static class FederationModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context, System.Linq.Expressions.Expression<Func<TaxiiStatusRecord, bool>> statusVisibility)
    {
        builder.Entity<StixObjectRecord>(row =>
        {
            row.ToTable("stix_objects");
            row.HasKey(s => s.Id);
            SharingModel.SharedColumns(row, indexOwner: false);
            row.Property(s => s.StixId).HasMaxLength(StixObjectStore.MaxIdLength).IsUnicode(false);
            row.Property(s => s.Type).HasMaxLength(250).IsUnicode(false);
            row.Property(s => s.SpecVersion).HasMaxLength(16).IsUnicode(false);
            row.Property(s => s.Version).HasMaxLength(40).IsUnicode(false);
            row.Property(s => s.Origin).HasConversion<int>();

            // Pages are read in date_added order from a cursor; the date is unique, so the cursor is exact.
            row.HasIndex(s => s.DateAdded).IsUnique();
            row.HasIndex(s => new { s.StixId, s.VersionAt });
            row.HasIndex(s => new { s.OwnerOrganisationId, s.DateAdded });
            row.HasIndex(s => s.RibatObjectId).HasFilter("\"RibatObjectId\" IS NOT NULL");
            row.HasQueryFilter(context.VisibleToScope<StixObjectRecord>());
        });

        builder.Entity<TaxiiStatusRecord>(status =>
        {
            status.ToTable("taxii_statuses");
            status.HasKey(s => s.Id);
            status.HasIndex(s => new { s.OrganisationId, s.RequestedAt });
            status.HasQueryFilter(statusVisibility);
        });
    }
}
