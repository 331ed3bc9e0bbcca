using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Cooperation;

/// <summary>Tables of requests, their history and attachments, reminders, the 24/7 directory, legislation and providers.</summary>
internal static class CooperationModel
{
    private static readonly JsonSerializerOptions FieldsJson = new(JsonSerializerDefaults.Web);

    /// <param name="ownRows">The context's "rows of the viewer's organisation" rule, over an organisation id.</param>
    /// <param name="anyViewer">The context's "an organisation or the node is viewing" rule, for node-wide reference data.</param>
    public static void Configure(ModelBuilder builder, RibatDbContext context, Expression<Func<Guid, bool>> ownRows, Expression<Func<bool>> anyViewer)
    {
        builder.Entity<CooperationRequest>(row =>
        {
            row.ToTable("cooperation_requests");
            row.HasKey(r => r.Id);
            SharingModel.SharedColumns(row);
            row.Property(r => r.Type).HasConversion<string>().HasMaxLength(32);
            row.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
            row.Property(r => r.AddresseeKind).HasConversion<string>().HasMaxLength(32);
            row.Property(r => r.Subject).HasMaxLength(300);
            row.Property(r => r.AddresseeName).HasMaxLength(300);
            row.Property(r => r.RequestedCountry).HasMaxLength(2).IsFixedLength();
            row.Property(r => r.Fields).HasConversion(
                    fields => JsonSerializer.Serialize(fields, FieldsJson),
                    text => JsonSerializer.Deserialize<Dictionary<string, string>>(text, FieldsJson) ?? new Dictionary<string, string>(),
                    new ValueComparer<Dictionary<string, string>>(
                        (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                        d => d.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
                        d => new Dictionary<string, string>(d)));
            row.Property(r => r.UpdatedAt).IsConcurrencyToken();
            row.HasMany(r => r.Events).WithOne().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Cascade);
            row.HasIndex(r => r.AddressedOrganisationId);
            row.HasIndex(r => r.LinkedRequestId);
            row.HasIndex(r => r.ServiceProviderId);
            row.HasQueryFilter(context.VisibleToScope<CooperationRequest>());
        });

        builder.Entity<RequestEvent>(e =>
        {
            e.ToTable("cooperation_request_events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.RequestId, x.At });
            e.Property(x => x.ActorName).HasMaxLength(256);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.From).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.To).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Note).HasMaxLength(4000);
            e.HasQueryFilter(x => context.CooperationRequests.Any(r => r.Id == x.RequestId));
        });

        builder.Entity<RequestAttachment>(a =>
        {
            a.ToTable("cooperation_attachments");
            a.HasKey(x => x.Id);
            a.HasIndex(x => x.RequestId);
            a.HasIndex(x => x.Sha256);
            a.Property(x => x.FileName).HasMaxLength(255);
            a.Property(x => x.Sha256).HasMaxLength(64).IsUnicode(false);
            a.HasOne<CooperationRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Restrict);
            a.HasQueryFilter(x => context.CooperationRequests.Any(r => r.Id == x.RequestId));
        });

        builder.Entity<RequestReceipt>(r =>
        {
            r.ToTable("cooperation_receipts");
            r.HasKey(x => x.Id);
            r.HasIndex(x => new { x.RequestId, x.Version }).IsUnique();
            r.Property(x => x.Version).HasMaxLength(40).IsUnicode(false);
            r.Property(x => x.Sha256).HasMaxLength(64).IsUnicode(false);
            r.Property(x => x.Signature).HasMaxLength(1024).IsUnicode(false);
            r.HasOne<CooperationRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            r.HasQueryFilter(x => context.CooperationRequests.Any(q => q.Id == x.RequestId));
        });

        builder.Entity<CooperationReminder>(r =>
        {
            r.ToTable("cooperation_reminders");
            r.HasKey(x => x.Id);
            r.Property(x => x.Clock).HasConversion<string>().HasMaxLength(32);
            r.Property(x => x.Level).HasConversion<string>().HasMaxLength(16);
            r.HasIndex(x => new { x.RequestId, x.OrganisationId, x.Clock, x.Level, x.DueAt }).IsUnique();
            r.HasIndex(x => new { x.OrganisationId, x.CreatedAt });
            r.HasOne<CooperationRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            r.HasQueryFilter(Over<CooperationReminder>(ownRows, x => x.OrganisationId));
        });

        builder.Entity<ContactPoint>(c =>
        {
            c.ToTable("contact_points");
            c.HasKey(x => x.Id);
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Role).HasMaxLength(200);
            c.Property(x => x.Email).HasMaxLength(256);
            c.Property(x => x.Phone).HasMaxLength(64);
            c.Property(x => x.TimeZone).HasMaxLength(64);
            c.Property(x => x.PublicKey).HasMaxLength(20_000);
            c.HasIndex(x => x.OrganisationId);
            c.HasOne<Tenancy.Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Cascade);
            c.HasQueryFilter(Everyone<ContactPoint>(anyViewer));
        });

        builder.Entity<PartnerContactPoint>(c =>
        {
            c.ToTable("partner_contact_points");
            c.HasKey(x => x.Id);
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Role).HasMaxLength(200);
            c.Property(x => x.Email).HasMaxLength(256);
            c.Property(x => x.Phone).HasMaxLength(64);
            c.Property(x => x.TimeZone).HasMaxLength(64);
            c.Property(x => x.PublicKey).HasMaxLength(20_000);
            c.HasIndex(x => new { x.NodeId, x.OrganisationId });
            c.HasQueryFilter(Everyone<PartnerContactPoint>(anyViewer));
        });

        builder.Entity<PartnerProvider>(p =>
        {
            p.ToTable("partner_service_providers");
            p.HasKey(x => x.Id);
            p.Property(x => x.Name).HasMaxLength(200);
            p.Property(x => x.Country).HasMaxLength(2).IsFixedLength();
            p.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            p.Property(x => x.LegalBasis).HasMaxLength(4000);
            p.Property(x => x.DataTypes).HasMaxLength(4000);
            p.Property(x => x.Retention).HasMaxLength(4000);
            p.Property(x => x.EmergencyContact).HasMaxLength(1000);
            p.Property(x => x.RequestChannel).HasMaxLength(1000);
            p.Property(x => x.Notes).HasMaxLength(10_000);
            p.HasIndex(x => new { x.NodeId, x.Name });
            p.HasQueryFilter(Everyone<PartnerProvider>(anyViewer));
        });

        builder.Entity<NationalProvision>(p =>
        {
            p.ToTable("national_provisions");
            p.HasKey(x => x.Id);
            p.Property(x => x.Country).HasMaxLength(2).IsFixedLength();
            p.Property(x => x.Offence).HasMaxLength(64);
            p.Property(x => x.Reference).HasMaxLength(300);
            p.Property(x => x.Title).HasMaxLength(500);
            p.Property(x => x.Notes).HasMaxLength(4000);
            p.HasIndex(x => new { x.Country, x.Offence, x.Reference }).IsUnique();
            p.HasQueryFilter(Everyone<NationalProvision>(anyViewer));
        });

        builder.Entity<ProviderProfile>(p =>
        {
            p.ToTable("service_providers");
            p.HasKey(x => x.Id);
            p.Property(x => x.Name).HasMaxLength(200);
            p.Property(x => x.Country).HasMaxLength(2).IsFixedLength();
            p.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            p.Property(x => x.LegalBasis).HasMaxLength(4000);
            p.Property(x => x.DataTypes).HasMaxLength(4000);
            p.Property(x => x.Retention).HasMaxLength(4000);
            p.Property(x => x.EmergencyContact).HasMaxLength(1000);
            p.Property(x => x.RequestChannel).HasMaxLength(1000);
            p.Property(x => x.Notes).HasMaxLength(10_000);
            p.HasIndex(x => x.Name).IsUnique();
            p.HasQueryFilter(Everyone<ProviderProfile>(anyViewer));
        });
    }

    private static Expression<Func<T, bool>> Over<T>(Expression<Func<Guid, bool>> rule, Expression<Func<T, Guid>> organisation)
    {
        var row = organisation.Parameters[0];
        var body = new Swap(rule.Parameters[0], organisation.Body).Visit(rule.Body);
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    private static Expression<Func<T, bool>> Everyone<T>(Expression<Func<bool>> rule) =>
        Expression.Lambda<Func<T, bool>>(rule.Body, Expression.Parameter(typeof(T), "row"));

    private sealed class Swap(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
