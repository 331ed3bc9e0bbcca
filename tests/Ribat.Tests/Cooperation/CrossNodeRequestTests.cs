using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cooperation;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>
/// A request from an agency on node A to an agency on node B, between two real nodes: queued until B has it, a
/// receipt signed by B and verified at A, each side's steps followed by the other, the clocks the same on both and
/// their reminders on the node of the organisation that must act.
/// </summary>
public abstract class CrossNodeRequestTests<TNodes>(TNodes nodes) : IClassFixture<TNodes>
    where TNodes : TwoCooperatingNodes
{
    private static async Task<JsonObject> ReadAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/v1/requests/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);

    private static DateTimeOffset At(JsonNode? node) => node!.GetValue<DateTimeOffset>();

    private static async Task<List<CooperationReminder>> RemindersAsync(CooperatingNode node, Guid request)
    {
        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        return await db.CooperationReminders.AsNoTracking().Where(r => r.RequestId == request).ToListAsync();
    }

    [DbFact]
    public async Task A_preservation_and_its_mutual_assistance_travel_to_the_partner_node_and_back_with_receipts_clocks_and_the_answer()
    {
        var (a, aLiaison) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.A);
        var (b, bLiaison) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.B);
        await nodes.IntroduceAsync();

        // A's officer addresses B's agency, which only B hosts: picked from the partner directory.
        var partners = await (await aLiaison.GetAsync("/api/v1/partner-organisations")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        partners.Should().Contain(o => o!["id"]!.GetValue<Guid>() == b.Organisation.Id);
        var draft = await RequestApiTests<RibatFactory>.DraftAsync(aLiaison, RequestApiTests<RibatFactory>.Preservation(b.Organisation.Id));
        var id = draft["id"]!.GetValue<Guid>();
        draft["addressee"]!["name"]!.GetValue<string>().Should().Be(b.Organisation.Name);
        var sent = await RequestApiTests<RibatFactory>.MovedAsync(aLiaison, id, "sent");
        sent["delivery"]!["state"]!.GetValue<string>().Should().Be("queued", "B has not fetched it yet");

        // B is offline for an hour: A's copy stays queued, and B knows nothing.
        nodes.Clock.Advance(TimeSpan.FromHours(1));
        (await ReadAsync(aLiaison, id))["delivery"]!["state"]!.GetValue<string>().Should().Be("queued");
        (await bLiaison.GetAsync($"/api/v1/requests/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // B comes back: the request arrives with the same id, form and clocks; B's signed receipt goes back to A.
        (await nodes.SyncAsync(nodes.A, nodes.B))!.SuccessCount.Should().BeGreaterThan(0);
        var atB = await ReadAsync(bLiaison, id);
        atB["side"]!.GetValue<string>().Should().Be("addressee");
        atB["status"]!.GetValue<string>().Should().Be("sent");
        atB["requester"]!["name"]!.GetValue<string>().Should().Be(a.Organisation.Name, "B names A's agency as A described it");
        atB["fields"]!["custodian"]!.GetValue<string>().Should().Be(sent["fields"]!["custodian"]!.GetValue<string>());
        atB["delivery"]!["state"]!.GetValue<string>().Should().Be("received");
        (At(atB["sentAt"]) - At(sent["sentAt"])).Duration().Should().BeLessThan(TimeSpan.FromMilliseconds(1), "the clocks run from the same instant on both nodes");
        (At(atB["clocks"]![0]!["dueAt"]) - At(sent["clocks"]![0]!["dueAt"])).Duration().Should().BeLessThan(TimeSpan.FromMilliseconds(1));
        (await ReadAsync(aLiaison, id))["delivery"]!["state"]!.GetValue<string>().Should().Be("queued", "A learns of the delivery from B's receipt");

        await nodes.SettleAsync();
        var delivered = await ReadAsync(aLiaison, id);
        delivered["status"]!.GetValue<string>().Should().Be("sent", "a receipt is not an acknowledgement");
        delivered["delivery"]!["state"]!.GetValue<string>().Should().Be("delivered");
        var receipt = delivered["delivery"]!["receipts"]!.AsArray().Should().ContainSingle().Subject!;
        receipt["signatureValid"]!.GetValue<bool>().Should().BeTrue(receipt["signatureStatus"]!.GetValue<string>());
        receipt["node"]!.GetValue<Guid>().Should().Be(nodes.NodeOf(nodes.B));
        receipt["sha256"]!.GetValue<string>().Should().HaveLength(64);

        // The acknowledgement clock is B's to keep: due soon after 19 of its 24 hours, B reminds its agency and A reminds nobody.
        nodes.Clock.Advance(TimeSpan.FromHours(18));
        await nodes.A.Get<SweepClocks>().RunAsync();
        await nodes.B.Get<SweepClocks>().RunAsync();
        (await RemindersAsync(nodes.B, id)).Should().ContainSingle(r => r.Clock == ClockKind.Acknowledgement && r.OrganisationId == b.Organisation.Id);
        (await RemindersAsync(nodes.A, id)).Should().BeEmpty("the addressee's clock is swept on the addressee's node");

        var acknowledged = await RequestApiTests<RibatFactory>.MovedAsync(bLiaison, id, "acknowledged");
        await nodes.SettleAsync();
        var followed = await ReadAsync(aLiaison, id);
        followed["status"]!.GetValue<string>().Should().Be("acknowledged");
        (At(followed["preservedUntil"]) - At(acknowledged["preservedUntil"])).Duration().Should().BeLessThan(TimeSpan.FromMilliseconds(1));

        // Near the 60-day end, the requester must follow up or extend: A reminds its agency, B reminds nobody of it.
        nodes.Clock.Advance(TimeSpan.FromDays(50));
        await nodes.A.Get<SweepClocks>().RunAsync();
        await nodes.B.Get<SweepClocks>().RunAsync();
        (await RemindersAsync(nodes.A, id)).Should().ContainSingle(r => r.Clock == ClockKind.PreservationExpiry && r.OrganisationId == a.Organisation.Id);
        (await RemindersAsync(nodes.B, id)).Should().NotContain(r => r.Clock == ClockKind.PreservationExpiry);

        var extended = await (await aLiaison.PostAsJsonAsync($"/api/v1/requests/{id}/extensions", new { days = 90, note = "The MLA request follows." })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        await nodes.SettleAsync();
        var extendedAtB = await ReadAsync(bLiaison, id);
        (At(extendedAtB["preservedUntil"]) - At(extended["preservedUntil"])).Duration().Should().BeLessThan(TimeSpan.FromMilliseconds(1), "B sees the new expiry");
        extendedAtB["extensions"]!.GetValue<int>().Should().Be(1);

        // The mutual-assistance request follows the preservation; B answers it with a file.
        var mla = await RequestApiTests<RibatFactory>.DraftAsync(aLiaison, new
        {
            type = "mutual-assistance",
            subject = "Production of the preserved mailbox",
            addressedOrganisationId = b.Organisation.Id,
            offences = new[] { "computer-related-fraud" },
            linkedRequestId = id,
            fields = new { requestingAuthority = "Public prosecutor, Paris", facts = "See the preservation", measures = "Production order", dataRequested = "Mailbox", legalBasis = "Budapest Convention Art. 31" },
        });
        var mlaId = mla["id"]!.GetValue<Guid>();
        await RequestApiTests<RibatFactory>.MovedAsync(aLiaison, mlaId, "sent");
        await nodes.SettleAsync();
        (await ReadAsync(bLiaison, mlaId))["linkedRequestId"]!.GetValue<Guid>().Should().Be(id);

        nodes.Clock.Advance(TimeSpan.FromHours(5));
        await RequestApiTests<RibatFactory>.MovedAsync(bLiaison, mlaId, "acknowledged");
        var bytes = RandomNumberGenerator.GetBytes(40_000);
        var file = await (await bLiaison.PostAsync($"/api/v1/requests/{mlaId}/attachments?fileName=mailbox-export.zip", new ByteArrayContent(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        nodes.Clock.Advance(TimeSpan.FromDays(3));
        await RequestApiTests<RibatFactory>.MovedAsync(bLiaison, mlaId, "answered");
        await nodes.SettleAsync();

        var answered = await ReadAsync(aLiaison, mlaId);
        answered["status"]!.GetValue<string>().Should().Be("answered");
        var arrived = answered["attachments"]!.AsArray().Should().ContainSingle().Subject!;
        arrived["id"]!.GetValue<Guid>().Should().Be(file["id"]!.GetValue<Guid>());
        arrived["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        (await aLiaison.GetByteArrayAsync($"/api/v1/requests/{mlaId}/attachments/{arrived["id"]}")).Should().Equal(bytes);
        answered["history"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() != "drafted").Select(e => e!["id"]!.GetValue<Guid>()).Should().Equal(
            (await ReadAsync(bLiaison, mlaId))["history"]!.AsArray().Select(e => e!["id"]!.GetValue<Guid>()), "both sides keep the same events by the same ids; the draft was the sender's alone");

        var metrics = await (await aLiaison.GetAsync("/api/v1/requests/metrics")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var across = metrics["acrossNodes"]!;
        (across["sent"]!.GetValue<int>(), across["delivered"]!.GetValue<int>(), across["acknowledged"]!.GetValue<int>(), across["answered"]!.GetValue<int>())
            .Should().Be((2, 2, 2, 1));
        across["medianHoursToAnswer"]!.GetValue<double>().Should().BeApproximately(77, 0.1, "sent, acknowledged five hours later, answered three days after that");
    }

    [DbFact]
    public async Task Each_node_keeps_its_own_audit_trail_of_a_request_between_them()
    {
        var (a, aLiaison) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.A);
        var (b, bLiaison) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.B);
        await nodes.IntroduceAsync();
        var id = (await RequestApiTests<RibatFactory>.DraftAsync(aLiaison, RequestApiTests<RibatFactory>.Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        await RequestApiTests<RibatFactory>.MovedAsync(aLiaison, id, "sent");
        await nodes.SettleAsync();
        await RequestApiTests<RibatFactory>.MovedAsync(bLiaison, id, "acknowledged");
        await nodes.SettleAsync();

        async Task<List<(int Code, Guid? Organisation)>> TrailAsync(CooperatingNode node)
        {
            await using var db = node.Database.Open(TenantScope.NodeWide("test"));
            return (await db.AuditEntries.AsNoTracking().Where(e => e.TargetId == id.ToString()).Select(e => new { e.Code, e.OrganisationId }).ToListAsync())
                .Select(e => (e.Code, e.OrganisationId)).ToList();
        }

        var atA = await TrailAsync(nodes.A);
        var atB = await TrailAsync(nodes.B);
        atA.Should().Contain((703, a.Organisation.Id)).And.Contain((713, a.Organisation.Id)).And.Contain((704, a.Organisation.Id));
        atB.Should().Contain((712, b.Organisation.Id)).And.Contain((704, b.Organisation.Id));
        atA.Select(e => e.Organisation).Should().NotContain(b.Organisation.Id, "A writes nothing into the trail of an agency it does not host");
        atB.Select(e => e.Organisation).Should().NotContain(a.Organisation.Id);
    }
}

public sealed class CrossNodeRequestTestsSqlite(TwoCooperatingNodesSqlite nodes) : CrossNodeRequestTests<TwoCooperatingNodesSqlite>(nodes);

public sealed class CrossNodeRequestTestsPostgres(TwoCooperatingNodesPostgres nodes) : CrossNodeRequestTests<TwoCooperatingNodesPostgres>(nodes);
