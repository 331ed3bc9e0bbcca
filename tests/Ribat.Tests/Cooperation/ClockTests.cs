using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cooperation;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>
/// The legal clocks through the API with simulated time: a preservation is acknowledged, runs near its end, is
/// extended, and is followed by a mutual-assistance request; the board and the sweep's reminders follow.
/// </summary>
public abstract class ClockTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ClockedFactory
{
    [DbFact]
    public async Task A_preservation_runs_near_expiry_is_extended_and_followed_by_mutual_assistance_with_reminders_and_escalation()
    {
        var (a, sender) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var (b, receiver) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var sweep = factory.Get<SweepClocks>();
        var id = (await RequestApiTests<TFactory>.DraftAsync(sender, RequestApiTests<TFactory>.Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        await RequestApiTests<TFactory>.MovedAsync(sender, id, "sent");

        // 20 hours later the acknowledgement (24 hours) is due soon: the addressee is reminded; no officer is named yet.
        factory.Clock.Advance(TimeSpan.FromHours(20));
        var board = await (await receiver.GetAsync("/api/v1/requests/board")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        var entry = board.Single(e => e!["requestId"]!.GetValue<Guid>() == id)!;
        entry["clock"]!.GetValue<string>().Should().Be("acknowledgement");
        entry["state"]!.GetValue<string>().Should().Be("due-soon");
        entry["oursToAct"]!.GetValue<bool>().Should().BeTrue();
        (await (await sender.GetAsync("/api/v1/requests/board")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK))
            .Single(e => e!["requestId"]!.GetValue<Guid>() == id)!["oursToAct"]!.GetValue<bool>().Should().BeFalse("the addressee must act");
        (await sweep.RunAsync()).Should().BeGreaterThan(0);
        (await sweep.RunAsync()).Should().Be(0, "a reminder is written once per deadline");

        // Missed: escalated to the addressee's 24/7 contact.
        factory.Clock.Advance(TimeSpan.FromHours(5));
        (await receiver.PostAsJsonAsync("/api/v1/contact-points", new { name = "Duty officer", timeZone = "Asia/Amman", always = true })).StatusCode.Should().Be(HttpStatusCode.Created);
        await sweep.RunAsync();
        var reminders = await (await receiver.GetAsync("/api/v1/requests/reminders")).ReadJsonAsync();
        var mine = reminders["items"]!.AsArray().Where(r => r!["requestId"]!.GetValue<Guid>() == id).ToList();
        mine.Select(r => $"{r!["clock"]}:{r["level"]}").Should().BeEquivalentTo(["acknowledgement:reminder", "acknowledgement:escalation"]);
        mine.Single(r => r!["level"]!.GetValue<string>() == "escalation")!["contactName"]!.GetValue<string>().Should().Be("Duty officer");
        (await sender.GetStringAsync("/api/v1/requests/reminders")).Should().NotContain(id.ToString(), "the sender had nothing to do");

        var acknowledged = await RequestApiTests<TFactory>.MovedAsync(receiver, id, "acknowledged");
        acknowledged["clocks"]!.AsArray().First(c => c!["kind"]!.GetValue<string>() == "acknowledgement")!["state"]!.GetValue<string>().Should().Be("met-late");
        await RequestApiTests<TFactory>.MovedAsync(receiver, id, "answered");
        var until = acknowledged["preservedUntil"]!.GetValue<DateTimeOffset>();

        // Near the end of the 60 days the requester is reminded, then extends.
        factory.Clock.Advance(TimeSpan.FromDays(50));
        var near = await (await sender.GetAsync("/api/v1/requests/board")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        var expiry = near.Single(e => e!["requestId"]!.GetValue<Guid>() == id && e["clock"]!.GetValue<string>() == "preservation-expiry")!;
        expiry["state"]!.GetValue<string>().Should().Be("due-soon");
        expiry["oursToAct"]!.GetValue<bool>().Should().BeTrue();
        await sweep.RunAsync();
        var extended = await (await sender.PostAsJsonAsync($"/api/v1/requests/{id}/extensions", new { days = 60 })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        extended["preservedUntil"]!.GetValue<DateTimeOffset>().Should().Be(until.AddDays(60));
        (await (await sender.GetAsync("/api/v1/requests/board")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK))
            .Should().NotContain(e => e!["requestId"]!.GetValue<Guid>() == id, "the extended preservation runs again");

        var mla = await RequestApiTests<TFactory>.DraftAsync(sender, new
        {
            type = "mutual-assistance",
            subject = "Production of the preserved mailbox",
            addressedOrganisationId = b.Organisation.Id,
            offences = new[] { "computer-related-fraud" },
            linkedRequestId = id,
            fields = new { requestingAuthority = "Prosecutor", facts = "See the preservation", measures = "Production order", dataRequested = "Mailbox", legalBasis = "Budapest Convention Art. 31" },
        });
        var mlaId = mla["id"]!.GetValue<Guid>();
        await RequestApiTests<TFactory>.MovedAsync(sender, mlaId, "sent");
        await RequestApiTests<TFactory>.MovedAsync(receiver, mlaId, "acknowledged");
        factory.Clock.Advance(TimeSpan.FromDays(20));
        var answered = await RequestApiTests<TFactory>.MovedAsync(receiver, mlaId, "answered");
        answered["clocks"]!.AsArray().Select(c => c!["state"]!.GetValue<string>()).Should().OnlyContain(s => s == "met");

        await using var check = factory.Database.Open(TenantScope.NodeWide("test"));
        var senderTrail = await check.AuditEntries.Where(e => e.OrganisationId == a.Organisation.Id && (e.TargetId == id.ToString() || e.TargetId == mlaId.ToString())).Select(e => e.Code).ToListAsync();
        senderTrail.Should().Contain([700, 703, 704, 705, 706, 710]);
        var receiverTrail = await check.AuditEntries.Where(e => e.OrganisationId == b.Organisation.Id && e.TargetId == id.ToString()).Select(e => e.Code).ToListAsync();
        receiverTrail.Should().Contain([703, 704, 706, 710, 711]).And.NotContain(700, "the draft was the sender's business");
    }

    [DbFact]
    public async Task Turnaround_is_measured_per_country_provider_and_type_with_the_share_of_missed_deadlines()
    {
        var (_, sender) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var (b, receiver) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var fast = (await RequestApiTests<TFactory>.DraftAsync(sender, RequestApiTests<TFactory>.Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        var slow = (await RequestApiTests<TFactory>.DraftAsync(sender, RequestApiTests<TFactory>.Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        await RequestApiTests<TFactory>.MovedAsync(sender, fast, "sent");
        await RequestApiTests<TFactory>.MovedAsync(sender, slow, "sent");
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await RequestApiTests<TFactory>.MovedAsync(receiver, fast, "acknowledged");
        factory.Clock.Advance(TimeSpan.FromHours(10));
        await RequestApiTests<TFactory>.MovedAsync(receiver, fast, "answered");
        factory.Clock.Advance(TimeSpan.FromHours(20));

        var metrics = await (await sender.GetAsync("/api/v1/requests/metrics")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var france = metrics["byCountry"]!.AsArray().Single(r => r!["key"]!.GetValue<string>() == "FR")!;
        france["sent"]!.GetValue<int>().Should().Be(2);
        france["acknowledged"]!.GetValue<int>().Should().Be(1);
        france["answered"]!.GetValue<int>().Should().Be(1);
        france["medianHoursToAcknowledge"]!.GetValue<double>().Should().Be(2);
        france["medianHoursToAnswer"]!.GetValue<double>().Should().Be(12);
        france["overdueRate"]!.GetValue<double>().Should().Be(0.333, "of three finished or missed clocks (two met, one acknowledgement 32 hours late), one is missed");
        metrics["byType"]!.AsArray().Single()!["key"]!.GetValue<string>().Should().Be("preservation");
        var received = await (await receiver.GetAsync("/api/v1/requests/metrics")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        received["received"]!["sent"]!.GetValue<int>().Should().Be(2);
        received["byCountry"]!.AsArray().Should().BeEmpty("the addressee sent nothing");
    }
}

public sealed class ClockTestsSqlite(ClockedSqliteFactory factory) : ClockTests<ClockedSqliteFactory>(factory);

public sealed class ClockTestsPostgres(ClockedPostgresFactory factory) : ClockTests<ClockedPostgresFactory>(factory);
