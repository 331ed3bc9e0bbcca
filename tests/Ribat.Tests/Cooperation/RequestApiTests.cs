using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>Cooperation requests through the API: forms, the life cycle between two organisations, attachments, both audit trails.</summary>
public abstract class RequestApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    internal static object Preservation(Guid to, object? fields = null, int? days = null) => new
    {
        type = "preservation",
        subject = "Preserve mailbox of a BEC suspect",
        addressedOrganisationId = to,
        offences = new[] { "computer-related-fraud" },
        preservationDays = days,
        fields = fields ?? PreservationFields(),
    };

    internal static Dictionary<string, string?> PreservationFields() => new()
    {
        ["requestingAuthority"] = "National Cybercrime Unit, Paris",
        ["facts"] = "Invoices were redirected to a mule account on 3 March.",
        ["dataToPreserve"] = "Mailbox contents and access logs; they show who sent the redirected invoices.",
        ["custodian"] = "Mail provider hosting example.test",
        ["necessity"] = "The provider deletes logs after 30 days.",
        ["assistanceToFollow"] = "A mutual-assistance request for production will follow.",
    };

    /// <summary>An organisation with a liaison officer's write token.</summary>
    internal static async Task<(Tenant Tenant, HttpClient Liaison)> AgencyAsync(RibatFactory factory, string country = "FR")
    {
        var tenant = await factory.CreateTenantAsync();
        var liaison = await factory.CreateUserAsync(tenant.Organisation.Id, Roles.Liaison);
        return (tenant, factory.ClientWith((await factory.CreateTokenAsync(liaison.Id, days: 365)).Secret));
    }

    internal static async Task<JsonObject> DraftAsync(HttpClient client, object body) =>
        await (await client.PostAsJsonAsync("/api/v1/requests", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

    internal static Task<HttpResponseMessage> MoveAsync(HttpClient client, Guid id, string to, string? reason = null) =>
        client.PostAsJsonAsync($"/api/v1/requests/{id}/transitions", new { to, reason });

    internal static async Task<JsonObject> MovedAsync(HttpClient client, Guid id, string to, string? reason = null) =>
        await (await MoveAsync(client, id, to, reason)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);

    [DbFact]
    public async Task A_preservation_runs_from_draft_to_closed_and_each_side_keeps_its_own_trail()
    {
        var (a, sender) = await AgencyAsync(factory);
        var (b, receiver) = await AgencyAsync(factory);

        var draft = await DraftAsync(sender, Preservation(b.Organisation.Id));
        var id = draft["id"]!.GetValue<Guid>();
        draft["status"]!.GetValue<string>().Should().Be("draft");
        draft["side"]!.GetValue<string>().Should().Be("requester");
        draft["preservationDays"]!.GetValue<int>().Should().Be(60, "the Convention's minimum is the default");
        draft["allowedTransitions"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("sent");
        draft["clocks"]!.AsArray().Should().BeEmpty("a draft runs no clock");
        (await receiver.GetAsync($"/api/v1/requests/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a draft is the sender's alone");

        var sent = await MovedAsync(sender, id, "sent");
        sent["clocks"]!.AsArray().Select(c => c!["kind"]!.GetValue<string>()).Should().Equal("acknowledgement", "answer");
        var received = await (await receiver.GetAsync("/api/v1/requests?box=received")).ReadJsonAsync();
        received["items"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()).Should().Contain(id);
        (await sender.GetStringAsync("/api/v1/requests?box=received")).Should().NotContain(id.ToString());

        (await MoveAsync(sender, id, "acknowledged")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "only the addressee acknowledges");
        var seen = await (await receiver.GetAsync($"/api/v1/requests/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["side"]!.GetValue<string>().Should().Be("addressee");
        seen["fields"]!["custodian"]!.GetValue<string>().Should().Be("Mail provider hosting example.test");
        seen["allowedTransitions"]!.AsArray().Select(t => t!.GetValue<string>()).Should().BeEquivalentTo(["acknowledged", "refused"]);

        var acknowledged = await MovedAsync(receiver, id, "acknowledged");
        var ackAt = acknowledged["acknowledgedAt"]!.GetValue<DateTimeOffset>();
        acknowledged["preservedUntil"]!.GetValue<DateTimeOffset>().Should().Be(ackAt.AddDays(60));
        acknowledged["clocks"]!.AsArray().Select(c => c!["kind"]!.GetValue<string>()).Should().Contain("preservation-expiry");
        acknowledged["clocks"]!.AsArray().First(c => c!["kind"]!.GetValue<string>() == "acknowledgement")!["state"]!.GetValue<string>().Should().Be("met");

        var extended = await (await sender.PostAsJsonAsync($"/api/v1/requests/{id}/extensions", new { days = 30, note = "MLA in preparation" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        extended["preservedUntil"]!.GetValue<DateTimeOffset>().Should().Be(ackAt.AddDays(90));
        extended["extensions"]!.GetValue<int>().Should().Be(1);

        await MovedAsync(receiver, id, "in-progress");
        await MovedAsync(receiver, id, "answered");
        (await MoveAsync(receiver, id, "closed")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the requester closes");
        var closed = await MovedAsync(sender, id, "closed");
        closed["status"]!.GetValue<string>().Should().Be("closed");
        closed["allowedTransitions"]!.AsArray().Should().BeEmpty();
        closed["history"]!.AsArray().Select(e => e!["to"]?.GetValue<string>()).Where(t => t is not null)
            .Should().Equal("draft", "sent", "acknowledged", "in-progress", "answered", "closed");

        foreach (var (tenant, moves) in new[] { (a, 5), (b, 5) })
        {
            await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
            var trail = await db.AuditEntries.Where(e => e.OrganisationId == tenant.Organisation.Id && e.TargetId == id.ToString() && e.Code >= 703 && e.Code <= 706).ToListAsync();
            trail.Count.Should().Be(moves + 1, $"{tenant.Organisation.Name} keeps sent, acknowledged, in progress, answered, closed and the extension");
        }
    }

    [DbFact]
    public async Task A_form_missing_a_mandatory_field_is_refused_naming_it()
    {
        var (a, sender) = await AgencyAsync(factory);
        var (b, _) = await AgencyAsync(factory);
        var fields = PreservationFields();
        fields.Remove("custodian");
        fields["necessity"] = " ";
        var problem = await (await sender.PostAsJsonAsync("/api/v1/requests", Preservation(b.Organisation.Id, fields))).ShouldBeValidationProblemAsync("fields.custodian");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain("fields.necessity");

        await (await sender.PostAsJsonAsync("/api/v1/requests", Preservation(b.Organisation.Id, days: 30))).ShouldBeValidationProblemAsync("preservationDays");
        await (await sender.PostAsJsonAsync("/api/v1/requests", Preservation(a.Organisation.Id))).ShouldBeValidationProblemAsync("addressedOrganisationId");
        await (await sender.PostAsJsonAsync("/api/v1/requests", new { type = "extradition", subject = "x" })).ShouldBeValidationProblemAsync("type");
        await (await sender.PostAsJsonAsync("/api/v1/requests", new { type = "preservation", subject = "x", addressedOrganisationId = b.Organisation.Id, offences = new[] { "jaywalking" }, fields = PreservationFields() }))
            .ShouldBeValidationProblemAsync("offences");
        var extra = PreservationFields();
        extra["password"] = "hunter2";
        await (await sender.PostAsJsonAsync("/api/v1/requests", Preservation(b.Organisation.Id, extra))).ShouldBeValidationProblemAsync("fields.password");
        await (await sender.PostAsJsonAsync("/api/v1/requests", new
        {
            type = "disclosure",
            subject = "Traffic data",
            addressedOrganisationId = b.Organisation.Id,
            offences = new[] { "illegal-access" },
            fields = new { requestingAuthority = "Unit", dataRequested = "Traffic data of the session" },
        })).ShouldBeValidationProblemAsync("linkedRequestId");
        await (await sender.PostAsJsonAsync("/api/v1/requests", new
        {
            type = "subscriber-information",
            subject = "Who holds this account",
            addresseeKind = "registrar",
            addresseeName = "Registrar",
            requestedCountry = "DE",
            offences = new[] { "illegal-access" },
            fields = new { requestingAuthority = "Unit", facts = "f", identifiers = "user@example.test", legalBasis = "SAP Art. 7" },
        })).ShouldBeValidationProblemAsync("addresseeKind");
        await (await sender.PostAsJsonAsync("/api/v1/requests", new
        {
            type = "emergency",
            subject = "Threat to life",
            addressedOrganisationId = b.Organisation.Id,
            fields = new { requestingAuthority = "Unit", risk = "A hostage\u0000 video", facts = "f", dataRequested = "IP logs" },
        })).ShouldBeValidationProblemAsync("fields.risk");
        (await sender.PostAsync("/api/v1/requests", new StringContent("{\"type\":", System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await sender.PostAsJsonAsync("/api/v1/requests", new { type = "technical-assistance", subject = new string('x', 301), addressedOrganisationId = b.Organisation.Id, fields = new { question = "q" } }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.CooperationRequests.CountAsync(r => r.OwnerOrganisationId == a.Organisation.Id)).Should().Be(0, "nothing of a refused form is kept");
    }

    [DbFact]
    public async Task The_life_cycle_refuses_every_move_it_does_not_allow()
    {
        var (_, sender) = await AgencyAsync(factory);
        var (b, receiver) = await AgencyAsync(factory);
        var analyst = factory.ClientWith(b.AnalystSecret);
        var id = (await DraftAsync(sender, Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();

        var skipped = await (await MoveAsync(sender, id, "answered")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        skipped["detail"]!.GetValue<string>().Should().Contain("from draft to answered").And.Contain("sent");
        (await MoveAsync(sender, id, "flying")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await MovedAsync(sender, id, "sent");
        (await sender.PutAsJsonAsync($"/api/v1/requests/{id}", Preservation(b.Organisation.Id))).StatusCode.Should().Be(HttpStatusCode.Conflict, "a sent request is never edited");
        (await sender.DeleteAsync($"/api/v1/requests/{id}")).StatusCode.Should().Be(HttpStatusCode.Conflict, "a sent request is withdrawn, not deleted");
        (await MoveAsync(analyst, id, "acknowledged")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "an analyst does not answer for the organisation");
        await (await MoveAsync(receiver, id, "refused")).ShouldBeValidationProblemAsync("reason");
        (await MoveAsync(receiver, id, "answered")).StatusCode.Should().Be(HttpStatusCode.Conflict, "a request is acknowledged before it is answered");
        (await sender.PostAsJsonAsync($"/api/v1/requests/{id}/extensions", new { days = 30 })).StatusCode.Should().Be(HttpStatusCode.Conflict, "nothing is preserved before acknowledgement");
        await MovedAsync(receiver, id, "refused", "Dual criminality is not met.");
        (await MoveAsync(sender, id, "withdrawn", "late")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await MovedAsync(sender, id, "closed");
        (await MoveAsync(sender, id, "sent")).StatusCode.Should().Be(HttpStatusCode.Conflict, "a closed request is finished");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.RequestEvents.CountAsync(e => e.RequestId == id)).Should().Be(4, "drafted, sent, refused, closed: refused moves leave no trace");
    }

    [DbFact]
    public async Task Follow_up_requests_link_to_their_preservation_and_a_provider_request_is_recorded_by_its_sender()
    {
        var (a, sender) = await AgencyAsync(factory);
        var (b, receiver) = await AgencyAsync(factory);
        var preservation = (await DraftAsync(sender, Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        var mla = new
        {
            type = "mutual-assistance",
            subject = "Production of the mailbox",
            addressedOrganisationId = b.Organisation.Id,
            offences = new[] { "computer-related-fraud" },
            linkedRequestId = preservation,
            fields = new { requestingAuthority = "Public prosecutor, Paris", facts = "See preservation", measures = "Production order", dataRequested = "Mailbox", legalBasis = "Budapest Convention Art. 31" },
        };
        await (await sender.PostAsJsonAsync("/api/v1/requests", mla)).ShouldBeValidationProblemAsync("linkedRequestId");
        await MovedAsync(sender, preservation, "sent");
        var follow = await DraftAsync(sender, mla);
        follow["linkedRequestId"]!.GetValue<Guid>().Should().Be(preservation);
        var other = (await DraftAsync(sender, new
        {
            type = "technical-assistance",
            subject = "Help with a pcap",
            addressedOrganisationId = b.Organisation.Id,
            fields = new { question = "Which tool reads this?" },
        }))["id"]!.GetValue<Guid>();
        await (await sender.PostAsJsonAsync("/api/v1/requests", mla with { linkedRequestId = other })).ShouldBeValidationProblemAsync("linkedRequestId");

        var direct = await DraftAsync(sender, new
        {
            type = "subscriber-information",
            subject = "Account holder",
            addresseeKind = "service-provider",
            addresseeName = "Example Mail GmbH",
            requestedCountry = "de",
            offences = new[] { "illegal-access" },
            fields = new { requestingAuthority = "Unit", facts = "Logins from abroad", identifiers = "user@example.test", legalBasis = "SAP Art. 7" },
        });
        var directId = direct["id"]!.GetValue<Guid>();
        direct["requestedCountry"]!.GetValue<string>().Should().Be("DE");
        await MovedAsync(sender, directId, "sent");
        var recorded = await MovedAsync(sender, directId, "acknowledged");
        recorded["history"]!.AsArray().Last()!["note"]!.GetValue<string>().Should().Contain("Example Mail GmbH");
        (await MovedAsync(sender, directId, "answered"))["answeredAt"].Should().NotBeNull();
        (await receiver.GetAsync($"/api/v1/requests/{directId}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a request to a provider concerns no other organisation");
        _ = a;
    }

    [DbFact]
    public async Task Attachments_are_stored_hashed_read_with_an_audit_row_and_refused_over_the_limit()
    {
        var (a, sender) = await AgencyAsync(factory);
        var (b, receiver) = await AgencyAsync(factory);
        var id = (await DraftAsync(sender, Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096);
        var added = await (await sender.PostAsync($"/api/v1/requests/{id}/attachments?fileName=order.pdf", new ByteArrayContent(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        added["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        (await receiver.PostAsync($"/api/v1/requests/{id}/attachments?fileName=x.bin", new ByteArrayContent([1]))).StatusCode.Should().Be(HttpStatusCode.NotFound, "the draft is not theirs yet");
        await (await sender.PostAsync($"/api/v1/requests/{id}/attachments", new ByteArrayContent([1]))).ShouldBeValidationProblemAsync("fileName");

        var limit = 25 * 1024 * 1024;
        var declared = await (await sender.PostAsync($"/api/v1/requests/{id}/attachments?fileName=big.bin", new ByteArrayContent(new byte[limit + 1]))).ShouldBeValidationProblemAsync("file");
        declared["detail"]!.GetValue<string>().Should().Contain("25 MB");
        var streamed = new StreamContent(new MemoryStream(new byte[limit + 10]));
        await (await sender.PostAsync($"/api/v1/requests/{id}/attachments?fileName=big.bin", new UnsizedContent(streamed))).ShouldBeValidationProblemAsync("file");

        await MovedAsync(sender, id, "sent");
        var attachmentId = added["id"]!.GetValue<Guid>();
        var download = await receiver.GetAsync($"/api/v1/requests/{id}/attachments/{attachmentId}");
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
        var detail = await (await receiver.GetAsync($"/api/v1/requests/{id}")).ReadJsonAsync();
        detail["attachments"]!.AsArray().Should().ContainSingle();

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.AnyAsync(e => e.Code == 708 && e.OrganisationId == b.Organisation.Id && e.TargetId == id.ToString())).Should().BeTrue();
        (await db.RequestAttachments.CountAsync(x => x.RequestId == id)).Should().Be(1, "refused files leave no row");
        _ = a;
    }

    /// <summary>Sends its content without a Content-Length, as a chunked upload does.</summary>
    private sealed class UnsizedContent(HttpContent inner) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

public sealed class RequestApiTestsSqlite(SqliteFactory factory) : RequestApiTests<SqliteFactory>(factory);

public sealed class RequestApiTestsPostgres(PostgresFactory factory) : RequestApiTests<PostgresFactory>(factory);
