using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Stix.Serialization;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary>
/// STIX 2.1 bundles through <c>/api/v1/stix</c>: the public corpus (OASIS examples, MITRE ATT&amp;CK for ICS, APT1 and
/// Poison Ivy, read from ../shared/corpus/stix/) imports with every reference resolved and exports again without
/// loss; Ribat's own indicators leave as STIX with their terms; bad bundles are refused whole.
/// </summary>
public abstract class StixExchangeTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/stix+json");
        return content;
    }

    private async Task<int> StoredAsync()
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return await db.StixObjects.CountAsync();
    }

    [DbFact]
    public async Task Every_corpus_bundle_imports_with_every_reference_resolved_and_exports_again_without_loss()
    {
        foreach (var file in Directory.GetFiles(SharedCorpus.Path("stix"), "*.json").Order())
        {
            var tenant = await factory.CreateTenantAsync();
            var client = factory.ClientWith(tenant.AnalystSecret);
            var bytes = await File.ReadAllBytesAsync(file);
            using var original = JsonDocument.Parse(bytes);
            var isBundle = original.RootElement.GetProperty("type").GetString() == "bundle";
            var objects = isBundle ? original.RootElement.GetProperty("objects").EnumerateArray().ToList() : [original.RootElement];

            // Organisation only: the export then holds this organisation's copy alone, not another's of the same ids.
            var imported = await (await client.PostAsync("/api/v1/stix/import?tlp=green&distribution=organisation-only", Body(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            imported["objects"]!.GetValue<int>().Should().Be(objects.Count, file);
            imported["added"]!.GetValue<int>().Should().Be(objects.Count, file);
            if (isBundle)
            {
                imported["missingReferenceCount"]!.GetValue<int>().Should().Be(0, $"{file}: {imported["missingReferences"]}");
            }
            else
            {
                // The lone campaign of the interoperability tests names an author and a marking it does not carry.
                imported["missingReferences"]!.AsArray().Select(r => r!.GetValue<string>()).Should()
                    .Equal("identity--f431f809-377b-45e0-aa1c-6a4751cae5ff", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ec");
            }

            var exported = await client.GetAsync("/api/v1/stix/export?allVersions=true");
            exported.StatusCode.Should().Be(HttpStatusCode.OK);
            exported.Content.Headers.ContentType!.MediaType.Should().Be("application/stix+json");
            using var bundle = JsonDocument.Parse(await exported.Content.ReadAsByteArrayAsync());
            var mine = bundle.RootElement.GetProperty("objects").EnumerateArray()
                .Where(o => objects.Any(x => x.GetProperty("id").GetString() == o.GetProperty("id").GetString()))
                .ToList();
            mine.Should().HaveCount(objects.Count, file);
            for (var i = 0; i < objects.Count; i++)
            {
                JsonSemantic.FirstDifference(objects[i], mine[i]).Should().BeNull($"{file}: object {i} ({objects[i].GetProperty("id")}) comes back as it went in");
            }

            var again = await (await client.PostAsync("/api/v1/stix/import", Body(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            again["added"]!.GetValue<int>().Should().Be(0, "every version is already held");
            again["alreadyHeld"]!.GetValue<int>().Should().Be(objects.Count);
        }
    }

    [DbFact]
    public async Task Attack_for_ics_keeps_its_custom_objects_and_properties()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var bytes = await File.ReadAllBytesAsync(SharedCorpus.Path("stix", "ics-attack-18.1.json"));
        var imported = await (await client.PostAsync("/api/v1/stix/import", Body(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        imported["added"]!.GetValue<int>().Should().Be(1826);

        var tactics = await client.GetStringAsync("/api/v1/stix/export?type=x-mitre-tactic");
        using var bundle = JsonDocument.Parse(tactics);
        var objects = bundle.RootElement.GetProperty("objects").EnumerateArray().ToList();
        objects.Should().NotBeEmpty();
        foreach (var tactic in objects)
        {
            tactic.GetProperty("type").GetString().Should().Be("x-mitre-tactic");
            tactic.GetProperty("x_mitre_shortname").GetString().Should().NotBeNullOrEmpty();
        }
    }

    [DbFact]
    public async Task A_simple_stix_indicator_becomes_a_ribat_indicator_too()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var bytes = await File.ReadAllBytesAsync(SharedCorpus.Path("stix", "indicator-for-c2-ip-address.json"));
        var imported = await (await client.PostAsync("/api/v1/stix/import?tlp=amber", Body(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        imported["indicatorsRecorded"]!.GetValue<int>().Should().BeGreaterThan(0);

        var listed = await (await client.GetAsync("/api/v1/indicators?mine=true")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var ipv4 = listed["items"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "ipv4")!;
        ipv4["sourceId"]?.GetValue<string>().Should().StartWith("indicator--");
    }

    [DbFact]
    public async Task A_ribat_indicator_leaves_as_stix_with_its_pattern_observable_and_terms_and_goes_when_deleted()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var recorded = await (await client.PostAsJsonAsync("/api/v1/indicators", new
        {
            type = "ipv4",
            value = "198.51.100.23",
            sharing = new { tlp = "amber", pap = "red", distribution = "community", handling = "H1,H2", evaluation = "B2" },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = recorded["ids"]!.AsArray().Single()!.GetValue<Guid>();

        using var bundle = JsonDocument.Parse(await client.GetStringAsync("/api/v1/stix/export"));
        var objects = bundle.RootElement.GetProperty("objects").EnumerateArray().ToList();
        var indicator = objects.Single(o => o.GetProperty("id").GetString() == $"indicator--{id}");
        indicator.GetProperty("pattern").GetString().Should().Be("[ipv4-addr:value = '198.51.100.23']");
        indicator.GetProperty("object_marking_refs")[0].GetString().Should().Be("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421");
        var terms = indicator.GetProperty("extensions").GetProperty(Core.Federation.RibatStixExtension.Id);
        terms.GetProperty("pap").GetString().Should().Be("PAP:RED");
        terms.GetProperty("distribution").GetString().Should().Be("community");
        terms.GetProperty("handling").EnumerateArray().Select(h => h.GetString()).Should().Equal("H1", "H2");
        terms.GetProperty("evaluation").GetString().Should().Be("B2");
        objects.Should().Contain(o => o.GetProperty("type").GetString() == "ipv4-addr" && o.GetProperty("value").GetString() == "198.51.100.23");
        objects.Should().Contain(o => o.GetProperty("id").GetString() == Core.Federation.RibatStixExtension.Id, "the bundle defines the extension its objects use");

        var validator = new Ribat.Stix.Validation.StixValidator();
        validator.ValidateBundle(bundle.RootElement).Where(i => i.Severity == Ribat.Stix.StixSeverity.Error).Should().BeEmpty();

        (await client.DeleteAsync($"/api/v1/indicators/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var after = await client.GetStringAsync("/api/v1/stix/export");
        after.Should().NotContain(id.ToString(), "deleting the indicator deletes its STIX versions");
    }

    [DbFact]
    public async Task Another_organisation_sees_community_objects_but_not_organisation_only_ones()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var mine = Guid.NewGuid();
        var shared = Guid.NewGuid();
        await (await factory.ClientWith(a.AnalystSecret).PostAsync("/api/v1/stix/import?tlp=green&distribution=organisation-only", Body(Encoding.UTF8.GetBytes(Campaign(mine))))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        await (await factory.ClientWith(a.AnalystSecret).PostAsync("/api/v1/stix/import?tlp=green&distribution=community", Body(Encoding.UTF8.GetBytes(Campaign(shared))))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);

        var seen = await factory.ClientWith(b.AnalystSecret).GetStringAsync("/api/v1/stix/export?type=campaign");
        seen.Should().Contain(shared.ToString()).And.NotContain(mine.ToString());
        (await factory.ClientWith(a.AnalystSecret).GetStringAsync("/api/v1/stix/export?type=campaign")).Should().Contain(mine.ToString());
    }

    private static string Campaign(Guid id) => $$"""
        {"type":"bundle","id":"bundle--{{Guid.NewGuid()}}","objects":[
         {"type":"campaign","spec_version":"2.1","id":"campaign--{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Operation {{id}}"}]}
        """;

    [DbFact]
    public async Task An_object_marked_red_stays_red_whatever_the_import_asks()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var bundle = """
            {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
             {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
              "pattern":"[domain-name:value = 'red.example']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]}]}
            """;
        await (await factory.ClientWith(a.AnalystSecret).PostAsync("/api/v1/stix/import?tlp=clear&distribution=community", Body(Encoding.UTF8.GetBytes(bundle)))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        (await factory.ClientWith(b.AnalystSecret).GetStringAsync("/api/v1/stix/export")).Should().NotContain("red.example");
        (await factory.ClientWith(a.AnalystSecret).GetStringAsync("/api/v1/stix/export")).Should().Contain("red.example");
    }

    [DbFact]
    public async Task Malformed_invalid_truncated_and_oversized_bundles_are_refused_and_nothing_is_stored()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var before = await StoredAsync();

        (await (await client.PostAsync("/api/v1/stix/import", Body("{\"type\":\"bundle\","u8.ToArray()))).ShouldBeValidationProblemAsync("bundle"))
            .ToJsonString().Should().Contain("not valid JSON");

        var invalid = """{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}""";
        (await (await client.PostAsync("/api/v1/stix/import", Body(Encoding.UTF8.GetBytes(invalid)))).ShouldBeValidationProblemAsync("bundle"))
            .ToJsonString().Should().Contain("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").And.Contain("pattern");

        var apt1 = await File.ReadAllBytesAsync(SharedCorpus.Path("stix", "apt1.json"));
        foreach (var length in new[] { 1, apt1.Length / 3, apt1.Length - 2 })
        {
            (await client.PostAsync("/api/v1/stix/import", Body(apt1[..length]))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        (await client.PostAsync("/api/v1/stix/import", Body("[]"u8.ToArray()))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsync("/api/v1/stix/import", Body([0xff, 0xfe, 0x00]))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsync("/api/v1/stix/import?tlp=purple", Body(apt1))).ShouldBeValidationProblemAsync("tlp").Result.Should().NotBeNull();

        var huge = new ByteArrayContent([]);
        huge.Headers.ContentLength = Core.Federation.ImportStix.MaxBytes + 1;
        var oversized = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stix/import") { Content = huge };
        (await client.SendAsync(oversized)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);

        (await StoredAsync()).Should().Be(before, "a refused bundle stores nothing");
    }

    [DbFact]
    public async Task Read_only_tokens_and_prosecutors_cannot_import()
    {
        var tenant = await factory.CreateTenantAsync();
        var readOnly = await factory.CreateTokenAsync(tenant.Analyst.Id, "read");
        var bytes = await File.ReadAllBytesAsync(SharedCorpus.Path("stix", "poisonivy.json"));
        await (await factory.ClientWith(readOnly.Secret).PostAsync("/api/v1/stix/import", Body(bytes))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var prosecutor = await factory.CreateUserAsync(tenant.Organisation.Id, Roles.Prosecutor);
        var token = await factory.CreateTokenAsync(prosecutor.Id);
        await (await factory.ClientWith(token.Secret).PostAsync("/api/v1/stix/import", Body(bytes))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class StixExchangeTestsSqlite(SqliteFactory factory) : StixExchangeTests<SqliteFactory>(factory);

public sealed class StixExchangeTestsPostgres(PostgresFactory factory) : StixExchangeTests<PostgresFactory>(factory);
