using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;
using static Ribat.Tests.Cooperation.RequestApiTests<Ribat.Tests.Infrastructure.SqliteFactory>;

namespace Ribat.Tests.Cooperation;

/// <summary>The printable form of a request, fetched through the API and read back out of the PDF.</summary>
public abstract class RequestFormTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task A_sent_request_prints_with_its_id_on_every_page_its_fields_legal_basis_deadlines_and_attachments()
    {
        var (a, sender) = await AgencyAsync(factory);
        var (b, receiver) = await AgencyAsync(factory);
        var id = (await DraftAsync(sender, Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        var bytes = RandomNumberGenerator.GetBytes(64);
        var attached = await (await sender.PostAsync($"/api/v1/requests/{id}/attachments?fileName=order.pdf", new ByteArrayContent(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        await MovedAsync(sender, id, "sent");

        var response = await sender.GetAsync($"/api/v1/requests/{id}/form.pdf");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        var pages = PdfText.Pages(await response.Content.ReadAsByteArrayAsync());

        pages.Should().NotBeEmpty().And.OnlyContain(p => p.Contains(id.ToString()), "every page names the request");
        pages[^1].Should().Contain($"page {pages.Count} of {pages.Count}");
        var text = string.Join("\n", pages);
        foreach (var value in PreservationFields().Values)
        {
            Flat(text).Should().Contain(value!);
        }

        text.Should().Contain("Expedited preservation (Art. 29)").And.Contain("Article 29").And.Contain("Custodian or location of the data");
        text.Should().Contain(a.Organisation.Name).And.Contain(b.Organisation.Name);
        text.Should().Contain("Computer-related fraud").And.Contain("No national provision of FR is mapped yet.");
        text.Should().Contain("Acknowledgement").And.Contain("order.pdf").And.Contain(attached["sha256"]!.GetValue<string>());
        text.Should().Contain("Signature and seal");

        var received = await receiver.GetAsync($"/api/v1/requests/{id}/form.pdf");
        received.StatusCode.Should().Be(HttpStatusCode.OK, "the addressed organisation prints it too");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var printed = await db.AuditEntries.Where(e => e.TargetId == id.ToString() && e.Code == AuditEvents.RequestFormPrinted.Code).Select(e => e.OrganisationId).ToListAsync();
        printed.Should().BeEquivalentTo(new Guid?[] { a.Organisation.Id, b.Organisation.Id }, "printing reads the facts, on each side");
    }

    [DbFact]
    public async Task A_field_too_long_for_a_page_wraps_and_flows_onto_further_pages_losing_nothing()
    {
        var (_, sender) = await AgencyAsync(factory);
        var (b, _) = await AgencyAsync(factory);
        var fields = PreservationFields();
        var facts = string.Join(' ', Enumerable.Range(1, 1200).Select(i => $"fact{i}"));
        fields["facts"] = facts;
        fields["custodian"] = new string('x', 300) + " end-of-custodian";
        var id = (await DraftAsync(sender, Preservation(b.Organisation.Id, fields)))["id"]!.GetValue<Guid>();

        var pages = PdfText.Pages(await (await sender.GetAsync($"/api/v1/requests/{id}/form.pdf")).Content.ReadAsByteArrayAsync());

        pages.Count.Should().BeGreaterThanOrEqualTo(3);
        for (var i = 0; i < pages.Count; i++)
        {
            pages[i].Should().Contain(id.ToString()).And.Contain($"page {i + 1} of {pages.Count}");
        }

        var body = pages.SelectMany(p => p.Split('\n')).Where(line => line.Length > 0 && !line.StartsWith($"{id} · page ", StringComparison.Ordinal)).ToList();
        string.Join(' ', body).Should().Contain(facts, "every word of the long field is printed, in order, across the page breaks");
        string.Concat(body).Should().Contain(new string('x', 300) + " end-of-custodian", "a word wider than the line is broken, not cut off");
        pages[0].Should().Contain("fact1 ").And.NotContain("fact1200");
    }

    [DbFact]
    public async Task Arabic_labels_and_values_are_drawn_joined_and_right_to_left()
    {
        var (_, sender) = await AgencyAsync(factory);
        var (b, _) = await AgencyAsync(factory);
        var fields = PreservationFields();
        fields["facts"] = "باب";
        var id = (await DraftAsync(sender, Preservation(b.Organisation.Id, fields)))["id"]!.GetValue<Guid>();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/requests/{id}/form.pdf");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("ar"));
        var pages = PdfText.Pages(await (await sender.SendAsync(request)).Content.ReadAsByteArrayAsync());

        var text = string.Join("\n", pages);
        text.Should().Contain("\uFE8F\uFE8E\uFE91", "beh isolated, alef final, beh initial: the word read from the right");
        text.Should().NotContain("باب", "unjoined letters would print as separate shapes");
        text.Should().Contain(id.ToString());
    }

    [DbFact]
    public async Task Another_organisation_cannot_print_a_request_and_the_addressee_cannot_print_a_draft()
    {
        var (_, sender) = await AgencyAsync(factory);
        var (b, receiver) = await AgencyAsync(factory);
        var (_, stranger) = await AgencyAsync(factory);
        var id = (await DraftAsync(sender, Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();

        await (await receiver.GetAsync($"/api/v1/requests/{id}/form.pdf")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await MovedAsync(sender, id, "sent");
        await (await stranger.GetAsync($"/api/v1/requests/{id}/form.pdf")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await sender.GetAsync($"/api/v1/requests/{Guid.CreateVersion7()}/form.pdf")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await factory.ClientWith(null).GetAsync($"/api/v1/requests/{id}/form.pdf")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static string Flat(string text) => text.Replace('\n', ' ');
}

public sealed class RequestFormTestsSqlite(SqliteFactory factory) : RequestFormTests<SqliteFactory>(factory);

public sealed class RequestFormTestsPostgres(PostgresFactory factory) : RequestFormTests<PostgresFactory>(factory);
