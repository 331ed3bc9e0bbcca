using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Tenancy;
using Ribat.Stix.Signing;
using Ribat.Stix.Taxii.Client;
using Ribat.Tests.Federation;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>
/// Joint investigations with an organisation on a partner node, through the real HTTP pipeline: the partner is played
/// by hand at this node's TAXII server (signed pushes, pulls of its exchange collection), as in the partner exchange
/// tests. What the lead's node sends, what it keeps of the partner's entries, and every hostile object refused with
/// its reason and nothing of it kept.
/// </summary>
public abstract class JointInvestigationApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private sealed record Partner(Tenant Tenant, Guid PartnerId, Guid Node, Guid Organisation, string Secret, ECDsa Key, Guid LocalNode);

    private string ApiRoot => new Uri(factory.Server.BaseAddress, "/taxii2/ribat/").ToString();

    /// <summary>A tenant here and a partner node (played by the test) hosting one police organisation this node knows of.</summary>
    private async Task<Partner> PartnerAsync()
    {
        var tenant = await factory.CreateTenantAsync();
        var played = await PlayedPartner.RecordAsync(factory);
        var node = played.Node;
        var partner = new Partner(tenant, played.PartnerId, node, Guid.CreateVersion7(), played.Secret, played.Key, played.LocalNode);
        var organisation = $$"""
            {"type":"{{OrganisationExchange.StixType}}","spec_version":"2.1","id":"{{OrganisationExchange.StixType}}--{{partner.Organisation}}","created":"2026-11-23T01:00:00.000Z",
             "modified":"2026-11-23T01:00:00.000Z","name":"Brigade centrale de lutte contre la cybercriminalité","country":"FR","organisation_kind":"police","node":"{{node}}"}
            """;
        (await PushAsync(partner, organisation)).Should().BeEmpty();
        return partner;
    }

    private TaxiiClient Client(Partner partner) => new(factory.CreateClient(), new TaxiiClientOptions
    {
        Secret = partner.Secret,
        SignBody = body => PayloadSignature.Sign(body, partner.Key),
    });

    /// <summary>Pushes signed objects as the partner; the reasons of those refused, in order.</summary>
    private async Task<List<string>> PushAsync(Partner partner, params string[] objects)
    {
        var posted = await Client(partner).PostObjectsAsync(ApiRoot, partner.PartnerId.ToString("D"), Encoding.UTF8.GetBytes($$"""{"objects":[{{string.Join(",", objects)}}]}"""));
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        return posted.Value!.Failures?.Select(f => f.Message!).ToList() ?? [];
    }

    /// <summary>Every version of <paramref name="stixId"/> the partner may pull, oldest first.</summary>
    private async Task<List<JsonElement>> PulledAsync(Partner partner, string stixId)
    {
        var page = await Client(partner).GetObjectsAsync(ApiRoot, partner.PartnerId.ToString("D"), new ObjectsQuery { Ids = [stixId], Versions = ["all"] });
        page.IsSuccess.Should().BeTrue(page.Failure?.Message);
        return [.. page.Value!.Resource.Objects ?? []];
    }

    /// <summary>Ribat's sharing-terms extension as the partner writes it: owned there, addressed to <paramref name="recipients"/>.</summary>
    private static string Terms(Guid owner, Guid ownerNode, string handling, params (Guid Organisation, Guid Node)[] recipients)
    {
        var addressed = string.Join(",", recipients.Select(r => $$"""{"organisation":"{{r.Organisation}}","node":"{{r.Node}}"}"""));
        return $$$"""
            "object_marking_refs":["{{{Ribat.Core.Sharing.Tlps.StixMarkingId(Ribat.Core.Sharing.Tlp.Amber)}}}"],
            "extensions":{"{{{RibatStixExtension.Id}}}":{"extension_type":"property-extension","pap":"PAP:AMBER","distribution":"organisation-only","handling":{{{handling}}},
              "owner_organisation":"{{{owner}}}","owner_node":"{{{ownerNode}}}","recipients":[{{{addressed}}}]}}
            """;
    }

    private static string Entry(Partner partner, Guid id, Guid caseId, string body, string modified = "2026-11-23T02:00:00.000Z", Guid? owner = null) => $$"""
        {"type":"x-ribat-case-entry","spec_version":"2.1","id":"x-ribat-case-entry--{{id}}","created":"2026-11-23T01:00:00.000Z","modified":"{{modified}}",
         "case_ref":"x-ribat-case--{{caseId}}",{{body}},
         {{Terms(owner ?? partner.Organisation, partner.Node, "[]", (partner.Tenant.Organisation.Id, partner.LocalNode))}}}
        """;

    private async Task<int> KeptFromAsync(Guid partnerId)
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return await db.StixObjects.CountAsync(s => s.PartnerId == partnerId);
    }

    [DbFact]
    public async Task A_case_with_a_partner_on_another_node_travels_to_it_with_its_evidence_list_but_no_file_and_its_entries_come_back()
    {
        var partner = await PartnerAsync();
        var lead = factory.ClientWith(partner.Tenant.AnalystSecret);

        // A partner is an organisation of this node or one a partner node hosts; anything else is refused by field.
        await (await lead.PostAsJsonAsync("/api/v1/cases", new { title = "Ransomware", partners = new[] { Guid.NewGuid() } })).ShouldBeValidationProblemAsync("partners");

        var opened = await CaseApiTests<TFactory>.OpenAsync(lead, new
        {
            title = "LockBit affiliate",
            offences = new[] { "system-interference", "computer-related-fraud" },
            partners = new[] { partner.Organisation },
            sharing = new { tlp = "red", handling = "H2" },
        });
        var caseId = opened["id"]!.GetValue<Guid>();
        opened["partners"]!.AsArray().Select(p => p!.GetValue<Guid>()).Should().Equal(partner.Organisation);
        var secret = Encoding.UTF8.GetBytes("bytes that stay on the lead's node " + Guid.NewGuid());
        var evidence = await EvidenceApiTests<TFactory>.UploadAsync(lead, caseId, secret, "fileName=locker.bin");

        var versions = await PulledAsync(partner, $"x-ribat-case--{caseId}");
        versions.Should().HaveCountGreaterThanOrEqualTo(2, "the case was opened, then its evidence list grew");
        var newest = versions[^1];
        newest.GetProperty("title").GetString().Should().Be("LockBit affiliate");
        newest.GetProperty("status").GetString().Should().Be("open");
        newest.GetProperty("offences").EnumerateArray().Select(o => o.GetString()).Should().Equal("system-interference", "computer-related-fraud");
        newest.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("organisation").GetGuid()).Should().Equal(partner.Tenant.Organisation.Id, partner.Organisation);
        var item = newest.GetProperty("evidence").EnumerateArray().Single();
        item.GetProperty("sha256").GetString().Should().Be(evidence["sha256"]!.GetValue<string>());
        item.GetProperty("name").GetString().Should().Be("locker.bin");
        item.GetProperty("custody_entries").GetInt32().Should().Be(1);
        newest.GetRawText().Should().NotContain(Convert.ToBase64String(secret)).And.NotContain("bytes that stay");

        // A custody step changes what the partner is shown of the item: its state and the number of steps.
        var itemId = evidence["id"]!.GetValue<Guid>();
        var sealedStep = await lead.PostAsJsonAsync($"/api/v1/evidence/{itemId}/custody", new { action = "seal", sealNumber = "FR-2026-0042" });
        sealedStep.StatusCode.Should().Be(HttpStatusCode.Created, await sealedStep.Content.ReadAsStringAsync());
        var afterSeal = (await PulledAsync(partner, $"x-ribat-case--{caseId}"))[^1].GetProperty("evidence").EnumerateArray().Single();
        afterSeal.GetProperty("custody_entries").GetInt32().Should().Be(2);
        versions = await PulledAsync(partner, $"x-ribat-case--{caseId}");
        newest.GetProperty("extensions").GetProperty(RibatStixExtension.Id).GetProperty("handling").EnumerateArray().Select(h => h.GetString()).Should().Contain("H2");

        // The lead's entry reaches the partner; the partner's entry is kept here, seen by the lead, named by its organisation.
        var note = await (await lead.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "note", text = "Affiliate panel seized.\nKeys pending." }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        (await PulledAsync(partner, $"x-ribat-case-entry--{note["id"]}")).Single().GetProperty("text").GetString().Should().Be("Affiliate panel seized.\nKeys pending.");
        var theirs = Guid.NewGuid();
        (await PushAsync(partner, Entry(partner, theirs, caseId, """ "kind":"timeline","text":"Server imaged in Roubaix","occurred":"2026-11-20T09:30:00.000Z","author":"Cne. Martin" """))).Should().BeEmpty();
        var joint = await (await lead.GetAsync($"/api/v1/joint-investigations/{caseId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        joint["role"]!.GetValue<string>().Should().Be("lead");
        var entries = joint["entries"]!.AsArray();
        entries.Should().HaveCount(2);
        var received = entries.Single(e => e!["id"]!.GetValue<Guid>() == theirs)!;
        received["organisationName"]!.GetValue<string>().Should().Be("Brigade centrale de lutte contre la cybercriminalité");
        received["mine"]!.GetValue<bool>().Should().BeFalse();
        received["occurredAt"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero));
        (await lead.PutAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries/{theirs}", new { kind = "note", text = "mine now" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // An older version of the partner's entry is ignored; a newer one replaces it.
        (await PushAsync(partner, Entry(partner, theirs, caseId, """ "kind":"timeline","text":"stale","occurred":"2026-11-20T09:30:00.000Z" """, modified: "2026-11-23T01:59:00.000Z"))).Should().BeEmpty();
        (await PushAsync(partner, Entry(partner, theirs, caseId, """ "kind":"timeline","text":"Server imaged in Roubaix (OVH)","occurred":"2026-11-20T09:30:00.000Z" """, modified: "2026-11-23T03:00:00.000Z"))).Should().BeEmpty();
        (await lead.GetStringAsync($"/api/v1/joint-investigations/{caseId}")).Should().Contain("Roubaix (OVH)").And.NotContain("stale");

        // Another organisation of this node sees nothing of it.
        var outsider = factory.ClientWith((await factory.CreateTenantAsync()).AnalystSecret);
        (await outsider.GetAsync($"/api/v1/joint-investigations/{caseId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await outsider.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "note", text = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Removing the partner sends it one last version saying so, and nothing after it.
        var updated = await lead.PutAsJsonAsync($"/api/v1/cases/{caseId}", new { title = "LockBit affiliate", partners = Array.Empty<Guid>(), sharing = new { recipients = Array.Empty<Guid>() } });
        updated.StatusCode.Should().Be(HttpStatusCode.OK, await updated.Content.ReadAsStringAsync());
        var last = (await PulledAsync(partner, $"x-ribat-case--{caseId}"))[^1];
        last.GetProperty("withdrawn").GetBoolean().Should().BeTrue();
        last.TryGetProperty("evidence", out _).Should().BeFalse();
        var after = await (await lead.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "note", text = "after removal" })).Content.ReadAsStringAsync();
        (await PulledAsync(partner, $"x-ribat-case--{caseId}")).Should().HaveCount(versions.Count + 1);
        after.Should().NotContain("after removal", "a case with no partner has no joint view");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == 545 && e.OrganisationId == partner.Tenant.Organisation.Id)).Should().Be(1);
        (await db.AuditEntries.CountAsync(e => e.Code == 549 && e.TargetId == theirs.ToString())).Should().Be(2, "the first version and the newer one; the older one changed nothing");
    }

    [DbFact]
    public async Task Hostile_entries_are_refused_with_their_reason_and_nothing_of_them_is_kept()
    {
        var partner = await PartnerAsync();
        var lead = factory.ClientWith(partner.Tenant.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Sextortion ring", partners = new[] { partner.Organisation } }))["id"]!.GetValue<Guid>();
        var other = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Not shared" }))["id"]!.GetValue<Guid>();
        var kept = await KeptFromAsync(partner.PartnerId);

        string E(string body, Guid? @case = null, Guid? owner = null) => Entry(partner, Guid.NewGuid(), @case ?? caseId, body, owner: owner);
        var refused = await PushAsync(partner,
            E(""" "kind":"gossip","text":"x" """),
            E(""" "kind":"note","text":"bell\u0007" """),
            E($$""" "kind":"note","text":"{{new string('x', 20_001)}}" """),
            E(""" "kind":"note" """),
            E(""" "kind":"timeline","text":"when?" """),
            E(""" "kind":"note","text":"x","occurred":"yesterday" """),
            E(""" "kind":"note","text":"x","author":"two\nlines" """),
            E(""" "kind":"note","text":"x" """, @case: other),
            E(""" "kind":"note","text":"x" """, @case: Guid.NewGuid()),
            E(""" "kind":"note","text":"x" """, owner: Guid.CreateVersion7()),
            $$"""
            {"type":"x-ribat-case-entry","spec_version":"2.1","id":"x-ribat-case-entry--{{Guid.NewGuid()}}","created":"2026-11-23T02:00:00.000Z","modified":"2026-11-23T02:00:00.000Z",
             "case_ref":"indicator--{{caseId}}","kind":"note","text":"x",{{Terms(partner.Organisation, partner.Node, "[]", (partner.Tenant.Organisation.Id, partner.LocalNode))}}}
            """,
            // The partner claiming the lead's own case: a version of an object this node's organisation owns is never taken from a partner.
            $$"""
            {"type":"x-ribat-case","spec_version":"2.1","id":"x-ribat-case--{{caseId}}","created":"2026-11-23T02:00:00.000Z","modified":"2026-11-23T02:00:00.000Z",
             "title":"Hijacked","status":"closed","members":[{"organisation":"{{partner.Organisation}}","node":"{{partner.Node}}","name":"x"}],
             {{Terms(partner.Organisation, partner.Node, "[]", (partner.Tenant.Organisation.Id, partner.LocalNode))}}}
            """);
        refused.Should().HaveCount(12);
        refused[0].Should().Contain("kind 'gossip' is not a kind of entry");
        refused[1].Should().Contain("text").And.Contain("control characters");
        refused[2].Should().Contain("longer than 20,000");
        refused[3].Should().Contain("text is missing");
        refused[4].Should().Contain("says when it happened");
        refused[5].Should().Contain("occurred is not a STIX timestamp");
        refused[6].Should().Contain("author");
        refused[7].Should().Contain("not a member of the joint investigation");
        refused[8].Should().Contain("which this node does not hold");
        refused[9].Should().Contain("not a member of the joint investigation");
        refused[10].Should().Contain("case_ref").And.Contain("not a x-ribat-case identifier");
        refused[11].Should().Contain("belongs to an organisation of this node");

        (await KeptFromAsync(partner.PartnerId)).Should().Be(kept, "nothing refused is stored");
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.JointEntries.CountAsync(e => e.CaseId == caseId || e.CaseId == other)).Should().Be(0);
        (await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Id == caseId)).Title.Should().Be("Sextortion ring");
    }

    [DbFact]
    public async Task A_case_a_partner_leads_is_shown_read_only_to_its_member_here_who_writes_entries_back_and_hostile_versions_are_refused()
    {
        var partner = await PartnerAsync();
        var member = factory.ClientWith(partner.Tenant.AnalystSecret);
        var caseId = Guid.NewGuid();
        var here = (partner.Tenant.Organisation.Id, partner.LocalNode);
        string Case(string body, string modified = "2026-11-23T02:00:00.000Z", Guid? owner = null, Guid? id = null, string handling = "[\"H2\"]", bool addressed = true) => $$"""
            {"type":"x-ribat-case","spec_version":"2.1","id":"x-ribat-case--{{id ?? caseId}}","created":"2026-11-23T02:00:00.000Z","modified":"{{modified}}",{{body}},
             {{(addressed ? Terms(owner ?? partner.Organisation, partner.Node, handling, here) : Terms(owner ?? partner.Organisation, partner.Node, handling, (Guid.CreateVersion7(), partner.LocalNode)))}}}
            """;
        var members = $$"""[{"organisation":"{{partner.Organisation}}","node":"{{partner.Node}}","name":"BL2C"},{"organisation":"{{partner.Tenant.Organisation.Id}}","node":"{{partner.LocalNode}}","name":"Us"}]""";
        var sha = new string('a', 64);
        var good = $$"""
            "title":"Opération Cendre","status":"active","offences":["illegal-access"],"lead_investigator":"Cne. Martin","members":{{members}},
            "evidence":[{"id":"{{Guid.NewGuid()}}","name":"nas.e01","size":1024,"md5":"{{new string('b', 32)}}","sha1":"{{new string('c', 40)}}","sha256":"{{sha}}","acquired":"2026-11-01T10:00:00.000Z","state":"held","custody_entries":3}]
            """;
        (await PushAsync(partner, Case(good))).Should().BeEmpty();

        var list = await (await member.GetAsync("/api/v1/joint-investigations")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        list.Select(j => j!["id"]!.GetValue<Guid>()).Should().Contain(caseId);
        var joint = await (await member.GetAsync($"/api/v1/joint-investigations/{caseId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        joint["title"]!.GetValue<string>().Should().Be("Opération Cendre");
        joint["role"]!.GetValue<string>().Should().Be("partner");
        joint["handling"]!.GetValue<string>().Should().Contain("H2");
        joint["evidence"]!.AsArray().Single()!["sha256"]!.GetValue<string>().Should().Be(sha);
        joint["members"]!.AsArray().Should().HaveCount(2);
        joint["mayWrite"]!.GetValue<bool>().Should().BeTrue();

        // The member writes back: the entry is addressed to the lead on its node, under the case's handling codes.
        var entry = await (await member.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "task", text = "Request the hosting logs", occurredAt = "2026-12-01T00:00:00Z" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var sent = (await PulledAsync(partner, $"x-ribat-case-entry--{entry["id"]}")).Single();
        var terms = sent.GetProperty("extensions").GetProperty(RibatStixExtension.Id);
        terms.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("organisation").GetGuid()).Should().Equal(partner.Organisation);
        terms.GetProperty("handling").EnumerateArray().Select(h => h.GetString()).Should().Contain("H2");
        await (await member.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "timeline", text = "no time" })).ShouldBeValidationProblemAsync("occurredAt");
        await (await member.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "rumour", text = "x" })).ShouldBeValidationProblemAsync("kind");
        await (await member.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "note", text = "nul\0" })).ShouldBeValidationProblemAsync("text");

        // Another organisation of this node is no member: nothing to see, nothing to write.
        var outsider = factory.ClientWith((await factory.CreateTenantAsync()).AnalystSecret);
        (await outsider.GetAsync($"/api/v1/joint-investigations/{caseId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await outsider.GetStringAsync("/api/v1/joint-investigations")).Should().NotContain(caseId.ToString());

        var kept = await KeptFromAsync(partner.PartnerId);
        var refused = await PushAsync(partner,
            Case(good.Replace("\"active\"", "\"archived\""), modified: "2026-11-23T03:00:01.000Z"),
            Case(good.Replace("illegal-access", "jaywalking"), modified: "2026-11-23T03:00:02.000Z"),
            Case(good.Replace("Opération Cendre", "Op\\u0000"), modified: "2026-11-23T03:00:03.000Z"),
            Case(good.Replace(sha, "ABC"), modified: "2026-11-23T03:00:04.000Z"),
            Case(good.Replace($"\"members\":{members},", string.Empty), modified: "2026-11-23T03:00:05.000Z"),
            Case(good.Replace("\"custody_entries\":3", "\"custody_entries\":-1"), modified: "2026-11-23T03:00:06.000Z"),
            Case(good, modified: "2026-11-23T03:00:07.000Z", owner: Guid.CreateVersion7()),
            Case(good, id: Guid.NewGuid(), addressed: false),
            Case($$""" "title":"{{new string('t', 301)}}","status":"open","members":{{members}} """, modified: "2026-11-23T03:00:08.000Z"));
        refused.Should().HaveCount(9);
        refused[0].Should().Contain("status 'archived' is not a case status");
        refused[1].Should().Contain("'jaywalking', which is not a Budapest Convention offence category");
        refused[2].Should().Contain("title").And.Contain("control characters");
        refused[3].Should().Contain("MD5, SHA-1 or SHA-256");
        refused[4].Should().Contain("members is not an array");
        refused[5].Should().Contain("custody entries");
        refused[6].Should().Contain("led by another organisation");
        refused[7].Should().Contain("addressed to no organisation of this node");
        refused[8].Should().Contain("title");
        (await KeptFromAsync(partner.PartnerId)).Should().Be(kept);
        (await member.GetStringAsync($"/api/v1/joint-investigations/{caseId}")).Should().Contain("Opération Cendre").And.Contain("\"active\"");

        // The lead withdraws this node's organisation: the case stays readable as it was, and takes no more entries.
        (await PushAsync(partner, Case($$""" "title":"Opération Cendre","status":"active","members":{{members}},"withdrawn":true """, modified: "2026-11-23T04:00:00.000Z"))).Should().BeEmpty();
        var withdrawn = await (await member.GetAsync($"/api/v1/joint-investigations/{caseId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        withdrawn["withdrawnAt"].Should().NotBeNull();
        withdrawn["evidence"]!.AsArray().Should().HaveCount(1, "the list last received stays the partner's record");
        withdrawn["mayWrite"]!.GetValue<bool>().Should().BeFalse();
        (await member.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "note", text = "too late" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}

public sealed class JointInvestigationApiTestsSqlite(SqliteFactory factory) : JointInvestigationApiTests<SqliteFactory>(factory);

public sealed class JointInvestigationApiTestsPostgres(PostgresFactory factory) : JointInvestigationApiTests<PostgresFactory>(factory);
