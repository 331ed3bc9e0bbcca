using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>The legislation catalogue: empty until users map provisions, exchanged as JSON, and shown on requests as a dual-criminality hint.</summary>
public abstract class LegislationApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task A_country_starts_empty_users_map_provisions_and_a_request_shows_the_mapping_or_its_absence()
    {
        var (_, sender) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var jordan = await factory.CreateOrganisationAsync(country: "JO");
        var empty = await (await sender.GetAsync("/api/v1/legislation?country=JO")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        empty["offences"]!.AsArray().Should().HaveCount(9, "Arts. 2 to 10");
        empty["offences"]!.AsArray().Should().OnlyContain(o => o!["missing"]!.GetValue<bool>(), "no statute is invented");

        var reference = RibatFactory.Unique("Art.");
        var mapped = await (await sender.PostAsJsonAsync("/api/v1/legislation", new { country = "jo", offence = "Computer related fraud", reference, title = "Fraud by electronic means" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        mapped["country"]!.GetValue<string>().Should().Be("JO");
        mapped["offence"]!.GetValue<string>().Should().Be("computer-related-fraud");
        (await sender.PostAsJsonAsync("/api/v1/legislation", new { country = "JO", offence = "computer-related-fraud", reference })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = await (await sender.PostAsJsonAsync("/api/v1/legislation", new { country = "Jordan", offence = "jaywalking", reference = "" })).ShouldBeValidationProblemAsync("country");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["offence", "reference"]);

        var request = await RequestApiTests<TFactory>.DraftAsync(sender, new
        {
            type = "mutual-assistance",
            subject = "Production",
            addressedOrganisationId = jordan.Id,
            offences = new[] { "computer-related-fraud", "illegal-access" },
            fields = new { requestingAuthority = "Prosecutor", facts = "f", measures = "Production order", dataRequested = "Mailbox", legalBasis = "Art. 31" },
        });
        var hints = request["dualCriminality"]!.AsArray();
        hints.Single(h => h!["offence"]!.GetValue<string>() == "computer-related-fraud")!["provisions"]!.AsArray().Single()!["reference"]!.GetValue<string>().Should().Be(reference);
        hints.Single(h => h!["offence"]!.GetValue<string>() == "illegal-access")!["provisions"]!.AsArray().Should().BeEmpty("the mapping is missing and said so");

        var other = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var id = mapped["id"]!.GetValue<Guid>();
        (await other.Liaison.PutAsJsonAsync($"/api/v1/legislation/{id}", new { country = "JO", offence = "illegal-access", reference = "x" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await sender.PutAsJsonAsync($"/api/v1/legislation/{id}", new { country = "JO", offence = "computer-related-fraud", reference, title = "Fraud", notes = "as amended" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var viewer = await factory.CreateUserAsync(other.Tenant.Organisation.Id, Roles.Viewer);
        (await factory.ClientWith((await factory.CreateTokenAsync(viewer.Id)).Secret).PostAsJsonAsync("/api/v1/legislation", new { country = "JO", offence = "illegal-access", reference = "y" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [DbFact]
    public async Task The_catalogue_round_trips_as_json_and_a_bad_file_is_refused_whole_naming_each_entry()
    {
        var (_, a) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var (_, b) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var country = "LB";
        await (await a.PostAsJsonAsync("/api/v1/legislation", new { country, offence = "illegal-access", reference = "Law 81/2018 Art. 110", title = "Access" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var exported = await (await a.GetAsync($"/api/v1/legislation/export?country={country}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        exported["format"]!.GetValue<string>().Should().Be("ribat-legislation/1");
        exported["provisions"]!.AsArray().Should().ContainSingle();

        var summary = await (await b.PostAsync("/api/v1/legislation/import", new StringContent(exported.ToJsonString(), Encoding.UTF8, "application/json"))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        summary["unchanged"]!.GetValue<int>().Should().Be(1, "the same provision is not duplicated");

        var bad = new JsonObject
        {
            ["format"] = "ribat-legislation/1",
            ["provisions"] = new JsonArray(
                new JsonObject { ["country"] = country, ["offence"] = "data-interference", ["reference"] = "Art. 111" },
                new JsonObject { ["country"] = country, ["offence"] = "littering", ["reference"] = "Art. 5" },
                new JsonObject { ["country"] = "XX1", ["offence"] = "illegal-access", ["reference"] = "Art. 6" }),
        };
        var problem = await (await b.PostAsync("/api/v1/legislation/import", new StringContent(bad.ToJsonString(), Encoding.UTF8, "application/json"))).ShouldBeValidationProblemAsync("provisions[1].offence");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain("provisions[2].country");
        (await a.GetStringAsync($"/api/v1/legislation/export?country={country}")).Should().NotContain("Art. 111", "a refused file adds nothing");

        await (await b.PostAsync("/api/v1/legislation/import", new StringContent("{\"format\":\"ribat-legislation/1\",\"provisions\":[", Encoding.UTF8, "application/json"))).ShouldBeValidationProblemAsync("file");
        await (await b.PostAsync("/api/v1/legislation/import", new StringContent("{\"format\":\"misp\",\"provisions\":[]}", Encoding.UTF8, "application/json"))).ShouldBeValidationProblemAsync("format");
        await (await b.PostAsync("/api/v1/legislation/import", new StringContent("null", Encoding.UTF8, "application/json"))).ShouldBeValidationProblemAsync("format");
        (await b.PostAsync("/api/v1/legislation/import", new ByteArrayContent(new byte[2 * 1024 * 1024]))).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        var added = await (await b.PostAsync("/api/v1/legislation/import", new StringContent(bad["provisions"]![0]!.ToJsonString() is { } first
            ? $"{{\"format\":\"ribat-legislation/1\",\"provisions\":[{first}]}}" : string.Empty, Encoding.UTF8, "application/json"))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        added["added"]!.GetValue<int>().Should().Be(1);
    }
}

public sealed class LegislationApiTestsSqlite(SqliteFactory factory) : LegislationApiTests<SqliteFactory>(factory);

public sealed class LegislationApiTestsPostgres(PostgresFactory factory) : LegislationApiTests<PostgresFactory>(factory);
