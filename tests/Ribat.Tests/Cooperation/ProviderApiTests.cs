using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>The provider knowledge base: kept by those who send requests, linked from requests, with the turnaround each organisation saw.</summary>
public abstract class ProviderApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task A_provider_entry_is_kept_linked_from_a_request_and_shows_the_turnaround_seen()
    {
        var (a, sender) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var (_, other) = await RequestApiTests<TFactory>.AgencyAsync(factory);
        var name = RibatFactory.Unique("Example Mail");
        var added = await (await sender.PostAsJsonAsync("/api/v1/providers", new
        {
            name,
            country = "ie",
            legalBasis = "Second Additional Protocol Art. 7; MLA",
            dataTypes = "Subscriber, IP logs 90 days",
            retention = "90 days",
            emergencyContact = "lea-emergency@mail.example",
            requestChannel = "https://lea.mail.example",
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = added["id"]!.GetValue<Guid>();
        added["country"]!.GetValue<string>().Should().Be("IE");
        added["kind"]!.GetValue<string>().Should().Be("service-provider");
        (await sender.PostAsJsonAsync("/api/v1/providers", new { name, country = "IE" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = await (await sender.PostAsJsonAsync("/api/v1/providers", new { name = "", country = "Ireland", kind = "authority" })).ShouldBeValidationProblemAsync("name");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["country", "kind"]);

        var request = await RequestApiTests<TFactory>.DraftAsync(sender, new
        {
            type = "subscriber-information",
            subject = "Account holder",
            addresseeKind = "service-provider",
            serviceProviderId = id,
            offences = new[] { "illegal-access" },
            fields = new { requestingAuthority = "Unit", facts = "f", identifiers = "user@mail.example", legalBasis = "SAP Art. 7" },
        });
        request["addressee"]!["name"]!.GetValue<string>().Should().Be(name);
        request["requestedCountry"]!.GetValue<string>().Should().Be("IE", "the provider's seat is the requested country");
        var requestId = request["id"]!.GetValue<Guid>();
        await RequestApiTests<TFactory>.MovedAsync(sender, requestId, "sent");
        await RequestApiTests<TFactory>.MovedAsync(sender, requestId, "acknowledged");
        await RequestApiTests<TFactory>.MovedAsync(sender, requestId, "answered");

        var seen = await (await sender.GetAsync($"/api/v1/providers/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["turnaround"]!["sent"]!.GetValue<int>().Should().Be(1);
        seen["turnaround"]!["answered"]!.GetValue<int>().Should().Be(1);
        seen["turnaround"]!["medianHours"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
        var theirs = await (await other.GetAsync($"/api/v1/providers/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        theirs["turnaround"]!["sent"]!.GetValue<int>().Should().Be(0, "another organisation's requests are not counted for it");

        var changed = await (await other.PutAsJsonAsync($"/api/v1/providers/{id}", new { name, country = "IE", retention = "180 days since 2026" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        changed["retention"]!.GetValue<string>().Should().Be("180 days since 2026");
        (await factory.ClientWith(a.AnalystSecret).PutAsJsonAsync($"/api/v1/providers/{id}", new { name, country = "IE" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await sender.GetStringAsync("/api/v1/providers?kind=registrar")).Should().NotContain(id.ToString());
        await (await sender.GetAsync("/api/v1/providers?kind=bank")).ShouldBeValidationProblemAsync("kind");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.TargetId == id.ToString() && (e.Code == 740 || e.Code == 741))).Should().Be(2);
    }
}

public sealed class ProviderApiTestsSqlite(SqliteFactory factory) : ProviderApiTests<SqliteFactory>(factory);

public sealed class ProviderApiTestsPostgres(PostgresFactory factory) : ProviderApiTests<PostgresFactory>(factory);
