using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Node;
using Ribat.Core.Tenancy;
using Ribat.Hosting;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary>Partner nodes through the API: recording, secrets kept and shown once, node administrators only, bad input.</summary>
public abstract class PartnerApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    internal static object NewPartner(string? name = null, Guid? nodeId = null, string apiRoot = "https://taxii.partner.example/api1", string? credential = null, string? publicKey = null) => new
    {
        name = name ?? RibatFactory.Unique("CERT-EE"),
        nodeId = nodeId ?? Guid.CreateVersion7(),
        apiRoot,
        userName = "ribat-fr",
        credential = credential ?? $"pw-{Guid.NewGuid():N}",
        publicKey = publicKey ?? NewKeyPem(),
        distributions = new[] { "connected-communities" },
        tlpCeiling = "amber",
    };

    internal static string NewKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static string FingerprintOf(string pem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    [DbFact]
    public async Task A_node_admin_records_a_partner_whose_credential_is_kept_encrypted_and_whose_secret_is_shown_once()
    {
        var admin = await factory.NodeAdminClientAsync();
        var credential = $"s3cret-{Guid.NewGuid():N}";
        var pem = NewKeyPem();
        var nodeId = Guid.CreateVersion7();
        var response = await admin.PostAsJsonAsync("/api/v1/partners", NewPartner("CERT-EE " + nodeId.ToString("N")[..8], nodeId, "https://taxii.cert.example/api1", credential, pem));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        text.Should().NotContain(credential, "the credential goes in and never comes out");
        var created = JsonNode.Parse(text)!;
        var secret = created["inboundSecret"]!.GetValue<string>();
        secret.Should().StartWith("rbp_").And.HaveLength(47);
        var partner = created["partner"]!;
        var id = partner["id"]!.GetValue<Guid>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/partners/{id}");
        partner["nodeId"]!.GetValue<Guid>().Should().Be(nodeId);
        partner["apiRoot"]!.GetValue<string>().Should().Be("https://taxii.cert.example/api1/", "an API root ends with a slash");
        partner["authentication"]!.GetValue<string>().Should().Be("basic");
        partner["publicKeyFingerprint"]!.GetValue<string>().Should().Be(FingerprintOf(pem));
        partner["tlpCeiling"]!.GetValue<string>().Should().Be("TLP:AMBER");
        partner["enabled"]!.GetValue<bool>().Should().BeTrue();
        partner["inboundPrefix"]!.GetValue<string>().Should().Be(secret[..12]);

        var read = await admin.GetStringAsync($"/api/v1/partners/{id}");
        read.Should().Contain(FingerprintOf(pem)).And.NotContain(credential).And.NotContain(secret);
        (await admin.GetStringAsync("/api/v1/partners?limit=500")).Should().Contain(id.ToString()).And.NotContain(credential).And.NotContain(secret);

        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            var row = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == id);
            row.OutboundCredential.Should().NotContain(credential, "it is stored encrypted");
            factory.Get<PartnerCredentials>().Unprotect(row).Should().Be(credential, "the TAXII client can read it back");
            row.InboundSecretHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Code == 830 && a.TargetId == id.ToString()).SingleAsync();
            audit.Details.Should().Contain(FingerprintOf(pem)).And.NotContain(credential).And.NotContain(secret);
        }

        var authenticate = factory.Get<AuthenticatePartner>();
        (await authenticate.HandleAsync(secret))!.NodeId.Should().Be(nodeId);
        (await authenticate.HandleAsync(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'))).Should().BeNull();
        (await authenticate.HandleAsync("rbt_" + secret[4..])).Should().BeNull("an API token is not a partner secret");
    }

    [DbFact]
    public async Task Disabling_stops_the_inbound_secret_at_once_and_rotating_replaces_it()
    {
        var admin = await factory.NodeAdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/partners", NewPartner())).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = created["partner"]!["id"]!.GetValue<Guid>();
        var secret = created["inboundSecret"]!.GetValue<string>();
        var authenticate = factory.Get<AuthenticatePartner>();

        var disabled = await (await admin.PostAsJsonAsync($"/api/v1/partners/{id}/disable", new { reason = "key compromise suspected" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        disabled["enabled"]!.GetValue<bool>().Should().BeFalse();
        disabled["disabledAt"].Should().NotBeNull();
        (await authenticate.HandleAsync(secret)).Should().BeNull("a disabled partner is refused");
        (await admin.PostAsync($"/api/v1/partners/{id}/disable", null)).StatusCode.Should().Be(HttpStatusCode.OK, "disabling twice changes nothing");

        (await (await admin.PostAsync($"/api/v1/partners/{id}/enable", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["enabled"]!.GetValue<bool>().Should().BeTrue();
        (await authenticate.HandleAsync(secret)).Should().NotBeNull();

        var rotated = await (await admin.PostAsync($"/api/v1/partners/{id}/inbound-secret", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var fresh = rotated["inboundSecret"]!.GetValue<string>();
        fresh.Should().NotBe(secret);
        (await authenticate.HandleAsync(secret)).Should().BeNull("the old secret stops working");
        (await authenticate.HandleAsync(fresh))!.Id.Should().Be(id);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var codes = await db.AuditEntries.AsNoTracking().Where(a => a.TargetId == id.ToString()).OrderBy(a => a.Sequence).Select(a => a.Code).ToListAsync();
        codes.Should().Equal(830, 832, 833, 834);
        (await db.AuditEntries.AsNoTracking().SingleAsync(a => a.TargetId == id.ToString() && a.Code == 832)).Details.Should().Contain("key compromise suspected");
    }

    [DbFact]
    public async Task A_change_keeps_absent_fields_replaces_the_credential_unseen_and_audits_what_changed()
    {
        var admin = await factory.NodeAdminClientAsync();
        var group = await (await admin.PostAsJsonAsync("/api/v1/sharing-groups", new { name = RibatFactory.Unique("Baltic") })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<Guid>();
        var created = await (await admin.PostAsJsonAsync("/api/v1/partners", NewPartner())).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = created["partner"]!["id"]!.GetValue<Guid>();
        var pem = NewKeyPem();
        var replacement = $"new-{Guid.NewGuid():N}";

        var changed = await admin.PatchJsonAsync($"/api/v1/partners/{id}", new
        {
            apiRoot = "http://127.0.0.1:9/taxii2/api2/",
            userName = "",
            credential = replacement,
            publicKey = pem,
            distributions = new[] { "sharing-group", "connected-communities" },
            sharingGroups = new[] { groupId },
            tlpCeiling = "green",
        });
        var text = await changed.Content.ReadAsStringAsync();
        changed.StatusCode.Should().Be(HttpStatusCode.OK, text);
        text.Should().NotContain(replacement);
        var dto = JsonNode.Parse(text)!;
        dto["apiRoot"]!.GetValue<string>().Should().Be("http://127.0.0.1:9/taxii2/api2/", "an unreachable URL is fine to store");
        dto["authentication"]!.GetValue<string>().Should().Be("bearer");
        dto["userName"].Should().BeNull();
        dto["publicKeyFingerprint"]!.GetValue<string>().Should().Be(FingerprintOf(pem));
        dto["allowedDistributions"]!.AsArray().Select(d => d!.GetValue<string>()).Should().Equal("connected-communities", "sharing-group");
        dto["allowedSharingGroups"]!.AsArray().Single()!["name"]!.GetValue<string>().Should().Be(group["name"]!.GetValue<string>());
        dto["tlpCeiling"]!.GetValue<string>().Should().Be("TLP:GREEN");
        dto["name"]!.GetValue<string>().Should().Be(created["partner"]!["name"]!.GetValue<string>(), "absent fields stay as they are");

        (await admin.PatchJsonAsync($"/api/v1/partners/{id}", new { nodeId = Guid.CreateVersion7() })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.PatchJsonAsync($"/api/v1/partners/{Guid.CreateVersion7()}", new { tlpCeiling = "red" })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var row = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == id);
        factory.Get<PartnerCredentials>().Unprotect(row).Should().Be(replacement);
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Code == 831 && a.TargetId == id.ToString());
        audit.Details.Should().Contain("credential").And.Contain("publicKey").And.Contain("apiRoot").And.NotContain(replacement);
    }

    [DbFact]
    public async Task This_nodes_identity_is_its_node_id_and_the_node_keys_public_half()
    {
        var admin = await factory.NodeAdminClientAsync();
        var identity = await (await admin.GetAsync("/api/v1/partners/identity")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        identity["nodeId"]!.GetValue<Guid>().Should().Be(await factory.Get<LocalNode>().IdAsync());
        var key = factory.Get<NodeIdentity>().Key!;
        identity["publicKeyFingerprint"]!.GetValue<string>().Should().Be(key.Fingerprint);
        FingerprintOf(identity["publicKeyPem"]!.GetValue<string>()).Should().Be(key.Fingerprint);
        identity.ToJsonString().Should().NotContain("PRIVATE");

        var own = NewPartner(nodeId: identity["nodeId"]!.GetValue<Guid>());
        await (await admin.PostAsJsonAsync("/api/v1/partners", own)).ShouldBeValidationProblemAsync("nodeId");
    }

    [DbFact]
    public async Task Only_node_administrators_with_a_write_token_administer_partners()
    {
        var admin = await factory.NodeAdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/partners", NewPartner())).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = created["partner"]!["id"]!.GetValue<Guid>();
        var name = created["partner"]!["name"]!.GetValue<string>();
        var tenant = await factory.CreateTenantAsync();

        foreach (var secret in new[] { tenant.AdminSecret, tenant.AnalystSecret })
        {
            var client = factory.ClientWith(secret);
            foreach (var response in new[]
            {
                await client.GetAsync("/api/v1/partners"),
                await client.GetAsync($"/api/v1/partners/{id}"),
                await client.GetAsync("/api/v1/partners/identity"),
                await client.PostAsJsonAsync("/api/v1/partners", NewPartner()),
                await client.PatchJsonAsync($"/api/v1/partners/{id}", new { tlpCeiling = "red" }),
                await client.PostAsync($"/api/v1/partners/{id}/disable", null),
                await client.PostAsync($"/api/v1/partners/{id}/enable", null),
                await client.PostAsync($"/api/v1/partners/{id}/inbound-secret", null),
            })
            {
                var body = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
                body.ToJsonString().Should().NotContain(name);
            }
        }

        var me = await (await admin.GetAsync("/api/v1/me")).ReadJsonAsync();
        var readOnly = factory.ClientWith((await factory.CreateTokenAsync(me["id"]!.GetValue<Guid>(), "read")).Secret);
        (await readOnly.GetAsync("/api/v1/partners")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await readOnly.PostAsJsonAsync("/api/v1/partners", NewPartner())).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await readOnly.PostAsync($"/api/v1/partners/{id}/disable", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await factory.ClientWith(null).GetAsync("/api/v1/partners")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [DbFact]
    public async Task Bad_input_is_refused_field_by_field_and_nothing_is_stored()
    {
        var admin = await factory.NodeAdminClientAsync();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        async Task<string> RefusedAsync(object body, string field)
        {
            var problem = await (await admin.PostAsJsonAsync("/api/v1/partners", body)).ShouldBeValidationProblemAsync(field);
            return problem["errors"]![field]![0]!.GetValue<string>();
        }

        (await RefusedAsync(new { }, "name")).Should().Contain("required");
        var everything = await (await admin.PostAsJsonAsync("/api/v1/partners", new { })).ShouldBeValidationProblemAsync("name");
        everything["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["nodeId", "apiRoot", "credential", "publicKey"]);
        (await RefusedAsync(NewPartner(apiRoot: "taxii.partner.example/api1"), "apiRoot")).Should().Contain("not an absolute http or https URL");
        (await RefusedAsync(NewPartner(apiRoot: "ftp://taxii.partner.example/"), "apiRoot")).Should().Contain("not an absolute http or https URL");
        (await RefusedAsync(NewPartner(apiRoot: "https://user:pw@taxii.partner.example/api1/"), "apiRoot")).Should().Contain("user name or password");
        (await RefusedAsync(NewPartner(apiRoot: "https://taxii.partner.example/api1/?x=1"), "apiRoot")).Should().Contain("no query");
        (await RefusedAsync(NewPartner(apiRoot: "https://" + new string('a', 2100) + ".example/"), "apiRoot")).Should().Contain("longer than");
        (await RefusedAsync(NewPartner(publicKey: "not a key"), "publicKey")).Should().Contain("not PEM");
        (await RefusedAsync(NewPartner(publicKey: p384.ExportSubjectPublicKeyInfoPem()), "publicKey")).Should().Contain("P-256");
        (await RefusedAsync(NewPartner(publicKey: rsa.ExportSubjectPublicKeyInfoPem()), "publicKey")).Should().Contain("not an elliptic-curve public key");
        (await RefusedAsync(NewPartner(publicKey: p256.ExportPkcs8PrivateKeyPem()), "publicKey")).Should().Contain("private key");
        (await RefusedAsync(NewPartner(credential: " "), "credential")).Should().Contain("required");
        (await RefusedAsync(NewPartner(name: "bad\nname"), "name")).Should().Contain("control characters");
        (await RefusedAsync(new { name = "x", nodeId = Guid.CreateVersion7(), apiRoot = "https://a.example/", credential = "c", publicKey = NewKeyPem(), distributions = new[] { "community" } }, "distributions"))
            .Should().Contain("never leave");
        (await RefusedAsync(new { name = "x", nodeId = Guid.CreateVersion7(), apiRoot = "https://a.example/", credential = "c", publicKey = NewKeyPem(), tlpCeiling = "purple" }, "tlpCeiling"))
            .Should().Contain("purple");
        var unknownGroup = Guid.CreateVersion7();
        (await RefusedAsync(new { name = "x", nodeId = Guid.CreateVersion7(), apiRoot = "https://a.example/", credential = "c", publicKey = NewKeyPem(), sharingGroups = new[] { unknownGroup } }, "sharingGroups"))
            .Should().Contain(unknownGroup.ToString());
        (await RefusedAsync(new { name = "x", nodeId = Guid.CreateVersion7(), apiRoot = "https://a.example/", userName = "a:b", credential = "c", publicKey = NewKeyPem() }, "userName"))
            .Should().Contain("colon");

        var truncated = await admin.PostAsync("/api/v1/partners", new StringContent("{\"name\":\"x\",\"nodeId\":", Encoding.UTF8, "application/json"));
        await truncated.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var wrongType = await admin.PostAsync("/api/v1/partners", new StringContent("{\"nodeId\":\"not-a-guid\"}", Encoding.UTF8, "application/json"));
        await wrongType.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var oversized = await admin.PostAsync("/api/v1/partners", new StringContent($"{{\"name\":\"{new string('x', 300_000)}\"}}", Encoding.UTF8, "application/json"));
        oversized.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await admin.GetAsync("/api/v1/partners?cursor=%%%")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.Partners.CountAsync(p => p.Name == "x" || p.Name == "bad\nname")).Should().Be(0);
        }

        var first = NewPartner();
        (await admin.PostAsJsonAsync("/api/v1/partners", first)).StatusCode.Should().Be(HttpStatusCode.Created);
        var sameName = await (await admin.PostAsJsonAsync("/api/v1/partners", first)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        sameName["detail"]!.GetValue<string>().Should().Contain("already recorded");
        var node = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(first))!["nodeId"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync("/api/v1/partners", NewPartner(nodeId: node))).StatusCode.Should().Be(HttpStatusCode.Conflict, "one partner per node");
    }
}

public sealed class PartnerApiTestsSqlite(SqliteFactory factory) : PartnerApiTests<SqliteFactory>(factory);

public sealed class PartnerApiTestsPostgres(PostgresFactory factory) : PartnerApiTests<PostgresFactory>(factory);
