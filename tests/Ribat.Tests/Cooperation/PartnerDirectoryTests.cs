using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ribat.Core.Cooperation;
using Ribat.Core.Federation;
using Ribat.Core.Sharing;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>The 24/7 directory between two nodes: each node's contacts reach the other, read-only and marked with their node.</summary>
public abstract class PartnerDirectoryTests<TNodes>(TNodes nodes) : IClassFixture<TNodes>
    where TNodes : TwoCooperatingNodes
{
    private static async Task<JsonObject?> ListedAsync(HttpClient reader, Guid contact) =>
        (await (await reader.GetAsync("/api/v1/contact-points")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK))
        .Select(c => c!.AsObject()).FirstOrDefault(c => c["id"]!.GetValue<Guid>() == contact);

    [DbFact]
    public async Task A_contact_added_changed_and_removed_on_one_node_follows_on_the_other_read_only()
    {
        var a = await nodes.A.CreateTenantAsync();
        var b = await nodes.B.CreateTenantAsync();
        await nodes.IntroduceAsync();
        var admin = nodes.A.ClientWith(a.AdminSecret);
        var reader = nodes.B.ClientWith(b.AnalystSecret);

        var added = await (await admin.PostAsJsonAsync("/api/v1/contact-points", new { name = "Duty desk", email = "duty@a.example", timeZone = "Europe/Paris", languages = new[] { "fr", "en" }, always = true }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = added["id"]!.GetValue<Guid>();
        (await ListedAsync(reader, id)).Should().BeNull("B has not synchronised yet");
        await nodes.SettleAsync();

        var seen = (await ListedAsync(reader, id))!;
        seen.Should().NotBeNull("A's contact reaches B");
        seen["organisationName"]!.GetValue<string>().Should().Be(a.Organisation.Name);
        seen["node"]!.GetValue<Guid>().Should().Be(nodes.NodeOf(nodes.A));
        seen["mayChange"]!.GetValue<bool>().Should().BeFalse();
        seen["languages"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Equal("fr", "en");
        (await nodes.B.ClientWith(b.AdminSecret).PutAsJsonAsync($"/api/v1/contact-points/{id}", new { name = "Taken over", timeZone = "Asia/Amman" }))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "a partner's entry is changed on its own node only");

        nodes.Clock.Advance(TimeSpan.FromMinutes(5));
        (await admin.PutAsJsonAsync($"/api/v1/contact-points/{id}", new { name = "Night desk", email = "night@a.example", timeZone = "Europe/Paris", always = true }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        await nodes.SettleAsync();
        (await ListedAsync(reader, id))!["name"]!.GetValue<string>().Should().Be("Night desk");

        nodes.Clock.Advance(TimeSpan.FromMinutes(5));
        (await admin.DeleteAsync($"/api/v1/contact-points/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await nodes.SettleAsync();
        (await ListedAsync(reader, id)).Should().BeNull("a removal travels too");
    }

    [DbFact]
    public async Task A_partner_may_describe_only_its_own_organisations_contacts_and_only_with_valid_details()
    {
        var a = await nodes.A.CreateTenantAsync();
        var b = await nodes.B.CreateTenantAsync();
        await nodes.IntroduceAsync();
        var nodeA = nodes.NodeOf(nodes.A);
        var local = await (await nodes.B.ClientWith(b.AdminSecret).PostAsJsonAsync("/api/v1/contact-points", new { name = "B desk", timeZone = "Asia/Amman" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

        string Contact(Guid id, Guid organisation, Guid owner, Action<JsonObject>? change = null)
        {
            var now = DeliveryReceipts.Timestamp(DateTimeOffset.UtcNow);
            var stix = new JsonObject
            {
                ["type"] = PartnerDirectory.StixType,
                ["spec_version"] = "2.1",
                ["id"] = PartnerDirectory.StixId(id),
                ["created"] = now,
                ["modified"] = now,
                ["organisation"] = organisation.ToString(),
                ["contact_name"] = "Desk",
                ["time_zone"] = "Europe/Paris",
                ["languages"] = new JsonArray("fr"),
            };
            change?.Invoke(stix);
            RibatStixExtension.Apply(stix, new SharingTerms(new OrganisationRef(owner, nodeA), Tlp.Green, Pap.Green, Distribution.ConnectedCommunities));
            return stix.ToJsonString();
        }

        async Task<string> RefusedAsync(string stix)
        {
            var status = await nodes.PushAsync(nodes.A, nodes.B, [stix]);
            status.FailureCount.Should().Be(1);
            return status.Failures![0].Message!;
        }

        var other = Guid.CreateVersion7();
        (await RefusedAsync(Contact(Guid.CreateVersion7(), other, a.Organisation.Id))).Should().Contain("only its own organisations' contacts");
        (await RefusedAsync(Contact(local["id"]!.GetValue<Guid>(), a.Organisation.Id, a.Organisation.Id))).Should().Contain("belongs to an organisation of this node");
        (await RefusedAsync(Contact(Guid.CreateVersion7(), a.Organisation.Id, a.Organisation.Id, c => c["time_zone"] = "Mars/Olympus"))).Should().Contain("timeZone");
        (await RefusedAsync(Contact(Guid.CreateVersion7(), a.Organisation.Id, a.Organisation.Id, c => c["email"] = "not an address"))).Should().Contain("email");
        (await RefusedAsync(Contact(Guid.CreateVersion7(), a.Organisation.Id, a.Organisation.Id, c => c["contact_name"] = new string('x', 201)))).Should().Contain("name");
        (await RefusedAsync(Contact(Guid.CreateVersion7(), a.Organisation.Id, a.Organisation.Id, c => c["languages"] = "fr"))).Should().Contain("languages");

        var list = await (await nodes.B.ClientWith(b.AnalystSecret).GetAsync("/api/v1/contact-points")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        list.Should().NotContain(c => c!["node"] != null && c["organisationId"]!.GetValue<Guid>() == other);
    }

    [DbFact]
    public async Task A_provider_entry_kept_on_one_node_is_listed_read_only_on_the_other_and_a_partner_never_changes_ours()
    {
        var a = await nodes.A.CreateTenantAsync();
        var b = await nodes.B.CreateTenantAsync();
        await nodes.IntroduceAsync();
        var name = RibatFactory.Unique("Mail host");
        var added = await (await nodes.A.ClientWith(a.AdminSecret).PostAsJsonAsync("/api/v1/providers", new { name, country = "IE", kind = "service-provider", legalBasis = "Production order", retention = "90 days" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = added["id"]!.GetValue<Guid>();
        var ours = await (await nodes.B.ClientWith(b.AdminSecret).PostAsJsonAsync("/api/v1/providers", new { name = RibatFactory.Unique("Registrar"), country = "JO", kind = "registrar" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        await nodes.SettleAsync();

        async Task<JsonObject?> ListedAsync(Guid provider) =>
            (await (await nodes.B.ClientWith(b.AnalystSecret).GetAsync("/api/v1/providers")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK))
            .Select(p => p!.AsObject()).FirstOrDefault(p => p["id"]!.GetValue<Guid>() == provider);

        var seen = (await ListedAsync(id))!;
        seen.Should().NotBeNull("A's entry reaches B");
        seen["node"]!.GetValue<Guid>().Should().Be(nodes.NodeOf(nodes.A));
        seen["retention"]!.GetValue<string>().Should().Be("90 days");
        (await nodes.B.ClientWith(b.AdminSecret).PutAsJsonAsync($"/api/v1/providers/{id}", new { name, country = "FR" })).StatusCode.Should().Be(HttpStatusCode.NotFound, "B does not keep A's entry");
        var bOwn = (await nodes.B.ClientWith(b.AdminSecret).GetStringAsync("/api/v1/providers/export"));
        bOwn.Should().NotContain(name, "an export holds only the node's own entries");

        nodes.Clock.Advance(TimeSpan.FromMinutes(5));
        (await nodes.A.ClientWith(a.AdminSecret).PutAsJsonAsync($"/api/v1/providers/{id}", new { name, country = "IE", kind = "service-provider", retention = "180 days" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        await nodes.SettleAsync();
        (await ListedAsync(id))!["retention"]!.GetValue<string>().Should().Be("180 days");

        var now = DeliveryReceipts.Timestamp(DateTimeOffset.UtcNow);
        string Entry(Guid entry, string country)
        {
            var stix = new JsonObject
            {
                ["type"] = PartnerProviders.StixType,
                ["spec_version"] = "2.1",
                ["id"] = PartnerProviders.StixId(entry),
                ["created"] = now,
                ["modified"] = now,
                ["provider_name"] = "Forged",
                ["country"] = country,
                ["provider_kind"] = "registrar",
            };
            RibatStixExtension.Apply(stix, new SharingTerms(new OrganisationRef(a.Organisation.Id, nodes.NodeOf(nodes.A)), Tlp.Green, Pap.Green, Distribution.ConnectedCommunities));
            return stix.ToJsonString();
        }

        var refused = await nodes.PushAsync(nodes.A, nodes.B, [Entry(ours["id"]!.GetValue<Guid>(), "JO"), Entry(Guid.CreateVersion7(), "Atlantis")]);
        refused.Failures!.Select(f => f.Message).Should().SatisfyRespectively(
            first => first.Should().Contain("this node", "an entry this node keeps is never changed by a partner"),
            second => second.Should().Contain("country"));
    }
}

public sealed class PartnerDirectoryTestsSqlite(TwoCooperatingNodesSqlite nodes) : PartnerDirectoryTests<TwoCooperatingNodesSqlite>(nodes);

public sealed class PartnerDirectoryTestsPostgres(TwoCooperatingNodesPostgres nodes) : PartnerDirectoryTests<TwoCooperatingNodesPostgres>(nodes);
