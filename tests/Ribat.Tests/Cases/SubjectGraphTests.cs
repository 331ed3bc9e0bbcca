using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MimeKit;
using Ribat.Core.Cases.Subjects;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>The link graph of a case, values taken from findings, and the graph's speed on a case of thousands.</summary>
public abstract class SubjectGraphTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private static Guid IdOf(JsonNode node) => node["id"]!.GetValue<Guid>();

    private static string Wallet() => $"0x{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}";

    private static List<string> Ids(JsonNode graph, string list) => graph[list]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();

    [DbFact]
    public async Task The_graph_walks_from_a_focus_and_adds_only_the_correlations_the_viewer_may_see()
    {
        var a = await factory.CreateTenantAsync();
        var community = await factory.CreateTenantAsync();
        var secretive = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Sextortion" }));
        var told = SubjectApiTests<TFactory>.Told;
        var value = Wallet();
        var person = IdOf(await SubjectApiTests<TFactory>.AddAsync(client, caseId, new { kind = "person", name = "Extortionist", source = told }));
        var wallet = IdOf(await SubjectApiTests<TFactory>.AddAsync(client, caseId, new { kind = "crypto-wallet", value = value.ToUpperInvariant().Replace("0X", "0x"), source = told }));
        var bank = IdOf(await SubjectApiTests<TFactory>.AddAsync(client, caseId, new { kind = "bank-account", value = "FR1420041010050500013M02606", source = told }));
        var loner = IdOf(await SubjectApiTests<TFactory>.AddAsync(client, caseId, new { kind = "device", name = "Seized laptop", source = told }));
        await SubjectApiTests<TFactory>.LinkAsync(client, caseId, person, wallet, "uses");
        await SubjectApiTests<TFactory>.LinkAsync(client, caseId, wallet, bank, "paid");

        var near = await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?focus={person}")).ReadJsonAsync();
        Ids(near, "nodes").Should().BeEquivalentTo([person.ToString(), wallet.ToString()]);
        Ids(near, "edges").Should().ContainSingle();
        near["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == wallet.ToString())!["degree"]!.GetValue<int>().Should().Be(2, "the wallet has more to expand");
        var far = await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?focus={person}&depth=2")).ReadJsonAsync();
        Ids(far, "nodes").Should().BeEquivalentTo([person.ToString(), wallet.ToString(), bank.ToString()]);
        var whole = await (await client.GetAsync($"/api/v1/cases/{caseId}/graph")).ReadJsonAsync();
        Ids(whole, "nodes").Should().Contain(loner.ToString()).And.HaveCount(4);
        whole["truncated"]!.GetValue<bool>().Should().BeFalse();
        (await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?limit=2")).ReadJsonAsync())["truncated"]!.GetValue<bool>().Should().BeTrue();
        whole["nodes"]!.AsArray().Should().NotContain(n => n!["correlation"]!.GetValue<bool>(), "correlations come only when asked");

        async Task<Guid> RecordAsync(Tenant tenant, object sharing) =>
            (await (await factory.ClientWith(tenant.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new { type = "eth-address", value, sharing }))
                .ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["ids"]![0]!.GetValue<Guid>();
        var own = await RecordAsync(a, new { tlp = "amber", distribution = "organisation-only" });
        var shared = await RecordAsync(community, new { tlp = "green", distribution = "community" });
        var hidden = await RecordAsync(secretive, new { tlp = "amber", distribution = "organisation-only" });

        var correlated = await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?correlations=true")).ReadJsonAsync();
        var marked = correlated["nodes"]!.AsArray().Where(n => n!["correlation"]!.GetValue<bool>()).ToList();
        marked.Select(n => n!["id"]!.GetValue<Guid>()).Should().BeEquivalentTo([own, shared]);
        marked.Should().OnlyContain(n => n!["kind"]!.GetValue<string>() == "indicator");
        correlated.ToJsonString().Should().NotContain(hidden.ToString(), "another organisation's organisation-only indicator is neither shown nor hinted at");
        correlated["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == wallet.ToString())!["correlations"]!.GetValue<int>().Should().Be(2);
        correlated["edges"]!.AsArray().Where(e => e!["correlation"]!.GetValue<bool>())
            .Should().HaveCount(2).And.OnlyContain(e => e!["from"]!.GetValue<string>() == wallet.ToString() && e["kind"]!.GetValue<string>() == "same-value");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        db.AuditEntries.Count(e => e.Code == 527 && e.TargetId == caseId.ToString()).Should().BeGreaterThanOrEqualTo(5, "every graph read is audited");
    }

    [DbFact]
    public async Task A_findings_values_become_subjects_with_the_finding_as_source_and_are_reused_not_duplicated()
    {
        var a = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Invoice fraud" }));
        var sender = $"billing@{Guid.NewGuid():N}.example.com";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Billing", sender));
        message.To.Add(new MailboxAddress("Victim", "victim@ministry.example.org"));
        message.Subject = "Overdue invoice";
        message.Date = new DateTimeOffset(2026, 11, 20, 9, 15, 0, TimeSpan.Zero);
        message.Headers.Add("Received", "from mail.example.com (mail.example.com [203.0.113.66]) by mx.ministry.example.org with ESMTP; Fri, 20 Nov 2026 09:15:03 +0000");
        message.Body = new TextPart("plain") { Text = $"Pay to {SubjectApiTests<TFactory>.GenesisWallet} today or write to {sender}." };
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        var evidence = IdOf(await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, bytes.ToArray(), "fileName=invoice.eml"));
        var finding = (await (await client.PostAsJsonAsync($"/api/v1/evidence/{evidence}/analyses", new { kind = "email" })).ShouldBeAsync<JsonArray>(HttpStatusCode.Created))[0]!;
        var findingId = IdOf(finding);

        var ip = IdOf(await SubjectApiTests<TFactory>.AddAsync(client, caseId, new { kind = "ip", value = "203.0.113.66", source = SubjectApiTests<TFactory>.Told }));
        var values = (await (await client.GetAsync($"/api/v1/cases/{caseId}/finding-values?evidence={evidence}")).ReadJsonAsync()).AsArray();
        values.Should().Contain(v => v!["type"]!.GetValue<string>() == "btc-address" && v["kind"]!.GetValue<string>() == "crypto-wallet" && v["subjectId"] == null);
        values.Should().Contain(v => v!["value"]!.GetValue<string>() == "203.0.113.66" && v["subjectId"]!.GetValue<Guid>() == ip, "a value the case holds names its subject");
        values.Should().NotContain(v => v!["type"]!.GetValue<string>() == "url" || v["type"]!.GetValue<string>() == "sha256");

        var url = $"/api/v1/cases/{caseId}/subjects/from-finding";
        var taken = await (await client.PostAsJsonAsync(url, new { findingId, type = "btc-address", value = SubjectApiTests<TFactory>.GenesisWallet })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        taken["reused"]!.GetValue<bool>().Should().BeFalse();
        taken["subject"]!["source"]!["kind"]!.GetValue<string>().Should().Be("finding");
        taken["subject"]!["source"]!["id"]!.GetValue<Guid>().Should().Be(findingId);
        var again = await (await client.PostAsJsonAsync(url, new { findingId, type = "btc-address", value = SubjectApiTests<TFactory>.GenesisWallet })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        again["reused"]!.GetValue<bool>().Should().BeTrue();
        again["subject"]!["id"]!.GetValue<Guid>().Should().Be(taken["subject"]!["id"]!.GetValue<Guid>());
        var held = await (await client.PostAsJsonAsync(url, new { findingId, type = "ipv4", value = "203.0.113.66" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        held["subject"]!["id"]!.GetValue<Guid>().Should().Be(ip);
        (await (await client.PostAsJsonAsync(url, new { findingId, type = "email", value = sender.Replace(".example.com", ".EXAMPLE.COM", StringComparison.Ordinal) })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))
            ["subject"]!["kind"]!.GetValue<string>().Should().Be("email");

        await (await client.PostAsJsonAsync(url, new { findingId, type = "ipv4", value = "198.51.100.7" })).ShouldBeValidationProblemAsync("value");
        await (await client.PostAsJsonAsync(url, new { findingId, type = "sha256", value = new string('a', 64) })).ShouldBeValidationProblemAsync("type");
        await (await client.PostAsJsonAsync(url, new { findingId = Guid.NewGuid(), type = "ipv4", value = "203.0.113.66" })).ShouldBeValidationProblemAsync("findingId");
        await (await client.PostAsJsonAsync(url, new { type = "ipv4", value = "203.0.113.66" })).ShouldBeValidationProblemAsync("findingId");
        await (await client.PostAsJsonAsync(url, new { findingId, type = "ipv4", value = "not an address" })).ShouldBeValidationProblemAsync("value");

        var subjects = await (await client.GetAsync($"/api/v1/cases/{caseId}/subjects?limit=500")).ReadJsonAsync();
        subjects["items"]!.AsArray().Should().HaveCount(3, "the IP, the wallet and the sender, each once");
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        db.AuditEntries.Count(e => e.Code == 526 && e.OrganisationId == a.Organisation.Id).Should().Be(2);
    }

    [DbFact]
    public async Task The_graph_of_a_case_with_five_thousand_subjects_comes_whole_and_a_focus_walks_from_one_subject()
    {
        var a = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = "Botnet herders" }));
        const int count = 5000;
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var subjects = new List<CaseSubject>(count);
        for (var i = 0; i < count; i++)
        {
            var row = new CaseSubject { Id = Guid.CreateVersion7(), CaseId = caseId, OwnerOrganisationId = a.Organisation.Id, CreatedBy = a.Analyst.Id, CreatedAt = now, UpdatedAt = now, SourceKind = SourceKind.Text, SourceText = "generated" };
            if (i % 5 == 0 && IndicatorTypes.TryCanonicalise("ipv4", $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}", out var ip, out _))
            {
                (row.Kind, row.ValueType, row.Value, row.Display, row.ValueKey) = (SubjectKind.Ip, ip!.Type, ip.Value, ip.Display, ip.ValueKey);
            }
            else
            {
                (row.Kind, row.Name) = (SubjectKind.Person, $"Person {i}");
            }

            subjects.Add(row);
        }

        var links = new List<CaseRelationship>();
        for (var i = 1; i < count; i++)
        {
            links.Add(Link(subjects[random.Next(i)].Id, subjects[i].Id));
        }

        for (var i = 0; i < 1000; i++)
        {
            var (x, y) = (random.Next(count), random.Next(count));
            if (x != y)
            {
                links.Add(Link(subjects[x].Id, subjects[y].Id));
            }
        }

        CaseRelationship Link(Guid from, Guid to) => new()
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            OwnerOrganisationId = a.Organisation.Id,
            FromId = from,
            ToId = to,
            Kind = "communicates-with",
            SourceKind = SourceKind.Text,
            SourceText = "generated",
            CreatedBy = a.Analyst.Id,
            CreatedAt = now,
        };

        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            db.CaseSubjects.AddRange(subjects);
            db.CaseRelationships.AddRange(links);
            await db.SaveChangesAsync();
        }

        var url = $"/api/v1/cases/{caseId}/graph";
        var graph = await (await client.GetAsync(url)).ReadJsonAsync();
        graph["nodes"]!.AsArray().Should().HaveCount(count);
        graph["edges"]!.AsArray().Should().HaveCount(links.Count);
        var focused = await (await client.GetAsync($"{url}?focus={subjects[0].Id}&depth=3&correlations=true")).ReadJsonAsync();
        focused["nodes"]!.AsArray().Count.Should().BeGreaterThan(1, "three steps from one subject reach its neighbours");
    }
}

public sealed class SubjectGraphTestsSqlite(SqliteFactory factory) : SubjectGraphTests<SqliteFactory>(factory);

public sealed class SubjectGraphTestsPostgres(PostgresFactory factory) : SubjectGraphTests<PostgresFactory>(factory);
