using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;

namespace Ribat.Core.Notifications;

/// <summary>Tables of the inbox, the delivery outbox and the webhooks; each row belongs to one organisation.</summary>
internal static class NotificationModel
{
    public static void Configure(ModelBuilder builder, RibatDbContext context)
    {
        builder.Entity<Notification>(n =>
        {
            n.ToTable("notifications");
            n.HasKey(x => x.Id);
            n.Property(x => x.Kind).HasMaxLength(64);
            n.Property(x => x.Subject).HasMaxLength(300);
            n.Property(x => x.Body).HasMaxLength(10_000);
            n.Property(x => x.Link).HasMaxLength(500);
            n.Property(x => x.SubjectType).HasMaxLength(64);
            n.Property(x => x.SubjectId).HasMaxLength(128);
            n.HasIndex(x => new { x.OrganisationId, x.Id });
            n.HasIndex(x => new { x.RequiresAcknowledgement, x.AcknowledgedAt, x.EscalateAt });
            n.HasQueryFilter(x => context.ScopeNodeWide || x.OrganisationId == context.ScopeOrganisationId);
        });

        builder.Entity<NotificationDelivery>(d =>
        {
            d.ToTable("notification_deliveries");
            d.HasKey(x => x.Id);
            d.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
            d.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            d.Property(x => x.Target).HasMaxLength(2000);
            d.Property(x => x.LastError).HasMaxLength(2000);
            d.HasIndex(x => new { x.State, x.NextAttemptAt });
            d.HasIndex(x => x.NotificationId);
            d.HasOne<Notification>().WithMany().HasForeignKey(x => x.NotificationId).OnDelete(DeleteBehavior.Cascade);
            d.HasQueryFilter(x => context.ScopeNodeWide || x.OrganisationId == context.ScopeOrganisationId);
        });

        builder.Entity<WebhookEndpoint>(w =>
        {
            w.ToTable("webhooks");
            w.HasKey(x => x.Id);
            w.Property(x => x.Url).HasMaxLength(2000);
            w.Property(x => x.Secret).HasMaxLength(128);
            w.HasIndex(x => x.OrganisationId);
            w.HasQueryFilter(x => context.ScopeNodeWide || x.OrganisationId == context.ScopeOrganisationId);
        });
    }
}
