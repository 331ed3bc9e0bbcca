using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>Indicators, reports and warning lists through their whole life over the API: recorded, read, changed, deleted.</summary>
public abstract class IntelligenceApiLifecycleTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private static string Sha256() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [DbFact]
    public async Task Reports_are_created_read_changed_paged_and_deleted_with_their_indicators()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(a.AnalystSecret);
        var reader = factory.ClientWith(b.AnalystSecret);
        var title = RibatFactory.Unique("Phishing wave");

        var created = await owner.PostAsJsonAsync("/api/v1/reports", new
        {
            title,
            threatActor = "FIN-X",
            attackTechniques = new[] { "t1566.001" },
            sharing = new { tlp = "green", distribution = "community", handling = "H1", evaluation = "B2" },
        });
        var report = await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = report["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().Should().Be($"/api/v1/reports/{id}");
        report["attackTechniques"]!.AsArray().Single()!.GetValue<string>().Should().Be("T1566.001");
        report["sharing"]!["handling"]!.GetValue<string>().Should().Be("H1");

        var batch = await owner.PostAsJsonAsync("/api/v1/indicators", new
        {
            reportId = id,
            indicators = new[] { new { type = "sha256", value = Sha256() }, new { type = "sha256", value = Sha256() }, new { type = "sha256", value = Sha256() } },
        });
        var ids = (await batch.ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["ids"]!.AsArray().Select(i => i!.GetValue<Guid>()).ToList();
        var read = await (await reader.GetAsync($"/api/v1/indicators/{ids[0]}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        read["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:GREEN", "indicators recorded into a report take its terms");

        var first = await (await reader.GetAsync($"/api/v1/reports/{id}/indicators?limit=2")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var second = await (await reader.GetAsync($"/api/v1/reports/{id}/indicators?limit=2&cursor={first["nextCursor"]!.GetValue<string>()}")).ReadJsonAsync();
        second["nextCursor"].Should().BeNull();
        first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(i => i!["id"]!.GetValue<Guid>())
            .Should().Equal(ids.OrderDescending(), "two pages, newest first, none repeated or skipped");

        (await (await reader.GetAsync($"/api/v1/reports?q={Uri.EscapeDataString(title)}")).ReadJsonAsync())["items"]!.AsArray().Single()!["indicators"]!.GetValue<int>().Should().Be(3);
        await (await reader.PutAsJsonAsync($"/api/v1/reports/{id}", new { title = "mine now" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync($"/api/v1/reports/{id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var changed = await owner.PutAsJsonAsync($"/api/v1/reports/{id}", new { title = title + " (update)", description = "More detail." });
        var after = await changed.ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        after["description"]!.GetValue<string>().Should().Be("More detail.");
        after["threatActor"].Should().BeNull("PUT replaces the content");
        after["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:GREEN", "without sharing the terms stay");
        await (await owner.PutAsJsonAsync($"/api/v1/reports/{id}", new { title = " " })).ShouldBeValidationProblemAsync("title");
        await (await owner.PostAsJsonAsync("/api/v1/reports", new { title = "x", attackTechniques = new[] { "T1566", null } })).ShouldBeValidationProblemAsync("attackTechniques");

        (await owner.DeleteAsync($"/api/v1/reports/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await owner.GetAsync($"/api/v1/reports/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"/api/v1/reports/{id}/indicators")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"/api/v1/indicators/{ids[0]}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task One_indicator_is_recorded_read_changed_and_deleted()
    {
        var a = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(a.AnalystSecret);

        var created = await owner.PostAsJsonAsync("/api/v1/indicators", new
        {
            type = "url",
            value = "hxxps://login.example[.]net/reset?id=1",
            comment = "phishing kit",
            tags = new[] { "phishing" },
            confidence = 70,
            sharing = new { tlp = "amber+strict", pap = "red", handling = "H2,H3", handlingConditions = "Ask the desk first." },
        });
        var result = await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = result["ids"]!.AsArray().Single()!.GetValue<Guid>();
        created.Headers.Location!.ToString().Should().Be($"/api/v1/indicators/{id}");

        var dto = await (await owner.GetAsync(created.Headers.Location)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        dto["value"]!.GetValue<string>().Should().Be("https://login.example.net/reset?id=1");
        dto["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:AMBER+STRICT");
        dto["sharing"]!["handlingConditions"]!.GetValue<string>().Should().Be("Ask the desk first.");
        dto["sharing"]!["mayEnrichActively"]!.GetValue<bool>().Should().BeFalse("PAP:RED binds the owner too");

        var again = await owner.PostAsJsonAsync("/api/v1/indicators", new { type = "url", value = "https://login.example.net/reset?id=1" });
        (await again.ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["duplicates"]!.GetValue<int>().Should().Be(1, "a value already held is not recorded twice");

        var changed = await owner.PatchJsonAsync($"/api/v1/indicators/{id}", new { confidence = 20, falsePositive = true, sharing = new { tlp = "green" } });
        var after = await changed.ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        after["confidence"]!.GetValue<int>().Should().Be(20);
        after["falsePositive"]!.GetValue<bool>().Should().BeTrue();
        after["comment"]!.GetValue<string>().Should().Be("phishing kit", "absent fields stay");
        after["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:GREEN");
        after["sharing"]!["pap"]!.GetValue<string>().Should().Be("PAP:RED", "terms not named stay");
        await (await owner.PatchJsonAsync($"/api/v1/indicators/{id}", new { confidence = 101 })).ShouldBeValidationProblemAsync("confidence");
        await (await owner.PatchJsonAsync($"/api/v1/indicators/{id}", new { sharing = new { tlp = "purple" } })).ShouldBeValidationProblemAsync("tlp");

        (await owner.DeleteAsync($"/api/v1/indicators/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await owner.GetAsync($"/api/v1/indicators/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await owner.DeleteAsync($"/api/v1/indicators/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task Node_administrators_load_warning_lists_that_flag_recorded_values()
    {
        var admin = await factory.NodeAdminClientAsync();
        var a = await factory.CreateTenantAsync();
        var analyst = factory.ClientWith(a.AnalystSecret);
        var name = RibatFactory.Unique("Partner CDNs");
        var host = $"cdn-{Guid.NewGuid():N}.partner-cdn.net";
        var list = $$"""{"name": "{{name}}", "version": 3, "description": "Hosts of partner CDNs", "type": "hostname", "list": ["{{host}}"], "matching_attributes": ["domain", "hostname"]}""";

        await (await factory.ClientWith(a.AdminSecret).PostAsync("/api/v1/warning-lists", Json(list))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var loaded = await (await admin.PostAsync("/api/v1/warning-lists", Json(list))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var id = loaded["id"]!.GetValue<Guid>();
        loaded["entries"]!.GetValue<int>().Should().Be(1);
        loaded["enabled"]!.GetValue<bool>().Should().BeTrue();

        var lists = await (await analyst.GetAsync("/api/v1/warning-lists")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        lists["items"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()).Should().Contain(name);
        lists["items"]!.AsArray().Should().Contain(l => l!["builtIn"]!.GetValue<bool>());

        var flagged = await (await analyst.PostAsJsonAsync("/api/v1/indicators", new { type = "domain", value = host })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        flagged["warnings"]!.AsArray().Single()!["list"]!.GetValue<string>().Should().Be(name);

        var disabled = await admin.PutAsJsonAsync($"/api/v1/warning-lists/{id}/enabled", new { enabled = false });
        (await disabled.ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["enabled"]!.GetValue<bool>().Should().BeFalse();
        var clean = await (await analyst.PostAsJsonAsync("/api/v1/indicators", new { type = "hostname", value = host })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        clean["warnings"]!.AsArray().Should().BeEmpty("a disabled list flags nothing");

        await (await admin.PutAsJsonAsync($"/api/v1/warning-lists/{id}/enabled", new { })).ShouldBeValidationProblemAsync("enabled");
        await (await factory.ClientWith(a.AdminSecret).PutAsJsonAsync($"/api/v1/warning-lists/{id}/enabled", new { enabled = true })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PutAsJsonAsync($"/api/v1/warning-lists/{Guid.CreateVersion7()}/enabled", new { enabled = true })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var bad = await admin.PostAsync("/api/v1/warning-lists", Json("""{"name": "no entries", "version": 1}"""));
        (await bad.ShouldBeValidationProblemAsync("file"))["detail"]!.GetValue<string>().Should().Contain("'list' is missing");
        await (await admin.PostAsync("/api/v1/warning-lists", Json("""{"name": "x", "list": ["a"]"""))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var plain = await admin.PostAsync("/api/v1/warning-lists", new StringContent(list, Encoding.UTF8, "text/plain"));
        await plain.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }
}

public sealed class IntelligenceApiLifecycleTestsSqlite(SqliteFactory factory) : IntelligenceApiLifecycleTests<SqliteFactory>(factory);

public sealed class IntelligenceApiLifecycleTestsPostgres(PostgresFactory factory) : IntelligenceApiLifecycleTests<PostgresFactory>(factory);
