using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>The provider knowledge base exchanged as a <c>ribat-providers/1</c> JSON document, and what a bad file gets.</summary>
public abstract class ProviderExchangeTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static object Entry(string name, string country = "IE", string? notes = null) =>
        new { name, country, kind = "service-provider", legalBasis = "Second Additional Protocol Art. 7", retention = "90 days", notes };

    [DbFact]
    public async Task An_exported_knowledge_base_imports_again_adding_new_entries_changing_different_ones_and_leaving_equal_ones()
    {
        var (_, sender) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var kept = RibatFactory.Unique("Kept Mail");
        var changed = RibatFactory.Unique("Changed Cloud");
        (await sender.PostAsJsonAsync("/api/v1/providers", Entry(kept))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await sender.PostAsJsonAsync("/api/v1/providers", Entry(changed))).StatusCode.Should().Be(HttpStatusCode.Created);

        var exported = await (await sender.GetAsync("/api/v1/providers/export")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        exported["format"]!.GetValue<string>().Should().Be("ribat-providers/1");
        var providers = exported["providers"]!.AsArray();
        providers.Select(p => p!["name"]!.GetValue<string>()).Should().Contain([kept, changed]);
        providers.Single(p => p!["name"]!.GetValue<string>() == kept)!["retention"]!.GetValue<string>().Should().Be("90 days");
        exported.ToJsonString().Should().NotContain("turnaround", "what an organisation saw of a provider is not exchanged");

        var added = RibatFactory.Unique("New Registrar");
        var file = new JsonObject
        {
            ["format"] = "ribat-providers/1",
            ["providers"] = new JsonArray(
                JsonNode.Parse(providers.Single(p => p!["name"]!.GetValue<string>() == kept)!.ToJsonString()),
                JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Entry(changed, notes: "Answers within 10 days"))),
                new JsonObject { ["name"] = added, ["country"] = "de", ["kind"] = "registrar" }),
        };
        var summary = await (await sender.PostAsync("/api/v1/providers/import", Json(file.ToJsonString()))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        summary["added"]!.GetValue<int>().Should().Be(1);
        summary["changed"]!.GetValue<int>().Should().Be(1);
        summary["unchanged"]!.GetValue<int>().Should().Be(1);

        var list = await (await sender.GetAsync("/api/v1/providers")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        list.Single(p => p!["name"]!.GetValue<string>() == changed)!["notes"]!.GetValue<string>().Should().Be("Answers within 10 days");
        var registrar = list.Single(p => p!["name"]!.GetValue<string>() == added)!;
        registrar["country"]!.GetValue<string>().Should().Be("DE");
        registrar["kind"]!.GetValue<string>().Should().Be("registrar");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == AuditEvents.ProvidersImported.Code && e.Details!.Contains("\"added\":1"))).Should().BeGreaterThan(0);
    }

    [DbFact]
    public async Task A_bad_file_is_refused_whole_naming_what_is_wrong_and_writes_nothing()
    {
        var (_, sender) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var fresh = RibatFactory.Unique("Never Written");
        var good = System.Text.Json.JsonSerializer.Serialize(new { format = "ribat-providers/1", providers = new[] { Entry(fresh) } });

        await (await sender.PostAsync("/api/v1/providers/import", Json("this is not json"))).ShouldBeValidationProblemAsync("file");
        await (await sender.PostAsync("/api/v1/providers/import", Json(good[..(good.Length / 2)]))).ShouldBeValidationProblemAsync("file");
        await (await sender.PostAsync("/api/v1/providers/import", Json("""{"format":"ribat-legislation/1","provisions":[]}"""))).ShouldBeValidationProblemAsync("format");
        await (await sender.PostAsync("/api/v1/providers/import", Json("""{"format":"ribat-providers/1"}"""))).ShouldBeValidationProblemAsync("format");
        await (await sender.PostAsync("/api/v1/providers/import", Json("""{"format":"ribat-providers/1","providers":{"name":"x"}}"""))).ShouldBeValidationProblemAsync("file");
        var deep = "{\"format\":\"ribat-providers/1\",\"providers\":[{\"notes\":" + new string('[', 64) + new string(']', 64) + "}]}";
        await (await sender.PostAsync("/api/v1/providers/import", Json(deep))).ShouldBeValidationProblemAsync("file");

        var bad = System.Text.Json.JsonSerializer.Serialize(new
        {
            format = "ribat-providers/1",
            providers = new object?[]
            {
                Entry(fresh),
                new { name = "", country = "Atlantis", kind = "authority" },
                Entry(fresh),
                new { name = "Too long notes", country = "FR", notes = new string('n', 10_001) },
                null,
            },
        });
        var problem = await (await sender.PostAsync("/api/v1/providers/import", Json(bad))).ShouldBeValidationProblemAsync("providers[1].name");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["providers[1].country", "providers[1].kind", "providers[2].name", "providers[3].notes", "providers[4].name"]);

        var many = System.Text.Json.JsonSerializer.Serialize(new { format = "ribat-providers/1", providers = Enumerable.Range(0, 2001).Select(i => new { name = $"P{i}", country = "FR" }) });
        await (await sender.PostAsync("/api/v1/providers/import", Json(many))).ShouldBeValidationProblemAsync("providers");

        var oversized = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        oversized.Headers.ContentType = new("application/json");
        await (await sender.PostAsync("/api/v1/providers/import", oversized)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        (await sender.GetStringAsync("/api/v1/providers")).Should().NotContain(fresh, "a refused file writes nothing");
        var viewer = factory.ClientWith((await factory.CreateTenantAsync()).AnalystSecret);
        (await viewer.PostAsync("/api/v1/providers/import", Json(good))).StatusCode.Should().Be(HttpStatusCode.Forbidden, "an analyst does not send requests");
    }
}

public sealed class ProviderExchangeTestsSqlite(SqliteFactory factory) : ProviderExchangeTests<SqliteFactory>(factory);

public sealed class ProviderExchangeTestsPostgres(PostgresFactory factory) : ProviderExchangeTests<PostgresFactory>(factory);
