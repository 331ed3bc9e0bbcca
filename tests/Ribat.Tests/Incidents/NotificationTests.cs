using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ribat.Core.Notifications;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Incidents;

/// <summary>
/// A node whose clock the test moves and whose outbox the test works by hand (the background pass runs once an
/// hour), with e-mail going to an SMTP sink on loopback.
/// </summary>
public abstract class NotificationFactory(bool postgres) : RibatFactory(postgres)
{
    public static readonly TimeSpan EscalateAfter = TimeSpan.FromMinutes(10);

    public ManualClock Clock { get; } = new();

    public SmtpSink Smtp { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ribat:Notifications:SmtpHost", "127.0.0.1");
        builder.UseSetting("Ribat:Notifications:SmtpPort", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Ribat:Notifications:SmtpSecurity", "none");
        builder.UseSetting("Ribat:Notifications:SmtpFrom", "alerts@ribat.test");
        builder.UseSetting("Ribat:Notifications:MaxAttempts", "3");
        builder.UseSetting("Ribat:Notifications:FirstRetry", "00:00:10");
        builder.UseSetting("Ribat:Notifications:PollInterval", "01:00:00");
        builder.UseSetting("Ribat:Notifications:SendTimeout", "00:00:05");
        builder.UseSetting("Ribat:Readiness:EscalateAfter", "00:10:00");
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public Task<int> WorkOutboxAsync() => Get<NotificationDispatcher>().RunOnceAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class NotificationSqliteFactory() : NotificationFactory(postgres: false);

public sealed class NotificationPostgresFactory() : NotificationFactory(postgres: true);

/// <summary>Alerts to the person on duty: inbox, signed webhooks, e-mail, retries, failures, escalation.</summary>
public abstract class NotificationTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : NotificationFactory
{
    private async Task PutOnDutyAsync(Tenant tenant, Guid userId)
    {
        var now = factory.Clock.GetUtcNow();
        await (await factory.ClientWith(tenant.AdminSecret).PostAsJsonAsync("/api/v1/on-call",
            new { userId, startsAt = now.AddHours(-1), endsAt = now.AddHours(8), timeZone = "Africa/Casablanca" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
    }

    private async Task<Guid> ShareIncidentAsync(Tenant lead, Tenant partner)
    {
        var opened = await IncidentApiTests<TFactory>.OpenAsync(factory.ClientWith(lead.AnalystSecret), IncidentApiTests<TFactory>.Outbreak(partner.Organisation.Id));
        return opened["id"]!.GetValue<Guid>();
    }

    private static async Task<JsonArray> InboxAsync(HttpClient client, bool pending = false) =>
        (await (await client.GetAsync($"/api/v1/notifications?pending={pending}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray();

    [DbFact]
    public async Task Sharing_an_incident_alerts_the_person_on_duty_in_the_inbox_by_signed_webhook_and_by_e_mail()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        await using var receiver = new WebhookReceiver();
        var hook = await (await factory.ClientWith(partner.AdminSecret).PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var secret = hook["secret"]!.GetValue<string>();
        await PutOnDutyAsync(partner, partner.Analyst.Id);

        var id = await ShareIncidentAsync(lead, partner);
        var onDuty = factory.ClientWith(partner.AnalystSecret);
        var alert = (await InboxAsync(onDuty, pending: true)).Single()!;
        alert["kind"]!.GetValue<string>().Should().Be("incident.shared");
        alert["forMe"]!.GetValue<bool>().Should().BeTrue();
        alert["link"]!.GetValue<string>().Should().Be($"/incidents/{id}");
        alert["deliveries"]!.AsArray().Select(d => d!["channel"]!.GetValue<string>()).Should().BeEquivalentTo(["webhook", "email"]);
        (await InboxAsync(factory.ClientWith(partner.AdminSecret), pending: true)).Should().BeEmpty("the alert is for the person on duty");
        (await InboxAsync(factory.ClientWith(lead.AdminSecret))).Should().BeEmpty();

        (await factory.WorkOutboxAsync()).Should().BeGreaterThanOrEqualTo(2);
        var request = receiver.Requests.Single();
        var timestamp = request.Headers["X-Ribat-Timestamp"];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(request.Body).ToArray()));
        request.Headers["X-Ribat-Signature"].Should().Be(expected);
        request.Headers["X-Ribat-Event"].Should().Be("incident.shared");
        var payload = JsonNode.Parse(request.Body)!;
        payload["subjectId"]!.GetValue<string>().Should().Be(id.ToString());
        payload["requiresAcknowledgement"]!.GetValue<bool>().Should().BeTrue();

        var mail = await factory.Smtp.WaitForAsync(partner.Analyst.Email);
        mail.From.Should().Be("alerts@ribat.test");
        mail.Data.Should().Contain("Incident shared with you").And.Contain($"/incidents/{id}");
        var delivered = (await InboxAsync(onDuty)).Single()!["deliveries"]!.AsArray();
        delivered.Select(d => d!["state"]!.GetValue<string>()).Should().AllBe("delivered");

        var acknowledged = await (await onDuty.PostAsync($"/api/v1/notifications/{alert["id"]}/acknowledge", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        acknowledged["acknowledgedAt"].Should().NotBeNull();
        (await InboxAsync(onDuty, pending: true)).Should().BeEmpty();
        (await factory.ClientWith(lead.AdminSecret).PostAsync($"/api/v1/notifications/{alert["id"]}/acknowledge", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task An_alert_nobody_acknowledges_escalates_to_the_whole_organisation_after_the_configured_time()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        await PutOnDutyAsync(partner, partner.Analyst.Id);
        var id = await ShareIncidentAsync(lead, partner);
        var admin = factory.ClientWith(partner.AdminSecret);

        await factory.WorkOutboxAsync();
        (await InboxAsync(admin, pending: true)).Should().BeEmpty("it has not escalated yet");
        factory.Clock.Advance(NotificationFactory.EscalateAfter - TimeSpan.FromSeconds(5));
        await factory.WorkOutboxAsync();
        (await InboxAsync(admin, pending: true)).Should().BeEmpty("the time allowed has not passed");

        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        await factory.WorkOutboxAsync();
        var escalation = (await InboxAsync(admin, pending: true)).Single()!;
        escalation["kind"]!.GetValue<string>().Should().Be("incident.shared.escalated");
        escalation["forMe"]!.GetValue<bool>().Should().BeFalse("it goes to the organisation as a whole");
        await factory.WorkOutboxAsync();
        (await InboxAsync(admin, pending: true)).Should().ContainSingle("an alert escalates once");

        // Acknowledging the incident itself answers every alert about it.
        await (await admin.PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        (await InboxAsync(admin, pending: true)).Should().BeEmpty();
        (await InboxAsync(factory.ClientWith(partner.AnalystSecret), pending: true)).Should().BeEmpty();
        (await factory.ClientWith(partner.AdminSecret).GetStringAsync("/api/v1/audit?code=652")).Should().Contain(partner.Organisation.Id.ToString());
    }

    [DbFact]
    public async Task A_webhook_that_is_down_is_retried_with_back_off_then_shown_failed_and_nothing_is_lost()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        await using var receiver = new WebhookReceiver { Status = 503 };
        var admin = factory.ClientWith(partner.AdminSecret);
        var hook = await (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        await ShareIncidentAsync(lead, partner);

        await factory.WorkOutboxAsync();
        receiver.Requests.Should().HaveCount(1);
        var delivery = (await InboxAsync(admin)).Single(n => n!["kind"]!.GetValue<string>() == "incident.shared")!["deliveries"]!.AsArray().Single(d => d!["channel"]!.GetValue<string>() == "webhook")!;
        delivery["state"]!.GetValue<string>().Should().Be("pending");
        delivery["lastError"]!.GetValue<string>().Should().Contain("503");

        await factory.WorkOutboxAsync();
        receiver.Requests.Should().HaveCount(1, "the next attempt waits for its back-off");
        factory.Clock.Advance(TimeSpan.FromSeconds(11));
        await factory.WorkOutboxAsync();
        receiver.Requests.Should().HaveCount(2);
        factory.Clock.Advance(TimeSpan.FromSeconds(11));
        await factory.WorkOutboxAsync();
        receiver.Requests.Should().HaveCount(2, "the second wait is twice as long");
        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        await factory.WorkOutboxAsync();
        receiver.Requests.Should().HaveCount(3);
        receiver.Requests.Select(r => r.Headers["X-Ribat-Delivery"]).Distinct().Should().ContainSingle("a retry is the same delivery");

        factory.Clock.Advance(TimeSpan.FromHours(1));
        await factory.WorkOutboxAsync();
        receiver.Requests.Should().HaveCount(3, "the last attempt was the third");
        var failed = (await InboxAsync(admin)).Single(n => n!["kind"]!.GetValue<string>() == "incident.shared")!;
        failed["subject"]!.GetValue<string>().Should().Contain("Incident shared with you", "the notification itself is kept");
        var webhookCopy = failed["deliveries"]!.AsArray().Single(d => d!["channel"]!.GetValue<string>() == "webhook")!;
        webhookCopy["state"]!.GetValue<string>().Should().Be("failed");
        webhookCopy["attempts"]!.GetValue<int>().Should().Be(3);
        var hooks = await (await admin.GetAsync("/api/v1/webhooks")).ReadJsonAsync();
        hooks["items"]!.AsArray().Single(h => h!["id"]!.GetValue<Guid>() == hook["webhook"]!["id"]!.GetValue<Guid>())!["failed"]!.GetValue<int>().Should().Be(1);
        (await admin.GetStringAsync("/api/v1/audit?code=651")).Should().Contain(partner.Organisation.Id.ToString());
    }

    [DbFact]
    public async Task Bad_webhooks_and_shifts_are_refused_field_by_field()
    {
        var tenant = await factory.CreateTenantAsync();
        var other = await factory.CreateTenantAsync();
        var admin = factory.ClientWith(tenant.AdminSecret);
        foreach (var url in new[]
        {
            "not a url", "ftp://example.org/x", "/relative", "http://user:pw@example.org/hook", "https://example.org/" + new string('a', 2001),
            "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook", "http://0.0.0.0:8080/", "http://[::ffff:169.254.169.254]/", "http://239.1.2.3/",
        })
        {
            await (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url })).ShouldBeValidationProblemAsync("url");
        }

        (await factory.ClientWith(tenant.AnalystSecret).PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.org/hook" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.ClientWith(tenant.AnalystSecret).GetAsync("/api/v1/webhooks")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var now = DateTimeOffset.UtcNow;
        await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = tenant.Analyst.Id, startsAt = now, endsAt = now.AddHours(1), timeZone = "Mars/Olympus" }))
            .ShouldBeValidationProblemAsync("timeZone");
        await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = tenant.Analyst.Id, startsAt = now, endsAt = now.AddHours(-1), timeZone = "UTC" }))
            .ShouldBeValidationProblemAsync("endsAt");
        await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = tenant.Analyst.Id, startsAt = now, endsAt = now.AddDays(40), timeZone = "UTC" }))
            .ShouldBeValidationProblemAsync("endsAt");
        await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = other.Analyst.Id, startsAt = now, endsAt = now.AddHours(1), timeZone = "UTC" }))
            .ShouldBeValidationProblemAsync("userId");
        (await factory.ClientWith(tenant.AnalystSecret).PostAsJsonAsync("/api/v1/on-call", new { userId = tenant.Analyst.Id, startsAt = now, endsAt = now.AddHours(1), timeZone = "UTC" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var shift = await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = tenant.Analyst.Id, startsAt = now, endsAt = now.AddHours(8), timeZone = "Asia/Amman" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        shift["localStart"]!.GetValue<DateTimeOffset>().Offset.Should().Be(TimeSpan.FromHours(3));
        var roster = await (await factory.ClientWith(tenant.AnalystSecret).GetAsync("/api/v1/on-call")).ReadJsonAsync();
        roster["items"]!.AsArray().Should().ContainSingle();
        (await factory.ClientWith(other.AdminSecret).DeleteAsync($"/api/v1/on-call/{shift["id"]}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"/api/v1/on-call/{shift["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}

public sealed class NotificationTestsSqlite(NotificationSqliteFactory factory) : NotificationTests<NotificationSqliteFactory>(factory);

public sealed class NotificationTestsPostgres(NotificationPostgresFactory factory) : NotificationTests<NotificationPostgresFactory>(factory);
