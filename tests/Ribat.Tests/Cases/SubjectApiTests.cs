using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>Subjects and relationships of a case through the API: canonical values, sources, the case's audience, bad input.</summary>
public abstract class SubjectApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    internal const string GenesisWallet = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";

    internal static readonly object Told = new { kind = "text", text = "victim's statement of 3 November" };

    internal static async Task<JsonObject> AddAsync(HttpClient client, Guid caseId, object body) =>
        await (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/subjects", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

    internal static async Task<JsonObject> LinkAsync(HttpClient client, Guid caseId, Guid from, Guid to, string kind) =>
        await (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/relationships", new { kind, fromId = from, toId = to, source = Told }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

    private static Guid IdOf(JsonNode node) => node["id"]!.GetValue<Guid>();

    [DbFact]
    public async Task Subjects_are_stored_canonically_linked_with_sources_and_seen_by_the_partner_alone()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var outsider = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(owner, new { title = RibatFactory.Unique("Romance scam"), partners = new[] { partner.Organisation.Id } }));
        var evidence = IdOf(await EvidenceApiTests<TFactory>.UploadAsync(owner, caseId, [1, 2, 3], "fileName=chat.txt"));

        var person = await AddAsync(owner, caseId, new
        {
            kind = "person",
            name = "  Jean Dupont ",
            aliases = new[] { "JD", "le banquier" },
            dateOfBirth = "1984-02-29",
            nationalities = new[] { "fr", "MA" },
            attributes = new Dictionary<string, string> { ["address"] = "12 rue de la Paix, Paris" },
            source = new { kind = "evidence", id = evidence },
        });
        person["name"]!.GetValue<string>().Should().Be("Jean Dupont");
        person["nationalities"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("FR", "MA");
        person["source"]!["kind"]!.GetValue<string>().Should().Be("evidence");
        person["attributes"]!["address"]!.GetValue<string>().Should().StartWith("12 rue");

        var wallet = await AddAsync(owner, caseId, new { kind = "crypto-wallet", value = $"  {GenesisWallet} ", source = Told });
        wallet["valueType"]!.GetValue<string>().Should().Be("btc-address");
        wallet["value"]!.GetValue<string>().Should().Be(GenesisWallet);
        var domain = await AddAsync(owner, caseId, new { kind = "domain", value = "Pay-Invoice[.]Example[.]NET", source = Told });
        domain["value"]!.GetValue<string>().Should().Be("pay-invoice.example.net", "values are refanged and stored as the intelligence store keeps them");
        var again = await (await owner.PostAsJsonAsync($"/api/v1/cases/{caseId}/subjects", new { kind = "domain", value = "pay-invoice.example.net", source = Told }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        again["detail"]!.GetValue<string>().Should().Contain(IdOf(domain).ToString(), "the same value is one subject per case");

        var uses = await LinkAsync(owner, caseId, IdOf(person), IdOf(wallet), "uses");
        uses["fromLabel"]!.GetValue<string>().Should().Be("Jean Dupont");
        uses["toLabel"]!.GetValue<string>().Should().Be(GenesisWallet);
        (await owner.PostAsJsonAsync($"/api/v1/cases/{caseId}/relationships", new { kind = "uses", fromId = IdOf(person), toId = IdOf(wallet), source = Told }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        await LinkAsync(owner, caseId, IdOf(person), IdOf(domain), "communicates-with");
        (await owner.PostAsJsonAsync($"/api/v1/cases/{caseId}/relationships", new { kind = "communicates-with", fromId = IdOf(domain), toId = IdOf(person), source = Told }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "a symmetric relationship is the same either way round");

        var listed = await (await owner.GetAsync($"/api/v1/cases/{caseId}/subjects?kind=person")).ReadJsonAsync();
        listed["items"]!.AsArray().Single()!["relationships"]!.GetValue<int>().Should().Be(2);
        var searched = await (await owner.GetAsync($"/api/v1/cases/{caseId}/subjects?q=invoice")).ReadJsonAsync();
        searched["items"]!.AsArray().Single()!["id"]!.GetValue<Guid>().Should().Be(IdOf(domain));

        var seen = factory.ClientWith(partner.AnalystSecret);
        (await seen.GetStringAsync($"/api/v1/cases/{caseId}/subjects")).Should().Contain("Jean Dupont");
        (await seen.GetStringAsync($"/api/v1/cases/{caseId}/relationships?subject={IdOf(wallet)}")).Should().Contain(uses["id"]!.GetValue<string>());
        (await seen.PostAsJsonAsync($"/api/v1/cases/{caseId}/subjects", new { kind = "person", name = "planted", source = Told })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await seen.DeleteAsync($"/api/v1/cases/{caseId}/subjects/{IdOf(person)}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var stranger = factory.ClientWith(outsider.AdminSecret);
        (await stranger.GetAsync($"/api/v1/cases/{caseId}/subjects")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/v1/cases/{caseId}/subjects/{IdOf(person)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/v1/cases/{caseId}/graph")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var codes = await db.AuditEntries.Where(e => e.Code >= 520 && e.Code <= 527 && e.OrganisationId == a.Organisation.Id).Select(e => e.Code).ToListAsync();
        codes.Should().Contain([520, 523, 525]);
        codes.Count(c => c == 520).Should().Be(3);
        (await db.AuditEntries.CountAsync(e => e.Code == 525 && e.OrganisationId == partner.Organisation.Id)).Should().BeGreaterThan(0, "a partner's reads of personal data are audited too");
    }

    [DbFact]
    public async Task Bad_input_is_refused_field_by_field_and_nothing_is_kept()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Extortion" }));
        var otherCase = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Other" }));
        var otherEvidence = IdOf(await EvidenceApiTests<TFactory>.UploadAsync(client, otherCase, [9], "fileName=x.bin"));
        var foreignCase = IdOf(await CaseApiTests<TFactory>.OpenAsync(factory.ClientWith(b.AnalystSecret), new { title = "Theirs" }));
        var url = $"/api/v1/cases/{caseId}/subjects";

        Task<HttpResponseMessage> Post(object body) => client.PostAsJsonAsync(url, body);
        await (await Post(new { source = Told })).ShouldBeValidationProblemAsync("kind");
        await (await Post(new { kind = "alien", source = Told })).ShouldBeValidationProblemAsync("kind");
        await (await Post(new { kind = "person", value = "1.2.3.4", source = Told })).ShouldBeValidationProblemAsync("value");
        var noName = await (await Post(new { kind = "organisation" })).ShouldBeValidationProblemAsync("name");
        noName["errors"]!.AsObject().Select(e => e.Key).Should().Contain("source.kind", "every problem is reported at once");
        var wallet = await (await Post(new { kind = "crypto-wallet", value = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", source = Told })).ShouldBeValidationProblemAsync("value");
        wallet["detail"]!.GetValue<string>().Should().Contain("crypto-wallet");
        await (await Post(new { kind = "ip", value = "999.1.1.1", source = Told })).ShouldBeValidationProblemAsync("value");
        await (await Post(new { kind = "ip", value = "192.0.2.1", valueType = "domain", source = Told })).ShouldBeValidationProblemAsync("valueType");
        await (await Post(new { kind = "bank-account", value = "DE89370400440532013001", source = Told })).ShouldBeValidationProblemAsync("value");
        await (await Post(new { kind = "email", value = "", source = Told })).ShouldBeValidationProblemAsync("value");
        await (await Post(new { kind = "person", name = new string('x', 301), source = Told })).ShouldBeValidationProblemAsync("name");
        await (await Post(new { kind = "person", name = "a\u0000b", source = Told })).ShouldBeValidationProblemAsync("name");
        await (await Post(new { kind = "person", name = "\u202eevil", aliases = new[] { "ok", "bad\nline" }, source = Told })).ShouldBeValidationProblemAsync("aliases");
        await (await Post(new { kind = "organisation", name = "Org", dateOfBirth = "2000-01-01", source = Told })).ShouldBeValidationProblemAsync("dateOfBirth");
        await (await Post(new { kind = "person", name = "P", nationalities = new[] { "XX" }, source = Told })).ShouldBeValidationProblemAsync("nationalities");
        await (await Post(new { kind = "device", name = "Phone", nationalities = new[] { "FR" }, source = Told })).ShouldBeValidationProblemAsync("nationalities");
        await (await Post(new { kind = "device", name = "Phone", attributes = new Dictionary<string, string> { ["imei\u0007"] = "1" }, source = Told })).ShouldBeValidationProblemAsync("attributes");
        await (await Post(new { kind = "device", name = "Phone", attributes = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v"), source = Told })).ShouldBeValidationProblemAsync("attributes");
        await (await Post(new { kind = "person", name = "P", source = new { kind = "rumour" } })).ShouldBeValidationProblemAsync("source.kind");
        await (await Post(new { kind = "person", name = "P", source = new { kind = "text" } })).ShouldBeValidationProblemAsync("source.text");
        await (await Post(new { kind = "person", name = "P", source = new { kind = "evidence" } })).ShouldBeValidationProblemAsync("source.id");
        await (await Post(new { kind = "person", name = "P", source = new { kind = "evidence", id = otherEvidence } })).ShouldBeValidationProblemAsync("source.id");
        await (await Post(new { kind = "person", name = "P", source = new { kind = "report", id = Guid.NewGuid() } })).ShouldBeValidationProblemAsync("source.id");
        await (await Post(new { kind = "person", name = "P", source = new { kind = "text", text = new string('s', 2001) } })).ShouldBeValidationProblemAsync("source.text");

        // Malformed, truncated, mistyped and oversized bodies are refused before anything is read.
        (await client.PostAsync(url, new StringContent("{\"kind\":\"person\",\"name\":", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsync(url, new StringContent("{\"kind\":\"person\",\"dateOfBirth\":\"yesterday\"}", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsync(url, new StringContent("[1,2,3]", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var huge = await client.PostAsync(url, new StringContent($"{{\"kind\":\"person\",\"name\":\"{new string('x', 400_000)}\"}}", Encoding.UTF8, "application/json"));
        ((int)huge.StatusCode).Should().BeOneOf(400, 413);

        var p = IdOf(await AddAsync(client, caseId, new { kind = "person", name = "P", source = Told }));
        var q = IdOf(await AddAsync(client, caseId, new { kind = "person", name = "Q", source = Told }));
        var foreignSubject = IdOf(await AddAsync(factory.ClientWith(b.AnalystSecret), foreignCase, new { kind = "person", name = "Theirs", source = Told }));
        var links = $"/api/v1/cases/{caseId}/relationships";
        await (await client.PostAsJsonAsync(links, new { kind = "hates", fromId = p, toId = q, source = Told })).ShouldBeValidationProblemAsync("kind");
        await (await client.PostAsJsonAsync(links, new { kind = "uses", fromId = p, toId = p, source = Told })).ShouldBeValidationProblemAsync("toId");
        await (await client.PostAsJsonAsync(links, new { kind = "uses", fromId = p, toId = foreignSubject, source = Told })).ShouldBeValidationProblemAsync("toId");
        await (await client.PostAsJsonAsync(links, new { kind = "uses", toId = q, source = Told })).ShouldBeValidationProblemAsync("fromId");
        await (await client.PostAsJsonAsync(links, new { kind = "paid", fromId = p, toId = q, source = Told, startedAt = "2026-05-01T00:00:00Z", endedAt = "2026-04-01T00:00:00Z" }))
            .ShouldBeValidationProblemAsync("endedAt");
        await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?depth=99")).ShouldBeValidationProblemAsync("depth");
        await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?focus={foreignSubject}")).ShouldBeValidationProblemAsync("focus");
        await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?limit=0")).ShouldBeValidationProblemAsync("limit");
        await (await client.GetAsync($"/api/v1/cases/{caseId}/subjects?kind=alien")).ShouldBeValidationProblemAsync("kind");
        (await client.GetAsync($"/api/v1/cases/{caseId}/subjects?cursor=%%%")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var kept = await (await client.GetAsync($"{url}?limit=500")).ReadJsonAsync();
        kept["items"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Equal("P", "Q");
        (await (await client.GetAsync(links)).ReadJsonAsync())["items"]!.AsArray().Should().BeEmpty();
    }

    [DbFact]
    public async Task A_subject_is_changed_removed_with_its_links_and_a_closed_case_takes_no_change()
    {
        var a = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Money mules" }));
        var muleRow = await AddAsync(client, caseId, new { kind = "person", name = "Mule", source = Told });
        var mule = IdOf(muleRow);
        var account = IdOf(await AddAsync(client, caseId, new { kind = "bank-account", value = "de89 3704 0044 0532 0130 00", source = Told }));
        var otherRow = await AddAsync(client, caseId, new { kind = "bank-account", value = "GB82WEST12345698765432", source = Told });
        var other = IdOf(otherRow);
        await LinkAsync(client, caseId, mule, account, "owns");
        await LinkAsync(client, caseId, account, other, "paid");

        var changed = await (await client.PutAsJsonAsync($"/api/v1/cases/{caseId}/subjects/{mule}", new { name = "Mule (Karim)", aliases = new[] { "K" }, source = Told, baseUpdatedAt = muleRow["updatedAt"] }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        changed["label"]!.GetValue<string>().Should().Be("Mule (Karim)");
        changed["relationships"]!.GetValue<int>().Should().Be(1);
        await (await client.PutAsJsonAsync($"/api/v1/cases/{caseId}/subjects/{mule}", new { kind = "organisation", name = "x", source = Told, baseUpdatedAt = changed["updatedAt"] })).ShouldBeValidationProblemAsync("kind");
        (await client.PutAsJsonAsync($"/api/v1/cases/{caseId}/subjects/{other}", new { value = "DE89370400440532013000", source = Told, baseUpdatedAt = otherRow["updatedAt"] }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "the new value is another subject's");

        (await client.DeleteAsync($"/api/v1/cases/{caseId}/subjects/{account}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await (await client.GetAsync($"/api/v1/cases/{caseId}/relationships")).ReadJsonAsync())["items"]!.AsArray().Should().BeEmpty("its relationships went with it");
        (await client.DeleteAsync($"/api/v1/cases/{caseId}/subjects/{account}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var link = await LinkAsync(client, caseId, mule, other, "owns");
        (await client.DeleteAsync($"/api/v1/cases/{caseId}/relationships/{IdOf(link)}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.DeleteAsync($"/api/v1/cases/{caseId}/relationships/{IdOf(link)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await CaseApiTests<TFactory>.MoveAsync(client, caseId, "closed", "done")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/subjects", new { kind = "person", name = "Late", source = Told })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.GetAsync($"/api/v1/cases/{caseId}/subjects")).StatusCode.Should().Be(HttpStatusCode.OK, "a closed case is still read");
        var readOnly = factory.ClientWith((await factory.CreateTokenAsync(a.Analyst.Id, "read")).Secret);
        (await readOnly.DeleteAsync($"/api/v1/cases/{caseId}/subjects/{mule}")).StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Conflict);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == 522 && e.TargetId == account.ToString())).Should().Be(1);
        (await db.AuditEntries.CountAsync(e => e.Code == 524 && e.TargetId == link["id"]!.GetValue<string>())).Should().Be(1);
        (await db.AuditEntries.CountAsync(e => e.Code == 521 && e.TargetId == mule.ToString())).Should().Be(1, "refused changes are not audited as changes");
    }

    [DbFact]
    public async Task An_edit_made_from_an_older_version_of_a_subject_is_refused_and_of_two_edits_from_one_version_only_one_lands()
    {
        var a = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Romance scam" }));
        var read = await AddAsync(client, caseId, new { kind = "person", name = "Suspect", source = Told });
        var url = $"/api/v1/cases/{caseId}/subjects/{IdOf(read)}";

        await (await client.PutAsJsonAsync(url, new { name = "No version", source = Told })).ShouldBeValidationProblemAsync("baseUpdatedAt");

        var first = await (await client.PutAsJsonAsync(url, new { name = "Suspect (Lina)", source = Told, baseUpdatedAt = read["updatedAt"] }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var stale = await client.PutAsJsonAsync(url, new { name = "Suspect (Rami)", source = Told, baseUpdatedAt = read["updatedAt"] });
        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await stale.Content.ReadAsStringAsync()).Should().Contain("read it again");

        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.PutAsJsonAsync(url, new { name = $"Suspect {i}", source = Told, baseUpdatedAt = first["updatedAt"] })));
        racing.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1, "every edit was made from the same version");
        racing.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(5);
        var landed = await racing.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<JsonObject>();
        var now = await (await client.GetAsync(url)).ReadJsonAsync();
        now["name"]!.GetValue<string>().Should().Be(landed!["name"]!.GetValue<string>());

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == 521 && e.TargetId == IdOf(read).ToString())).Should().Be(2, "only the edits that landed are audited");
    }

    [DbFact]
    public async Task A_relationship_changes_its_period_and_kind_from_the_version_it_was_read_at_and_only_its_owner_changes_it()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Mule network", partners = new[] { partner.Organisation.Id } }));
        var mule = IdOf(await AddAsync(client, caseId, new { kind = "person", name = "Mule", source = Told }));
        var firm = IdOf(await AddAsync(client, caseId, new { kind = "organisation", name = "Front SARL", source = Told }));
        var read = await LinkAsync(client, caseId, mule, firm, "works-for");
        read["updatedAt"]!.GetValue<DateTimeOffset>().Should().Be(read["createdAt"]!.GetValue<DateTimeOffset>());
        var url = $"/api/v1/cases/{caseId}/relationships/{IdOf(read)}";

        await (await client.PutAsJsonAsync(url, new { kind = "works-for", source = Told, startedAt = "2021-01-01T00:00:00Z" })).ShouldBeValidationProblemAsync("baseUpdatedAt");
        var put = await (await client.PutAsJsonAsync(url, new
        {
            kind = "works-for",
            source = new { kind = "text", text = "company register" },
            startedAt = "2021-01-01T00:00:00Z",
            endedAt = "2023-06-30T00:00:00Z",
            notes = "director on paper",
            baseUpdatedAt = read["updatedAt"],
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        put["startedAt"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));
        put["endedAt"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2023, 6, 30, 0, 0, 0, TimeSpan.Zero));
        put["fromId"]!.GetValue<Guid>().Should().Be(mule, "an edit keeps the relationship's ends");
        put["updatedAt"]!.GetValue<DateTimeOffset>().Should().BeAfter(read["updatedAt"]!.GetValue<DateTimeOffset>());

        // A change made from the first version is refused with the newer one named, and nothing of it is kept.
        var stale = await (await client.PatchAsJsonAsync(url, new { endedAt = (string?)null, baseUpdatedAt = read["updatedAt"] })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        stale["detail"]!.GetValue<string>().Should().Contain(put["updatedAt"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));

        // PATCH changes what it names: an explicit null opens the end of the span; the rest stays.
        var patched = await (await client.PatchAsJsonAsync(url, new { endedAt = (string?)null, kind = "controls", baseUpdatedAt = put["updatedAt"] }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        patched["endedAt"].Should().BeNull();
        patched["kind"]!.GetValue<string>().Should().Be("controls");
        patched["startedAt"]!.GetValue<DateTimeOffset>().Year.Should().Be(2021);
        patched["notes"]!.GetValue<string>().Should().Be("director on paper");
        patched["source"]!["text"]!.GetValue<string>().Should().Be("company register");

        // Bad input, each refused by field: an end before the start, an unknown kind or field, a wrong shape.
        var current = patched["updatedAt"];
        await (await client.PatchAsJsonAsync(url, new { endedAt = "2020-12-31T00:00:00Z", baseUpdatedAt = current })).ShouldBeValidationProblemAsync("endedAt");
        await (await client.PatchAsJsonAsync(url, new { kind = "bribes", baseUpdatedAt = current })).ShouldBeValidationProblemAsync("kind");
        await (await client.PatchAsJsonAsync(url, new { fromId = firm, baseUpdatedAt = current })).ShouldBeValidationProblemAsync("fromId");
        await (await client.PatchAsJsonAsync(url, new { startedAt = "last spring", baseUpdatedAt = current })).ShouldBeValidationProblemAsync("startedAt");
        await (await client.PatchAsJsonAsync(url, new { source = "hearsay", baseUpdatedAt = current })).ShouldBeValidationProblemAsync("source");
        await (await client.PatchAsJsonAsync(url, new { notes = new string('x', 2001), baseUpdatedAt = current })).ShouldBeValidationProblemAsync("notes");
        await (await client.PatchAsJsonAsync(url, new { notes = "a\0b", baseUpdatedAt = current })).ShouldBeValidationProblemAsync("notes");
        (await client.PatchAsync(url, new StringContent("[1,2]", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PatchAsync(url, new StringContent("{\"kind\":", Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PatchAsJsonAsync($"/api/v1/cases/{caseId}/relationships/{Guid.NewGuid()}", new { kind = "uses", baseUpdatedAt = current })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Changing the kind to one that already links the two subjects is the duplicate it would make.
        await LinkAsync(client, caseId, mule, firm, "works-for");
        (await client.PatchAsJsonAsync(url, new { kind = "works-for", baseUpdatedAt = current })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        // The partner sees the relationship but changes nothing of it.
        var seen = factory.ClientWith(partner.AnalystSecret);
        (await seen.PatchAsJsonAsync(url, new { endedAt = "2024-01-01T00:00:00Z", baseUpdatedAt = current })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await seen.PutAsJsonAsync(url, new { kind = "uses", source = Told, baseUpdatedAt = current })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var now = await (await client.GetAsync($"/api/v1/cases/{caseId}/relationships?subject={firm}")).ReadJsonAsync();
        var kept = now["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == IdOf(read))!;
        kept["kind"]!.GetValue<string>().Should().Be("controls");
        kept["endedAt"].Should().BeNull();

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == 528 && e.TargetId == IdOf(read).ToString())).Should().Be(2, "the two edits that landed, and none of the refused ones");
    }
}

public sealed class SubjectApiTestsSqlite(SqliteFactory factory) : SubjectApiTests<SqliteFactory>(factory);

public sealed class SubjectApiTestsPostgres(PostgresFactory factory) : SubjectApiTests<PostgresFactory>(factory);
