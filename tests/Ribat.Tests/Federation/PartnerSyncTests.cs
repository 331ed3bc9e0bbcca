using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Tenancy;
using Ribat.Stix.Model;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary>The persisted pull cursor per partner collection and the idempotent delivery record with its latency.</summary>
public abstract class PartnerSyncTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private async Task<(HttpClient Admin, Guid Partner)> PartnerAsync()
    {
        var admin = await factory.NodeAdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/partners", PartnerApiTests<TFactory>.NewPartner())).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        return (admin, created["partner"]!["id"]!.GetValue<Guid>());
    }

    [DbFact]
    public async Task The_cursor_keeps_the_servers_precision_only_moves_forward_and_is_per_collection()
    {
        var (admin, partner) = await PartnerAsync();
        var cursors = factory.Get<AdvanceSyncCursor>();
        (await cursors.CurrentAsync(partner, "collection-a")).Should().BeNull("nothing was pulled yet");

        var later = StixTimestamp.Parse("2026-11-23T01:02:03.123456Z");
        (await cursors.HandleAsync(partner, "collection-a", later)).Value.Should().Be(later);
        (await cursors.HandleAsync(partner, "collection-a", StixTimestamp.Parse("2026-11-23T01:02:03.123455Z"))).Value.Should().Be(later, "an older page never moves it back");
        (await cursors.CurrentAsync(partner, "collection-a")).Should().Be(later);
        (await cursors.CurrentAsync(partner, "collection-b")).Should().BeNull();
        var next = StixTimestamp.Parse("2026-11-23T01:02:04Z");
        await cursors.HandleAsync(partner, "collection-a", next);
        (await cursors.CurrentAsync(partner, "collection-a")).Should().Be(next);

        (await cursors.HandleAsync(Guid.CreateVersion7(), "collection-a", later)).Error!.Kind.Should().Be(ErrorKind.NotFound);
        (await cursors.HandleAsync(partner, " ", later)).Error!.Fields!.Should().ContainKey("collectionId");
        (await cursors.HandleAsync(partner, new string('c', 201), later)).Error!.Kind.Should().Be(ErrorKind.Validation);

        var sync = await (await admin.GetAsync($"/api/v1/partners/{partner}/sync")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var cursor = sync["cursors"]!.AsArray().Single()!;
        cursor["collectionId"]!.GetValue<string>().Should().Be("collection-a");
        cursor["addedAfter"]!.GetValue<string>().Should().Be(next.ToString());
    }

    [DbFact]
    public async Task Deliveries_are_idempotent_by_id_and_modified_and_their_latency_is_reported()
    {
        var (admin, partner) = await PartnerAsync();
        var record = factory.Get<RecordDeliveries>();
        var origin = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
        DeliveredObject Object(int i, string modified = "2026-11-23T01:00:00.000Z") =>
            new($"indicator--00000000-0000-4000-8000-{i:D12}", modified, origin.AddMilliseconds(-100 * i));

        (await record.HandleAsync(partner, DeliveryDirection.Outbound, [Object(1), Object(2), Object(3)], origin.AddSeconds(1))).Value.Should().Be(3);
        (await record.HandleAsync(partner, DeliveryDirection.Outbound, [Object(1), Object(2), Object(3), Object(4)], origin.AddSeconds(30))).Value.Should().Be(1, "a retried push records only what is new");
        (await record.HandleAsync(partner, DeliveryDirection.Outbound, [Object(1, "2026-11-23T01:00:05.000Z")], origin.AddSeconds(6))).Value.Should().Be(1, "a newer version is another delivery");
        (await record.HandleAsync(partner, DeliveryDirection.Inbound, [Object(1)], origin.AddSeconds(2))).Value.Should().Be(1, "directions are separate");
        (await record.IsRecordedAsync(partner, DeliveryDirection.Outbound, Object(2).StixId, Object(2).Modified)).Should().BeTrue();
        (await record.IsRecordedAsync(partner, DeliveryDirection.Inbound, Object(2).StixId, Object(2).Modified)).Should().BeFalse();

        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            var one = Object(1);
            var first = await db.Deliveries.AsNoTracking().SingleAsync(d => d.PartnerId == partner && d.Direction == DeliveryDirection.Outbound && d.StixId == one.StixId && d.Modified == one.Modified);
            first.DeliveredAt.Should().Be(origin.AddSeconds(1), "the first delivery time stands");
        }

        var sync = await (await admin.GetAsync($"/api/v1/partners/{partner}/sync")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var outbound = sync["latency"]!.AsArray().Single(l => l!["direction"]!.GetValue<string>() == "outbound")!;
        outbound["count"]!.GetValue<int>().Should().Be(5);

        // Latencies from each object's creation: 1.1 s, 1.2 s, 1.3 s, 30.4 s (the retried push), 6.1 s (the newer version);
        // nearest-rank p50 is the third of five, p99 the fifth.
        outbound["p50Milliseconds"]!.GetValue<double>().Should().Be(1_300);
        outbound["p99Milliseconds"]!.GetValue<double>().Should().Be(30_400);
        var inbound = sync["latency"]!.AsArray().Single(l => l!["direction"]!.GetValue<string>() == "inbound")!;
        inbound["count"]!.GetValue<int>().Should().Be(1);
        inbound["p50Milliseconds"]!.GetValue<double>().Should().Be(2_100);
        (await admin.GetAsync($"/api/v1/partners/{Guid.CreateVersion7()}/sync")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task Bad_delivery_records_are_refused_by_field_and_nothing_is_stored()
    {
        var (_, partner) = await PartnerAsync();
        var record = factory.Get<RecordDeliveries>();
        var now = DateTimeOffset.UtcNow;
        var refused = await record.HandleAsync(partner, DeliveryDirection.Inbound,
            [new("not-an-id", "2026-11-23T01:00:00Z", now), new("indicator--00000000-0000-4000-8000-000000000001", "yesterday", now)], now);
        refused.Error!.Fields!.Keys.Should().BeEquivalentTo("objects[0].stixId", "objects[1].modified");
        (await record.HandleAsync(partner, DeliveryDirection.Inbound, Enumerable.Range(0, 1001).Select(i => new DeliveredObject($"indicator--{Guid.NewGuid()}", "2026-11-23T01:00:00Z", now)).ToList(), now))
            .Error!.Fields!.Should().ContainKey("objects");
        (await record.HandleAsync(Guid.CreateVersion7(), DeliveryDirection.Inbound, [new($"indicator--{Guid.NewGuid()}", "2026-11-23T01:00:00Z", now)], now)).Error!.Kind.Should().Be(ErrorKind.NotFound);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.Deliveries.CountAsync(d => d.PartnerId == partner)).Should().Be(0);
    }
}

public sealed class PartnerSyncTestsSqlite(SqliteFactory factory) : PartnerSyncTests<SqliteFactory>(factory);

public sealed class PartnerSyncTestsPostgres(PostgresFactory factory) : PartnerSyncTests<PostgresFactory>(factory);
