using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ribat.Core;
using Ribat.Core.Cooperation;
using Ribat.Core.Notifications;
using Ribat.Core.Tenancy;
using Ribat.Tests.Incidents;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>
/// The clock sweep's reminders and escalations reach people through the Notifications module: the inbox of the
/// person responsible or on duty, e-mail (to the 24/7 contact too) — once per deadline, however often it sweeps.
/// </summary>
public abstract class ClockNotificationTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : NotificationFactory
{
    private static object Emergency(Guid to) => new
    {
        type = "emergency",
        subject = "Kidnapping threat posted from an account",
        addressedOrganisationId = to,
        fields = new
        {
            requestingAuthority = "National Cybercrime Unit",
            risk = "A threat to a named child's life, posted an hour ago.",
            facts = "The account posted the child's school and a deadline.",
            dataRequested = "Subscriber and last login IP address of the account.",
        },
    };

    private async Task<Guid> SendEmergencyAsync(Tenant from, Tenant to)
    {
        var requester = factory.ClientWith(from.AdminSecret);
        var id = (await RequestApiTests<TFactory>.DraftAsync(requester, Emergency(to.Organisation.Id)))["id"]!.GetValue<Guid>();
        await RequestApiTests<TFactory>.MovedAsync(requester, id, "sent");
        return id;
    }

    private async Task PutOnDutyAsync(Tenant tenant, Guid userId)
    {
        var now = factory.Clock.GetUtcNow();
        await (await factory.ClientWith(tenant.AdminSecret).PostAsJsonAsync("/api/v1/on-call",
            new { userId, startsAt = now.AddHours(-1), endsAt = now.AddDays(2), timeZone = "Asia/Amman" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
    }

    private async Task<List<Notification>> NotificationsAboutAsync(Guid requestId)
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return await db.Notifications.IgnoreQueryFilters().AsNoTracking().Where(n => n.SubjectId == requestId.ToString()).OrderBy(n => n.CreatedAt).ToListAsync();
    }

    [DbFact]
    public async Task A_reminder_reaches_the_person_on_duty_then_the_officer_who_acknowledged_once_per_deadline()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        await PutOnDutyAsync(partner, partner.Analyst.Id);
        var id = await SendEmergencyAsync(lead, partner);
        var sweep = factory.Get<SweepClocks>();

        // An emergency is acknowledged within the hour: after 50 minutes it is due soon, and nobody has taken it yet.
        factory.Clock.Advance(TimeSpan.FromMinutes(50));
        await sweep.RunAsync();
        await sweep.RunAsync();
        var told = (await NotificationsAboutAsync(id)).Should().ContainSingle("sweeping twice tells once").Subject;
        told.Kind.Should().Be("cooperation.reminder");
        told.OrganisationId.Should().Be(partner.Organisation.Id);
        told.UserId.Should().Be(partner.Analyst.Id, "no officer is named yet, so the person on duty is reminded");
        told.Link.Should().Be($"/requests/{id}");
        told.Subject.Should().Contain("Due soon").And.Contain("acknowledgement");

        var inbox = await (await factory.ClientWith(partner.AnalystSecret).GetAsync("/api/v1/notifications")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        inbox["items"]!.AsArray().Should().Contain(n => n!["id"]!.GetValue<Guid>() == told.Id && n["forMe"]!.GetValue<bool>());
        await factory.WorkOutboxAsync();
        (await factory.Smtp.WaitForAsync(partner.Analyst.Email)).Data.Should().Contain("Due soon").And.Contain($"/requests/{id}");

        // The administrator acknowledges and so becomes responsible for the answer (24 hours): its last quarter reminds them.
        await RequestApiTests<TFactory>.MovedAsync(factory.ClientWith(partner.AdminSecret), id, "acknowledged");
        factory.Clock.Advance(TimeSpan.FromHours(19));
        await sweep.RunAsync();
        await sweep.RunAsync();
        var answer = (await NotificationsAboutAsync(id)).Where(n => n.Id != told.Id).Should().ContainSingle().Subject;
        answer.UserId.Should().Be(partner.Admin.Id);
        answer.Subject.Should().Contain("answer");
        (await NotificationsAboutAsync(id)).Should().NotContain(n => n.OrganisationId == lead.Organisation.Id, "the requester had nothing to do");
    }

    [DbFact]
    public async Task A_missed_deadline_is_escalated_to_the_person_on_duty_and_by_e_mail_to_the_24_7_contact_once()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        (await factory.ClientWith(partner.AdminSecret).PostAsJsonAsync("/api/v1/contact-points",
            new { name = "Duty desk", email = "duty-desk@partner.example", timeZone = "Asia/Amman", always = true })).StatusCode.Should().Be(HttpStatusCode.Created);
        await PutOnDutyAsync(partner, partner.Analyst.Id);
        var id = await SendEmergencyAsync(lead, partner);
        var sweep = factory.Get<SweepClocks>();

        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        await sweep.RunAsync();
        await sweep.RunAsync();
        await sweep.RunAsync();
        var told = await NotificationsAboutAsync(id);
        told.Select(n => n.Kind).Should().BeEquivalentTo(["cooperation.reminder", "cooperation.escalation"], "one reminder and one escalation per missed deadline");
        var escalation = told.Single(n => n.Kind == "cooperation.escalation");
        escalation.UserId.Should().Be(partner.Analyst.Id, "the person on duty");
        escalation.RequiresAcknowledgement.Should().BeTrue();

        await factory.WorkOutboxAsync();
        var mail = await factory.Smtp.WaitForAsync("duty-desk@partner.example");
        mail.Data.Should().Contain("Missed deadline escalated").And.Contain($"/requests/{id}");
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.NotificationDeliveries.IgnoreQueryFilters().CountAsync(d => d.NotificationId == escalation.Id && d.Channel == DeliveryChannel.Email))
            .Should().Be(2, "the person on duty and the 24/7 contact");
    }

    [DbFact]
    public void The_clock_sweep_runs_in_the_serving_node_and_not_in_every_host_that_builds_the_core()
    {
        var core = new ServiceCollection().AddRibatCore();
        core.Should().NotContain(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ClockSweepService));
        factory.Services.GetServices<IHostedService>().OfType<ClockSweepService>().Should().ContainSingle();
    }
}

public sealed class ClockNotificationTestsSqlite(NotificationSqliteFactory factory) : ClockNotificationTests<NotificationSqliteFactory>(factory);

public sealed class ClockNotificationTestsPostgres(NotificationPostgresFactory factory) : ClockNotificationTests<NotificationPostgresFactory>(factory);
