using System.IO.Hashing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;
using Ribat.Tests.Cases;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>
/// A store whose correlation keys were hashes of type family and value: the next start derives every key again from
/// the observable's id (indicators, their duplicate keys, sightings, case subjects), and correlation finds the values.
/// </summary>
public abstract class ValueKeyUpgradeTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    /// <summary>The key as stores kept it before: a 64-bit hash of the type's family and the value.</summary>
    private static long HashKey(string type, string value) =>
        unchecked((long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(CorrelationKeys.Family(type) + "\n" + value)));

    [DbFact]
    public async Task Keys_stored_as_hashes_are_derived_again_from_observable_ids_when_the_node_migrates()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var values = new (string Type, string Value)[]
        {
            ("ipv4", $"198.51.100.{Random.Shared.Next(1, 254)}"),
            ("hostname", $"mail.{suffix}.example"),
            ("sha256", Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())),
            ("btc-address", SubjectApiTests<TFactory>.GenesisWallet),
        };
        var ids = new List<Guid>();
        foreach (var (type, value) in values)
        {
            var recorded = await (await client.PostAsJsonAsync("/api/v1/indicators", new { type, value })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
            ids.Add(recorded["ids"]!.AsArray().Single()!.GetValue<Guid>());
        }

        await (await client.PostAsJsonAsync($"/api/v1/indicators/{ids[0]}/sightings", new { kind = "seen" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Upgrade") }))["id"]!.GetValue<Guid>();
        var subject = (await SubjectApiTests<TFactory>.AddAsync(client, caseId, new { kind = "domain", value = $"mail.{suffix}.example", source = SubjectApiTests<TFactory>.Told }))["id"]!.GetValue<Guid>();

        // The store as an older node left it: every key a hash, and the step the migration leaves pending.
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            foreach (var (id, (type, value)) in ids.Zip(values))
            {
                var row = await db.Indicators.IgnoreQueryFilters().SingleAsync(i => i.Id == id);
                var old = HashKey(type, value);
                await db.Indicators.IgnoreQueryFilters().Where(i => i.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.ValueKey, old).SetProperty(i => i.DuplicateKey, CorrelationKeys.DuplicateKey(row.OwnerOrganisationId, row.ReportId, type, old)));
            }

            await db.Sightings.IgnoreQueryFilters().Where(s => s.IndicatorId == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(r => r.ValueKey, HashKey(values[0].Type, values[0].Value)));
            await db.CaseSubjects.IgnoreQueryFilters().Where(s => s.Id == subject).ExecuteUpdateAsync(s => s.SetProperty(r => r.ValueKey, HashKey("domain", $"mail.{suffix}.example")));
            db.NodeSettings.Add(new NodeSetting { Key = StoreUpgrades.ValueKeysFromObservables, Value = "pending" });
            await db.SaveChangesAsync();
        }

        var before = await SearchAsync(client, values[0].Value);
        before["holders"]!.GetValue<int>().Should().Be(0, "a value whose stored key is not the one a look-up computes is not found");
        before["sightings"]!.AsArray().Should().BeEmpty();

        (await factory.Database.MigrateAsync()).IsSuccess.Should().BeTrue();

        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            foreach (var (id, (type, value)) in ids.Zip(values))
            {
                var row = await db.Indicators.IgnoreQueryFilters().AsNoTracking().SingleAsync(i => i.Id == id);
                row.ValueKey.Should().Be(CorrelationKeys.Key(type, value));
                if (ObservableIds.Of(type, value) is { } observable)
                {
                    ObservableIds.TryKey(observable, out var key).Should().BeTrue();
                    row.ValueKey.Should().Be(key, "{0} is keyed by its observable's id", type).And.NotBe(HashKey(type, value));
                }
                else
                {
                    row.ValueKey.Should().Be(HashKey(type, value), "{0} has no observable and keeps the hash", type);
                }
                row.DuplicateKey.Should().Be(CorrelationKeys.DuplicateKey(row.OwnerOrganisationId, row.ReportId, type, row.ValueKey));
            }

            (await db.Sightings.IgnoreQueryFilters().SingleAsync(s => s.IndicatorId == ids[0])).ValueKey.Should().Be(CorrelationKeys.Key(values[0].Type, values[0].Value));
            (await db.CaseSubjects.IgnoreQueryFilters().SingleAsync(s => s.Id == subject)).ValueKey.Should().Be(CorrelationKeys.Key("domain", $"mail.{suffix}.example"));
            (await db.NodeSettings.AnyAsync(s => s.Key.StartsWith(StoreUpgrades.Pending))).Should().BeFalse("the step is done once");
            // On SQLite the value index is a key table in three parts (ADR 0019): made again, every entry in its sorted part.
            var index = db.IsPostgres
                ? "SELECT COUNT(*) AS \"Value\" FROM pg_indexes WHERE indexname = 'IX_indicators_ValueKey_DuplicateKey'"
                : """
                  SELECT (SELECT COUNT(*) FROM indicator_value_keys AS k JOIN indicators AS i ON i."Seq" = k."Seq" AND i."ValueKey" = k."ValueKey" AND i."DuplicateKey" = k."DuplicateKey") = (SELECT COUNT(*) FROM indicators)
                      AND (SELECT COUNT(*) FROM indicator_value_keys_all) = (SELECT COUNT(*) FROM indicators) AS "Value"
                  """;
            (await db.Database.SqlQueryRaw<long>(index).SingleAsync()).Should().Be(1, "the value index is built again");
        }

        foreach (var (_, value) in values)
        {
            (await HoldersAsync(client, value)).Should().Be(1, "{0} is found again", value);
        }

        (await SearchAsync(client, values[0].Value))["sightings"]!.AsArray().Should().ContainSingle("the sighting is found by the value's key");
        await (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/subjects", new { kind = "domain", value = $"mail.{suffix}.example", source = SubjectApiTests<TFactory>.Told }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    private static async Task<JsonNode> SearchAsync(HttpClient client, string value)
    {
        var found = await (await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(value)}")).ReadJsonAsync();
        return found["values"]![0]!;
    }

    private static async Task<int> HoldersAsync(HttpClient client, string value) => (await SearchAsync(client, value))["holders"]!.GetValue<int>();
}

public sealed class ValueKeyUpgradeTestsSqlite(SqliteFactory factory) : ValueKeyUpgradeTests<SqliteFactory>(factory);

public sealed class ValueKeyUpgradeTestsPostgres(PostgresFactory factory) : ValueKeyUpgradeTests<PostgresFactory>(factory);
