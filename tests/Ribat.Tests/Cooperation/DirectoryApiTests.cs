using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>The 24/7 point-of-contact directory: each organisation keeps its own entries, everyone finds them by country.</summary>
public abstract class DirectoryApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task A_directory_entry_shows_who_is_on_duty_now_from_the_roster_and_nothing_outside_a_shift()
    {
        var jordan = await factory.CreateTenantAsync();
        var reader = factory.ClientWith((await factory.CreateTenantAsync()).AnalystSecret);
        var admin = factory.ClientWith(jordan.AdminSecret);
        var contact = await (await admin.PostAsJsonAsync("/api/v1/contact-points", new { name = "Duty desk", timeZone = "Asia/Amman", always = true }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        contact["onDuty"].Should().BeNull("nobody is on the roster yet");

        var now = DateTimeOffset.UtcNow;
        await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = jordan.Analyst.Id, startsAt = now.AddHours(2), endsAt = now.AddHours(10), timeZone = "Asia/Amman" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        (await EntryAsync(reader, contact))["onDuty"].Should().BeNull("a shift that has not started is nobody's duty yet");

        var until = now.AddHours(6);
        await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = jordan.Analyst.Id, startsAt = now.AddHours(-2), endsAt = until, timeZone = "Asia/Amman" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var onDuty = (await EntryAsync(reader, contact))["onDuty"]!;
        onDuty["name"]!.GetValue<string>().Should().Be(jordan.Analyst.DisplayName);
        onDuty["until"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(until, TimeSpan.FromSeconds(1));
        onDuty["timeZone"]!.GetValue<string>().Should().Be("Asia/Amman");
        onDuty.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["name", "until", "timeZone"], "no user or shift id leaves the organisation");
    }

    private static async Task<JsonNode> EntryAsync(HttpClient reader, JsonObject contact) =>
        (await (await reader.GetAsync("/api/v1/contact-points")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK))
            .Single(c => c!["id"]!.GetValue<Guid>() == contact["id"]!.GetValue<Guid>())!;

    [DbFact]
    public async Task An_organisation_lists_its_contacts_and_every_organisation_finds_them_by_country()
    {
        var tunis = await factory.CreateOrganisationAsync(country: "TN");
        var liaison = factory.ClientWith((await factory.CreateTokenAsync((await factory.CreateUserAsync(tunis.Id, Roles.Liaison)).Id)).Secret);
        var other = await factory.CreateTenantAsync();
        var key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBGX\n-----END PGP PUBLIC KEY BLOCK-----";
        var added = await (await liaison.PostAsJsonAsync("/api/v1/contact-points", new
        {
            name = "Duty officer",
            role = "24/7 desk",
            email = "duty@unit.example",
            phone = "+216 71 000 000",
            languages = new[] { "AR", "fr" },
            timeZone = "Africa/Tunis",
            publicKey = key,
            always = true,
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        added["languages"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Equal("ar", "fr");
        var id = added["id"]!.GetValue<Guid>();

        var reader = factory.ClientWith(other.AnalystSecret);
        var found = await (await reader.GetAsync("/api/v1/contact-points?country=tn")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        var entry = found.Single(c => c!["id"]!.GetValue<Guid>() == id)!;
        entry["organisationName"]!.GetValue<string>().Should().Be(tunis.Name);
        entry["publicKey"]!.GetValue<string>().Should().Be(key);
        entry["mayChange"]!.GetValue<bool>().Should().BeFalse();
        (await reader.GetStringAsync("/api/v1/contact-points?country=JO")).Should().NotContain(id.ToString());
        await (await reader.GetAsync("/api/v1/contact-points?country=Tunisia")).ShouldBeValidationProblemAsync("country");

        (await reader.PutAsJsonAsync($"/api/v1/contact-points/{id}", new { name = "x", timeZone = "Europe/Paris" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.ClientWith(other.AdminSecret).DeleteAsync($"/api/v1/contact-points/{id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = await (await liaison.PostAsJsonAsync("/api/v1/contact-points", new { name = " ", timeZone = "Mars/Olympus", email = "not-an-address", languages = new[] { "english" }, publicKey = "ssh-rsa AAAA" }))
            .ShouldBeValidationProblemAsync("name");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["timeZone", "email", "languages", "publicKey"]);

        var changed = await (await liaison.PutAsJsonAsync($"/api/v1/contact-points/{id}", new { name = "Night duty", timeZone = "Africa/Tunis" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        changed["always"]!.GetValue<bool>().Should().BeFalse();
        (await liaison.DeleteAsync($"/api/v1/contact-points/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await reader.GetStringAsync("/api/v1/contact-points?country=TN")).Should().NotContain(id.ToString());
    }
}

public sealed class DirectoryApiTestsSqlite(SqliteFactory factory) : DirectoryApiTests<SqliteFactory>(factory);

public sealed class DirectoryApiTestsPostgres(PostgresFactory factory) : DirectoryApiTests<PostgresFactory>(factory);
