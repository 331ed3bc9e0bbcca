using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>
/// Evidence analysed in the server: an e-mail's findings, its attachments acquired as evidence with custody, its
/// indicators recorded where they correlate; a file's hashes and strings; and input that is not what it is said to
/// be refused with nothing kept.
/// </summary>
public abstract class FindingsApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    internal static readonly byte[] Invoice = Encoding.UTF8.GetBytes("%PDF-1.4\nnot really an invoice, call http://pay-invoice.example.net/now\n%%EOF\n");

    private async Task<(HttpClient Client, Guid CaseId)> CaseAsync()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var opened = await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Phishing") });
        return (client, opened["id"]!.GetValue<Guid>());
    }

    internal static byte[] Phish(string subject, string attachmentName, byte[] attachment)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("PayPal Service", "service@paypa1-secure.example.com"));
        message.To.Add(new MailboxAddress("Victim", "victim@ministry.example.org"));
        message.Subject = subject;
        message.Date = new DateTimeOffset(2026, 11, 20, 9, 15, 0, TimeSpan.Zero);
        message.MessageId = $"{Guid.NewGuid():N}@paypa1-secure.example.com";
        message.Headers.Add("Received", "from mail.paypa1-secure.example.com (mail.paypa1-secure.example.com [203.0.113.66]) by mx.ministry.example.org with ESMTP; Fri, 20 Nov 2026 09:15:03 +0000");
        var body = new BodyBuilder
        {
            TextBody = "Your account is locked. Verify at hxxp://paypa1-secure[.]example[.]com/login within 24 hours.",
            HtmlBody = "<p>Your account is locked. <a href=\"http://paypa1-secure.example.com/login\">https://www.paypal.com/</a></p>",
        };
        body.Attachments.Add(attachmentName, attachment, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        return bytes.ToArray();
    }

    private static async Task<Guid> UploadAsync(HttpClient client, Guid caseId, byte[] bytes, string name) =>
        (await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, bytes, $"fileName={Uri.EscapeDataString(name)}"))["id"]!.GetValue<Guid>();

    [DbFact]
    public async Task A_phishing_email_becomes_findings_attachment_evidence_with_custody_and_correlated_indicators()
    {
        var (client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, Phish("Account locked", "invoice.pdf", Invoice), "phish.eml");

        var findings = await (await client.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "email" })).ShouldBeAsync<JsonArray>(HttpStatusCode.Created);
        var finding = findings.Single()!;
        finding["kind"]!.GetValue<string>().Should().Be("email");
        finding["title"]!.GetValue<string>().Should().Be("Account locked");
        finding["verdict"]!.GetValue<string>().Should().BeOneOf("suspicious", "malicious");
        finding["report"]!["origin_ip"]!.GetValue<string>().Should().Be("203.0.113.66");
        finding["report"]!["urls"]!.AsArray().Should().NotBeEmpty();
        finding["indicatorCount"]!.GetValue<int>().Should().BeGreaterThan(0);

        // The attachment is evidence of its own, hashed, with its acquisition entry and a note of where it came from.
        var attachmentId = finding["attachmentEvidenceIds"]!.AsArray().Single()!.GetValue<Guid>();
        var attachment = await (await client.GetAsync($"/api/v1/evidence/{attachmentId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        attachment["fileName"]!.GetValue<string>().Should().Be("invoice.pdf");
        attachment["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(Invoice)));
        attachment["acquisition"]!["method"]!.GetValue<string>().Should().Contain(evidenceId.ToString());
        var custody = await (await client.GetAsync($"/api/v1/evidence/{evidenceId}/custody")).ReadJsonAsync();
        custody["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Should().Equal("acquire", "analyse");

        // The indicators correlate: the sender's look-alike domain is found in the intelligence store.
        var correlated = await (await client.GetAsync("/api/v1/search?q=paypa1-secure.example.com")).ReadJsonAsync();
        correlated.ToJsonString().Should().Contain(finding["indicatorReportId"]!.GetValue<Guid>().ToString());

        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{caseId}/findings"))!.Should().ContainSingle();
        var again = await client.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "email" });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict, "an item is analysed once");
    }

    [DbFact]
    public async Task An_mbox_gives_a_finding_per_message_and_a_hostile_attachment_name_is_made_safe()
    {
        var (client, caseId) = await CaseAsync();
        var mbox = new StringBuilder();
        foreach (var (subject, name) in new[] { ("First", "a.pdf"), ("Second", "..\\..\\evil\u202Efdp.exe") })
        {
            mbox.Append("From sender@example.com Fri Nov 20 09:15:00 2026\n");
            mbox.Append(Encoding.UTF8.GetString(Phish(subject, name, Invoice)).Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\n');
        }

        var evidenceId = await UploadAsync(client, caseId, Encoding.UTF8.GetBytes(mbox.ToString()), "box.mbox");
        var findings = await (await client.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "email" })).ShouldBeAsync<JsonArray>(HttpStatusCode.Created);
        findings.Select(f => (f!["position"]!.GetValue<int>(), f["title"]!.GetValue<string>())).Should().Equal((1, "First"), (2, "Second"));
        var second = findings[1]!["attachmentEvidenceIds"]!.AsArray().Single()!.GetValue<Guid>();
        var item = await (await client.GetAsync($"/api/v1/evidence/{second}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        item["fileName"]!.GetValue<string>().Should().Be("evilfdp.exe", "no folders and no right-to-left override survive");
    }

    [DbFact]
    public async Task The_node_yara_rules_scan_each_attachment_and_a_rule_that_does_not_compile_is_left_out()
    {
        var rules = Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "yara"));
        await File.WriteAllTextAsync(Path.Combine(rules.FullName, "invoice.yar"),
            "rule fake_invoice : phishing { meta: author = \"test\" strings: $a = \"not really an invoice\" condition: $a }\n");
        await File.WriteAllTextAsync(Path.Combine(rules.FullName, "broken.yar"), "rule broken { condition: nosuchthing }\n");
        var (client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, Phish("Invoice", "invoice.pdf", Invoice), "invoice.eml");

        var finding = (await (await client.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "email" })).ShouldBeAsync<JsonArray>(HttpStatusCode.Created)).Single()!;
        var scanned = finding["yara"]!.AsArray().Single()!;
        scanned["target"]!.GetValue<string>().Should().Be("invoice.pdf");
        scanned["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(Invoice)));
        if (Ribat.Forensics.Detection.Yara.YaraRuleSet.Unavailable is { } unavailable)
        {
            scanned["error"]!.GetValue<string>().Should().Be(unavailable, "a node without libyara says so in the finding");
            return;
        }

        scanned["error"].Should().BeNull();
        var match = scanned["matches"]!.AsArray().Single()!;
        match["rule"]!.GetValue<string>().Should().Be("fake_invoice");
        match["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("phishing");
    }

    [DbFact]
    public async Task A_file_is_hashed_and_searched_for_indicators()
    {
        var (client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, Invoice, "invoice.pdf");
        var findings = await (await client.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "file" })).ShouldBeAsync<JsonArray>(HttpStatusCode.Created);
        var report = findings.Single()!["report"]!;
        report["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(Invoice)));
        report["media_type"]!.GetValue<string>().Should().Be("application/pdf");
        report["indicators"]!.AsArray().Select(i => i!["value"]!.GetValue<string>()).Should().Contain("http://pay-invoice.example.net/now");
        findings.Single()!["verdict"].Should().BeNull("a file gets facts, not a verdict");
    }

    [DbFact]
    public async Task Content_that_is_not_an_email_or_an_unknown_kind_is_refused_and_nothing_is_kept_but_a_cut_message_is_read()
    {
        var (client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, RandomNumberGenerator.GetBytes(4096), "noise.bin");
        var truncated = await UploadAsync(client, caseId, Phish("Cut", "x.pdf", Invoice)[..40], "cut.eml");

        var noKind = await client.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "guess" });
        (await noKind.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["kind"].Should().NotBeNull();
        var refused = await client.PostAsJsonAsync($"/api/v1/evidence/{evidenceId}/analyses", new { kind = "email" });
        var problem = await refused.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest);
        problem["errors"]!["content"]!.AsArray().Single()!.GetValue<string>().Should().StartWith("noise.bin is not an e-mail");

        // A message cut short is still a message: what is left is analysed, and what is missing is named.
        var cut = await (await client.PostAsJsonAsync($"/api/v1/evidence/{truncated}/analyses", new { kind = "email" })).ShouldBeAsync<JsonArray>(HttpStatusCode.Created);
        cut.Single()!["report"]!["anomalies"]!.AsArray().Select(a => a!["kind"]!.GetValue<string>()).Should().Contain("missing-date");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.Findings.CountAsync(f => f.EvidenceId == evidenceId)).Should().Be(0);
        (await db.EvidenceItems.CountAsync(e => e.CaseId == caseId)).Should().Be(2, "no attachment was acquired");
        (await db.CustodyEntries.CountAsync(c => c.EvidenceId == evidenceId)).Should().Be(1, "only the acquisition");
    }
}

public sealed class FindingsApiTestsSqlite(SqliteFactory factory) : FindingsApiTests<SqliteFactory>(factory);

public sealed class FindingsApiTestsPostgres(PostgresFactory factory) : FindingsApiTests<PostgresFactory>(factory);
