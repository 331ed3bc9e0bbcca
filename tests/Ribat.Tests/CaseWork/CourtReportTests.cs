using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Cases;
using Ribat.Tests.Cooperation;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.CaseWork;

/// <summary>The court report, read back from its PDF and its HTML: every hash, every custody step, the timeline and findings.</summary>
public abstract class CourtReportTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task The_report_holds_every_hash_and_every_custody_step_in_pdf_and_html_for_whoever_sees_the_case()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var outsider = await factory.CreateTenantAsync();
        var colleague = await factory.CreateUserAsync(a.Organisation.Id, Roles.Investigator);
        var lead = factory.ClientWith(a.AnalystSecret);
        var receiver = factory.ClientWith((await factory.CreateTokenAsync(colleague.Id)).Secret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new
        {
            title = "Ransom <script>alert(1)</script> & co",
            summary = "Port authority encrypted.",
            offences = new[] { "system-interference" },
            team = new[] { colleague.Id },
            partners = new[] { partner.Organisation.Id },
        }))["id"]!.GetValue<Guid>();
        var items = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            items.Add(await (await lead.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=disk-{i}.img&sealNumber=S-{i}&tool=dd&toolVersion=9.4",
                new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"image {i} of the server")))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created));
        }

        var first = items[0]["id"]!.GetValue<Guid>();
        (await lead.PostAsJsonAsync($"/api/v1/evidence/{first}/custody", new { action = "transfer", toUserId = colleague.Id, notes = "to the lab" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await receiver.PostAsJsonAsync($"/api/v1/evidence/{first}/custody/acknowledge", new { notes = "received sealed" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await lead.PostAsJsonAsync($"/api/v1/evidence/{items[1]["id"]}/analyses", new { kind = "file" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await lead.PostAsJsonAsync($"/api/v1/cases/{caseId}/timeline", new { text = "Ransom note found on the file server", occurredAt = DateTimeOffset.UtcNow.AddDays(-1), source = "sysadmin" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var response = await lead.GetAsync($"/api/v1/cases/{caseId}/report.pdf");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        var pages = PdfText.Pages(await response.Content.ReadAsByteArrayAsync());
        var pdf = string.Join("\n", pages);
        var html = await (await lead.GetAsync($"/api/v1/cases/{caseId}/report.html")).Content.ReadAsStringAsync();
        foreach (var item in items)
        {
            var id = item["id"]!.GetValue<Guid>();
            foreach (var hash in new[] { "md5", "sha1", "sha256" })
            {
                pdf.Should().Contain(item[hash]!.GetValue<string>(), $"the {hash} of {item["fileName"]} is in the PDF");
                html.Should().Contain(item[hash]!.GetValue<string>());
            }

            var custody = (await (await lead.GetAsync($"/api/v1/evidence/{id}/custody")).ReadJsonAsync())["items"]!.AsArray();
            foreach (var step in custody)
            {
                pdf.Should().Contain(step!["hash"]!.GetValue<string>(), $"custody entry {step["sequence"]} of {item["fileName"]} is in the PDF");
                html.Should().Contain(step["hash"]!.GetValue<string>());
            }
        }

        pdf.Should().Contain("Court report").And.Contain("Ransom <script>alert(1)</script> & co").And.Contain("#3 Received")
            .And.Contain("Ransom note found on the file server").And.Contain("to the lab").And.Contain("S-0").And.Contain("dd 9.4");
        pages[0].Should().Contain($"{caseId} · page 1 of {pages.Count}");
        html.Should().NotContain("<script>alert(1)</script>", "case text is encoded, never markup").And.Contain("Ransom &lt;script&gt;");
        html.Should().Contain("Ransom note found on the file server").And.Contain("data:image/png;base64,");

        var htmlResponse = await lead.GetAsync($"/api/v1/cases/{caseId}/report.html");
        htmlResponse.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        htmlResponse.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'none'");

        // A partner of the joint investigation prints it too; an outsider does not know the case.
        (await factory.ClientWith(partner.AnalystSecret).GetAsync($"/api/v1/cases/{caseId}/report.pdf")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await factory.ClientWith(outsider.AdminSecret).GetAsync($"/api/v1/cases/{caseId}/report.pdf")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await factory.ClientWith(outsider.AdminSecret).GetAsync($"/api/v1/cases/{caseId}/report.html")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await lead.GetAsync($"/api/v1/cases/{Guid.CreateVersion7()}/report.pdf")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await factory.ClientWith(null).GetAsync($"/api/v1/cases/{caseId}/report.pdf")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync(e => e.Code == 550 && e.TargetId == caseId.ToString())).Should().Be(4, "each report produced is a read of the whole case");
    }

    [DbFact]
    public async Task A_case_with_many_items_runs_over_many_pages_each_numbered_and_nothing_is_lost_between_them()
    {
        var a = await factory.CreateTenantAsync();
        var lead = factory.ClientWith(a.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(lead, new { title = "Mass seizure" }))["id"]!.GetValue<Guid>();
        var hashes = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var item = await (await lead.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=phone-{i:D2}.bin", new ByteArrayContent([(byte)i, (byte)(i >> 8), 7, 7])))
                .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
            var sealedItem = await (await lead.PostAsJsonAsync($"/api/v1/evidence/{item["id"]}/custody", new { action = "seal", sealNumber = $"BAG-{i:D3}" }))
                .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
            hashes.Add(item["sha256"]!.GetValue<string>());
            hashes.Add(item["md5"]!.GetValue<string>());
            sealedItem["custodyEntries"]!.GetValue<int>().Should().Be(2);
        }

        var pages = PdfText.Pages(await (await lead.GetAsync($"/api/v1/cases/{caseId}/report.pdf")).Content.ReadAsByteArrayAsync());
        pages.Count.Should().BeGreaterThan(5);
        for (var p = 0; p < pages.Count; p++)
        {
            pages[p].Should().Contain($"page {p + 1} of {pages.Count}");
        }

        var text = string.Join("\n", pages);
        hashes.Should().OnlyContain(h => text.Contains(h));
        Enumerable.Range(0, 40).Should().OnlyContain(i => text.Contains($"BAG-{i:D3}"));

        using var arabic = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{caseId}/report.pdf");
        arabic.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("ar"));
        var arabicPages = PdfText.Pages(await (await lead.SendAsync(arabic)).Content.ReadAsByteArrayAsync());
        string.Join("\n", arabicPages).Should().Contain(hashes[0]).And.NotContain("تقرير", "Arabic labels are drawn shaped, not as separate letters");
    }
}

public sealed class CourtReportTestsSqlite(SqliteFactory factory) : CourtReportTests<SqliteFactory>(factory);

public sealed class CourtReportTestsPostgres(PostgresFactory factory) : CourtReportTests<PostgresFactory>(factory);
