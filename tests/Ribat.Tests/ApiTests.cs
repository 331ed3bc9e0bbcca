using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>Organisations, users, tokens, me and preferences through the API; what bad input gets back.</summary>
public abstract class ApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private async Task<(int Orgs, int Users, int Audit)> CountRowsAsync()
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return (await db.Organisations.CountAsync(), await db.Users.CountAsync(), await db.AuditEntries.CountAsync());
    }

    [DbFact]
    public async Task Node_admin_creates_reads_and_changes_an_organisation()
    {
        var client = await factory.NodeAdminClientAsync();
        var name = RibatFactory.Unique("Gendarmerie");

        var created = await client.PostAsJsonAsync("/api/v1/organisations", new { name = "  " + name + " ", country = "fr", kind = "Police", contactEmail = "desk@gn.example" });

        var org = await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = org["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().Should().Be($"/api/v1/organisations/{id}");
        org["name"]!.GetValue<string>().Should().Be(name);
        org["country"]!.GetValue<string>().Should().Be("FR");
        org["kind"]!.GetValue<string>().Should().Be("police");

        var read = await (await client.GetAsync(created.Headers.Location)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        read["contactEmail"]!.GetValue<string>().Should().Be("desk@gn.example");

        var changed = await client.PatchJsonAsync($"/api/v1/organisations/{id}", new { contactPhone = "+33 1 23 45 67 89", requireTwoFactor = true });
        var after = await changed.ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        after["contactPhone"]!.GetValue<string>().Should().Be("+33 1 23 45 67 89");
        after["requireTwoFactor"]!.GetValue<bool>().Should().BeTrue();
        after["contactEmail"]!.GetValue<string>().Should().Be("desk@gn.example", "absent fields stay as they are");
    }

    [DbFact]
    public async Task Duplicate_organisation_name_is_a_409()
    {
        var client = await factory.NodeAdminClientAsync();
        var name = RibatFactory.Unique("CERT");
        (await client.PostAsJsonAsync("/api/v1/organisations", new { name, country = "MA", kind = "cert" })).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await CountRowsAsync();

        var duplicate = await client.PostAsJsonAsync("/api/v1/organisations", new { name, country = "JO", kind = "cert" });

        (await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>().Should().Contain(name);
        (await CountRowsAsync()).Should().Be(before, "a refused change writes nothing, not even an audit row");
    }

    [DbFact]
    public async Task Invalid_organisation_names_every_bad_field()
    {
        var client = await factory.NodeAdminClientAsync();
        var before = await CountRowsAsync();

        var response = await client.PostAsJsonAsync("/api/v1/organisations", new { name = " ", country = "XX", kind = "1", contactEmail = "not-an-email" });

        var problem = await response.ShouldBeValidationProblemAsync("name");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["country", "kind", "contactEmail"]);
        (await CountRowsAsync()).Should().Be(before);
    }

    [DbFact]
    public async Task Unknown_ids_are_404_problems()
    {
        var client = await factory.NodeAdminClientAsync();
        var unknown = Guid.CreateVersion7();

        await (await client.GetAsync($"/api/v1/organisations/{unknown}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.PatchJsonAsync($"/api/v1/organisations/{unknown}", new { contactName = "x" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/users/{unknown}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.PatchJsonAsync($"/api/v1/users/{unknown}", new { displayName = "x" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/api/v1/tokens/{unknown}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task Malformed_ids_and_query_values_are_400_problems()
    {
        var client = await factory.NodeAdminClientAsync();

        await (await client.GetAsync("/api/v1/organisations/not-a-guid")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/v1/organisations?limit=lots")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/v1/users?organisation=nobody")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/v1/audit?from=yesterday")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    public static TheoryData<string> BadBodies => new()
    {
        "{name:",
        "{\"name\": 5, \"country\": \"FR\", \"kind\": \"cert\"}",
        "{\"name\": \"Truncated\", \"country\": \"FR\", \"ki",
        "[1, 2, 3]",
        "\"just a string\"",
        "{\"name\": \"x\", \"country\": \"FR\", \"kind\": \"cert\", \"requireTwoFactor\": \"maybe\"}",
        "{\"name\": \"\\uD800\", \"country\": \"FR\", \"kind\": \"cert\"}",
        "",
    };

    [DbFact]
    public async Task Unreadable_bodies_are_400_problems_and_write_nothing()
    {
        var client = await factory.NodeAdminClientAsync();
        var before = await CountRowsAsync();

        foreach (var body in BadBodies)
        {
            var response = await client.PostAsync("/api/v1/organisations", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem["detail"]?.GetValue<string>().Should().NotContain("   at ", "no stack trace leaks to the caller");
        }

        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        await (await client.PostAsync("/api/v1/organisations", new StringContent(deep, Encoding.UTF8, "application/json"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await client.PostAsync("/api/v1/organisations", new StringContent("name=x", Encoding.UTF8, "text/plain"))).StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await CountRowsAsync()).Should().Be(before);
    }

    [DbFact]
    public async Task Huge_body_is_refused_with_a_problem_and_writes_nothing()
    {
        var client = await factory.NodeAdminClientAsync();
        var before = await CountRowsAsync();
        var body = "{\"name\":\"" + new string('x', 11 * 1024 * 1024) + "\",\"country\":\"FR\",\"kind\":\"cert\"}";

        var response = await client.PostAsync("/api/v1/organisations", new StringContent(body, Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).Should().BeOneOf(400, 413);
        await response.ShouldBeProblemAsync(response.StatusCode);
        (await CountRowsAsync()).Should().Be(before);
    }

    [DbFact]
    public async Task Hostile_text_is_stored_verbatim_and_returned_as_escaped_json()
    {
        var client = await factory.NodeAdminClientAsync();
        var name = "Robert'); DROP TABLE organisations;-- <script>alert(1)</script> \"&\" " + Guid.NewGuid().ToString("N")[..8];

        var created = await client.PostAsJsonAsync("/api/v1/organisations", new { name, country = "TN", kind = "regulator", contactName = "O'Brien ; SELECT * FROM users" });

        var org = await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        created.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var read = await client.GetAsync(created.Headers.Location);
        var raw = await read.Content.ReadAsStringAsync();
        read.Content.Headers.ContentType!.MediaType.Should().Be("application/json", "a browser must never render the answer as HTML");
        read.Headers.GetValues("X-Content-Type-Options").Should().Contain("nosniff");
        JsonNode.Parse(raw)!["name"]!.GetValue<string>().Should().Be(name);
        JsonNode.Parse(raw)!["contactName"]!.GetValue<string>().Should().Be("O'Brien ; SELECT * FROM users");
        (await client.GetAsync("/api/v1/organisations?limit=500")).StatusCode.Should().Be(HttpStatusCode.OK, "the table is still there");
        org["id"]!.GetValue<Guid>().Should().NotBeEmpty();
    }

    [DbFact]
    public async Task Overlong_names_and_control_characters_are_refused()
    {
        var client = await factory.NodeAdminClientAsync();
        var before = await CountRowsAsync();

        foreach (var name in new[] { new string('a', 201), new string('a', 100_000), "Bad\u0000Name", "Bell\u0007", "Line\nbreak", "Esc\u001b[31m" })
        {
            var response = await client.PostAsJsonAsync("/api/v1/organisations", new { name, country = "FR", kind = "cert" });
            await response.ShouldBeValidationProblemAsync("name");
        }

        var tenant = await factory.CreateTenantAsync();
        var admin = factory.ClientWith(tenant.AdminSecret);
        await (await admin.PostAsJsonAsync("/api/v1/users", new { email = $"{Guid.NewGuid():N}@x.example", displayName = "Nul\u0000", roles = new[] { "analyst" } }))
            .ShouldBeValidationProblemAsync("displayName");
        await (await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "tab\u0000", scope = "read" })).ShouldBeValidationProblemAsync("name");
        (await CountRowsAsync()).Should().Be((before.Orgs + 1, before.Users + 2, before.Audit + 5), "only the tenant set-up was written");
    }

    [DbFact]
    public async Task Org_admin_adds_reads_changes_a_user_with_one_time_password()
    {
        var tenant = await factory.CreateTenantAsync();
        var admin = factory.ClientWith(tenant.AdminSecret);
        var email = $"{Guid.NewGuid():N}@police.example";

        var created = await admin.PostAsJsonAsync("/api/v1/users", new { email, displayName = "Karim", roles = new[] { "investigator", "liaison" } });

        var body = await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = body["user"]!["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().Should().Be($"/api/v1/users/{id}");
        body["oneTimePassword"]!.GetValue<string>().Should().HaveLength(20);
        body["user"]!["mustChangePassword"]!.GetValue<bool>().Should().BeTrue();
        body["user"]!["organisationId"]!.GetValue<Guid>().Should().Be(tenant.Organisation.Id);

        var read = await (await admin.GetAsync(created.Headers.Location)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        read["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("investigator", "liaison");
        read.ToJsonString().Should().NotContain("oneTimePassword").And.NotContain("passwordHash", "the password is never shown again");

        var changed = await (await admin.PatchJsonAsync($"/api/v1/users/{id}", new { displayName = "Karim B.", roles = new[] { "analyst" } })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        changed["displayName"]!.GetValue<string>().Should().Be("Karim B.");
        changed["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("analyst");

        await (await admin.PostAsJsonAsync("/api/v1/users", new { email = email.ToUpperInvariant(), roles = new[] { "analyst" } })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var invalid = await admin.PostAsJsonAsync("/api/v1/users", new { email = "nobody", roles = new[] { "wizard" } });
        (await invalid.ShouldBeValidationProblemAsync("email"))["errors"]!.AsObject().Select(e => e.Key).Should().Contain("roles");
        await (await admin.PostAsJsonAsync("/api/v1/users", new { email = $"{Guid.NewGuid():N}@x.example", roles = new[] { "analyst" }, password = "short" })).ShouldBeValidationProblemAsync("password");
    }

    [DbFact]
    public async Task Me_and_preferences()
    {
        var tenant = await factory.CreateTenantAsync();
        var analyst = factory.ClientWith(tenant.AnalystSecret);

        var me = await (await analyst.GetAsync("/api/v1/me")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        me["email"]!.GetValue<string>().Should().Be(tenant.Analyst.Email);
        me["language"]!.GetValue<string>().Should().Be("en");

        var changed = await (await analyst.PatchJsonAsync("/api/v1/me/preferences", new { language = "ar", calendar = "Hijri" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        changed["language"]!.GetValue<string>().Should().Be("ar");
        changed["calendar"]!.GetValue<string>().Should().Be("hijri");
        (await (await analyst.GetAsync("/api/v1/me")).ReadJsonAsync())["calendar"]!.GetValue<string>().Should().Be("hijri");

        await (await analyst.PatchJsonAsync("/api/v1/me/preferences", new { language = "de" })).ShouldBeValidationProblemAsync("language");
        await (await analyst.PatchJsonAsync("/api/v1/me/preferences", new { calendar = "1" })).ShouldBeValidationProblemAsync("calendar");
        await (await analyst.PatchJsonAsync("/api/v1/me/preferences", new { calendar = "gregorian,hijri" })).ShouldBeValidationProblemAsync("calendar");
        (await (await analyst.GetAsync("/api/v1/me")).ReadJsonAsync())["calendar"]!.GetValue<string>().Should().Be("hijri", "refused changes change nothing");
    }

    [DbFact]
    public async Task Tokens_are_created_listed_and_revoked_through_the_api()
    {
        var tenant = await factory.CreateTenantAsync();
        var analyst = factory.ClientWith(tenant.AnalystSecret);

        var created = await analyst.PostAsJsonAsync("/api/v1/tokens", new { name = "script", scope = "read", days = 7 });

        var body = await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var secret = body["secret"]!.GetValue<string>();
        var id = body["token"]!["id"]!.GetValue<Guid>();
        secret.Should().StartWith("rbt_");
        created.Headers.Location!.ToString().Should().Be($"/api/v1/tokens/{id}");
        body["token"]!["expiresAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(5));

        var list = await (await analyst.GetAsync("/api/v1/tokens")).ReadJsonAsync();
        list["items"]!.AsArray().Select(t => t!["id"]!.GetValue<Guid>()).Should().Contain([id, tenant.AnalystTokenId]);
        list.ToJsonString().Should().NotContain(secret, "the secret is shown once only");

        var fresh = factory.ClientWith(secret);
        (await fresh.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK);
        var revoked = await (await analyst.DeleteAsync($"/api/v1/tokens/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        revoked["active"]!.GetValue<bool>().Should().BeFalse();
        await (await fresh.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        await (await analyst.PostAsJsonAsync("/api/v1/tokens", new { name = "", scope = "admin", days = 1000 })).ShouldBeValidationProblemAsync("scope");
    }

    [DbFact]
    public async Task Pages_walk_every_row_once()
    {
        var client = await factory.NodeAdminClientAsync();
        for (var i = 0; i < 7; i++)
        {
            await factory.CreateOrganisationAsync();
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/organisations?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            var items = page["items"]!.AsArray();
            items.Count.Should().BeInRange(1, 3);
            seen.AddRange(items.Select(o => o!["id"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 100);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var all = await db.Organisations.Select(o => o.Id).ToListAsync();
        seen.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(all);
        pages.Should().BeGreaterThanOrEqualTo(3);
    }

    [DbFact]
    public async Task User_and_audit_pages_walk_every_row_once()
    {
        var tenant = await factory.CreateTenantAsync();
        for (var i = 0; i < 4; i++)
        {
            await factory.CreateUserAsync(tenant.Organisation.Id);
        }

        var admin = factory.ClientWith(tenant.AdminSecret);
        var users = await WalkAsync(admin, $"/api/v1/users?organisation={tenant.Organisation.Id}&limit=2", "id");
        users.Should().OnlyHaveUniqueItems().And.HaveCount(6);

        var sequences = await WalkAsync(admin, "/api/v1/audit?limit=2", "sequence");
        sequences.Should().OnlyHaveUniqueItems();
        sequences.Select(long.Parse).Should().BeInDescendingOrder();
        sequences.Should().HaveCountGreaterThanOrEqualTo(7, "the tenant's creation alone wrote seven rows");
    }

    private static async Task<List<string>> WalkAsync(HttpClient client, string url, string key)
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync(url + (cursor is null ? "" : "&cursor=" + cursor))).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(o => o![key]!.ToString()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && ++pages < 100);
        return seen;
    }

    [DbFact]
    public async Task Bad_cursor_and_limit_are_400_naming_the_parameter()
    {
        var client = await factory.NodeAdminClientAsync();

        foreach (var path in new[] { "/api/v1/organisations", "/api/v1/users", "/api/v1/tokens", "/api/v1/audit" })
        {
            await (await client.GetAsync(path + "?cursor=not-a-cursor!")).ShouldBeValidationProblemAsync("cursor");
            await (await client.GetAsync(path + "?cursor=A")).ShouldBeValidationProblemAsync("cursor");
            await (await client.GetAsync(path + "?limit=0")).ShouldBeValidationProblemAsync("limit");
            await (await client.GetAsync(path + "?limit=501")).ShouldBeValidationProblemAsync("limit");
        }
    }
}

public sealed class ApiTestsSqlite(SqliteFactory factory) : ApiTests<SqliteFactory>(factory);

public sealed class ApiTestsPostgres(PostgresFactory factory) : ApiTests<PostgresFactory>(factory);
