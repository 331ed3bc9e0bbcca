using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cooperation;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing;
using Ribat.Core.Tenancy;
using Ribat.Stix.Signing;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>
/// What a partner node may not do with requests, pushed signed with its own node key: each object is refused with
/// the reason, and nothing of it is written on the receiving node.
/// </summary>
public abstract class PartnerRequestIngressTests<TNodes>(TNodes nodes) : IClassFixture<TNodes>
    where TNodes : TwoCooperatingNodes
{
    private sealed record Held(int Requests, int Events, int Attachments, int Receipts, int FromPartner);

    private static async Task<Held> HeldAsync(CooperatingNode node, Guid request)
    {
        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        return new Held(
            await db.CooperationRequests.CountAsync(r => r.Id == request),
            await db.RequestEvents.CountAsync(e => e.RequestId == request),
            await db.RequestAttachments.CountAsync(a => a.RequestId == request),
            await db.RequestReceipts.CountAsync(r => r.RequestId == request),
            await db.StixObjects.CountAsync(s => s.Origin == StixOrigin.Partner));
    }

    /// <summary>An object as <paramref name="owner"/>'s node writes it: RED, addressed to <paramref name="recipient"/> alone.</summary>
    private static string Addressed(JsonObject stix, OrganisationRef owner, OrganisationRef recipient, Action<JsonObject>? tamper = null)
    {
        RibatStixExtension.Apply(stix, CooperationRules.Terms(owner, recipient));
        tamper?.Invoke(stix);
        return RibatStixExtension.WithRecipients(stix.ToJsonString(), [recipient]);
    }

    private static JsonObject Request(Guid id, Guid addressed, Action<JsonObject>? change = null)
    {
        var now = DateTimeOffset.UtcNow;
        var fields = new JsonObject();
        foreach (var (name, value) in RequestApiTests<RibatFactory>.PreservationFields())
        {
            fields[name] = value;
        }

        var stix = new JsonObject
        {
            ["type"] = CooperationExchange.RequestType,
            ["spec_version"] = "2.1",
            ["id"] = CooperationExchange.RequestId(id),
            ["created"] = DeliveryReceipts.Timestamp(now),
            ["modified"] = DeliveryReceipts.Timestamp(now),
            ["request_type"] = "preservation",
            ["subject"] = "Preserve the mailbox",
            ["addressed_organisation"] = addressed.ToString(),
            ["requested_country"] = "FR",
            ["offences"] = new JsonArray("computer-related-fraud"),
            ["fields"] = fields,
            ["preservation_days"] = 60,
            ["sent_at"] = CooperationExchange.Instant(now),
            ["acknowledge_by"] = CooperationExchange.Instant(now.AddHours(24)),
            ["answer_by"] = CooperationExchange.Instant(now.AddDays(3)),
            ["sent_event"] = Guid.CreateVersion7().ToString(),
            ["sent_by"] = "Liaison officer",
        };
        change?.Invoke(stix);
        return stix;
    }

    private static JsonObject Step(Guid request, string kind, Action<JsonObject> details)
    {
        var now = DateTimeOffset.UtcNow;
        var stix = new JsonObject
        {
            ["type"] = CooperationExchange.EventType,
            ["spec_version"] = "2.1",
            ["id"] = $"{CooperationExchange.EventType}--{Guid.CreateVersion7()}",
            ["created"] = DeliveryReceipts.Timestamp(now),
            ["modified"] = DeliveryReceipts.Timestamp(now),
            ["request_ref"] = CooperationExchange.RequestId(request),
            ["event_kind"] = kind,
            ["occurred_at"] = CooperationExchange.Instant(now),
            ["actor_name"] = "Officer",
        };
        details(stix);
        return stix;
    }

    private static JsonObject File(byte[] bytes, long? size = null, string? sha256 = null) => new()
    {
        ["id"] = Guid.CreateVersion7().ToString(),
        ["file_name"] = "export.zip",
        ["size"] = size ?? bytes.Length,
        ["sha256"] = sha256 ?? Convert.ToHexStringLower(SHA256.HashData(bytes)),
        ["content_base64"] = Convert.ToBase64String(bytes),
    };

    private async Task<string> RefusedAsync(string stix)
    {
        var status = await nodes.PushAsync(nodes.A, nodes.B, [stix]);
        status.FailureCount.Should().Be(1, "the object should be refused");
        return status.Failures![0].Message!;
    }

    /// <summary>A request from A's agency to B's, sent and delivered the ordinary way.</summary>
    private async Task<(OrganisationRef Requester, OrganisationRef Addressee, Guid Id, HttpClient BLiaison)> DeliveredAsync()
    {
        var (a, aLiaison) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.A);
        var (b, bLiaison) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.B);
        await nodes.IntroduceAsync();
        var id = (await RequestApiTests<RibatFactory>.DraftAsync(aLiaison, RequestApiTests<RibatFactory>.Preservation(b.Organisation.Id)))["id"]!.GetValue<Guid>();
        await RequestApiTests<RibatFactory>.MovedAsync(aLiaison, id, "sent");
        await nodes.SettleAsync();
        return (new OrganisationRef(a.Organisation.Id, nodes.NodeOf(nodes.A)), new OrganisationRef(b.Organisation.Id, nodes.NodeOf(nodes.B)), id, bLiaison);
    }

    [DbFact]
    public async Task A_request_missing_a_mandatory_field_or_addressed_elsewhere_is_refused_naming_why_and_nothing_is_kept()
    {
        var (requester, addressee, _, _) = await DeliveredAsync();
        var before = await HeldAsync(nodes.B, Guid.Empty);
        var id = Guid.CreateVersion7();

        (await RefusedAsync(Addressed(Request(id, addressee.Id, r => r["fields"]!.AsObject().Remove("custodian")), requester, addressee)))
            .Should().Contain("fields.custodian");
        (await RefusedAsync(Addressed(Request(id, addressee.Id, r => r.Remove("sent_at")), requester, addressee))).Should().Contain("sent_at");
        (await RefusedAsync(Addressed(Request(id, addressee.Id, r => r["request_type"] = "favour"), requester, addressee))).Should().Contain("'favour' is not a request type");
        (await RefusedAsync(Addressed(Request(id, addressee.Id, r => r["subject"] = "Preserve\u0007 it"), requester, addressee))).Should().Contain("subject");
        (await RefusedAsync(Addressed(Request(id, addressee.Id, r => r["subject"] = new string('x', 301)), requester, addressee))).Should().Contain("subject");
        (await RefusedAsync(Addressed(Request(id, addressee.Id, r => r["offences"] = new JsonArray("jaywalking")), requester, addressee))).Should().Contain("'jaywalking'");
        var elsewhere = new OrganisationRef(Guid.CreateVersion7(), addressee.Node);
        var twoRecipients = RibatStixExtension.WithRecipients(Addressed(Request(id, addressee.Id), requester, addressee), [addressee, elsewhere]);
        (await RefusedAsync(twoRecipients)).Should().Contain("one recipient");
        (await RefusedAsync(Addressed(Request(id, elsewhere.Id), requester, elsewhere))).Should().Contain("addressed to no organisation of this node");

        (await HeldAsync(nodes.B, id)).Should().Be(before with { Requests = 0, Events = 0, Attachments = 0, Receipts = 0 });
        (await HeldAsync(nodes.B, id)).FromPartner.Should().Be(before.FromPartner, "a refused object is not stored");
    }

    [DbFact]
    public async Task Only_the_addressee_answers_and_a_file_must_be_within_the_limit_and_match_its_hash()
    {
        var (requester, addressee, id, bLiaison) = await DeliveredAsync();
        await RequestApiTests<RibatFactory>.MovedAsync(bLiaison, id, "acknowledged");
        var before = await HeldAsync(nodes.B, id);

        // The requester answering its own request, or a third agency of the partner node touching it.
        var answer = Step(id, "moved", s => { s["from_status"] = "acknowledged"; s["to_status"] = "answered"; });
        (await RefusedAsync(Addressed(answer, requester, addressee))).Should().Contain("Only the organisation the request is addressed to moves it to answered");
        var stranger = new OrganisationRef(Guid.CreateVersion7(), requester.Node);
        (await RefusedAsync(Addressed(Step(id, "moved", s => { s["from_status"] = "acknowledged"; s["to_status"] = "withdrawn"; s["note"] = "Not ours"; }), stranger, addressee)))
            .Should().Contain("no party to request");
        (await RefusedAsync(Addressed(Step(id, "moved", s => { s["from_status"] = "in-progress"; s["to_status"] = "withdrawn"; s["note"] = "Late"; }), requester, addressee)))
            .Should().Contain("the request is acknowledged on this node, not in-progress");
        (await RefusedAsync(Addressed(Step(id, "escalated", _ => { }), requester, addressee))).Should().Contain("'escalated' is not a request event");

        var bytes = RandomNumberGenerator.GetBytes(1024);
        var limit = nodes.B.Get<Microsoft.Extensions.Options.IOptions<CooperationOptions>>().Value.MaxAttachmentBytes;
        (await RefusedAsync(Addressed(Step(id, "attachment-added", s => s["attachment"] = File(bytes, size: limit + 1)), requester, addressee)))
            .Should().Contain("over the limit");
        (await RefusedAsync(Addressed(Step(id, "attachment-added", s => s["attachment"] = File(bytes, sha256: new string('0', 64))), requester, addressee)))
            .Should().Contain($"has SHA-256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}, not the {new string('0', 64)}");
        (await RefusedAsync(Addressed(Step(id, "attachment-added", s => s["attachment"] = File(bytes, size: 1000)), requester, addressee)))
            .Should().Contain("holds 1,024 bytes, not the 1,000");
        (await RefusedAsync(Addressed(Step(id, "attachment-added", s => { var f = File(bytes); f["content_base64"] = "not base64!"; s["attachment"] = f; }), requester, addressee)))
            .Should().Contain("not base64");
        (await RefusedAsync(Addressed(Step(id, "attachment-added", s => { var f = File(bytes); f["file_name"] = "../../etc/passwd"; s["attachment"] = f; }), requester, addressee)))
            .Should().Contain("file_name");

        (await HeldAsync(nodes.B, id)).Should().Be(before, "nothing of a refused step is written");
        var seen = await (await bLiaison.GetAsync($"/api/v1/requests/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["status"]!.GetValue<string>().Should().Be("acknowledged");

        // The same file, well described, is kept.
        var accepted = await nodes.PushAsync(nodes.A, nodes.B, [Addressed(Step(id, "attachment-added", s => s["attachment"] = File(bytes)), requester, addressee)]);
        accepted.FailureCount.Should().Be(0, accepted.Failures?.FirstOrDefault()?.Message);
        (await HeldAsync(nodes.B, id)).Attachments.Should().Be(before.Attachments + 1);
    }

    [DbFact]
    public async Task A_receipt_whose_signature_or_digest_does_not_hold_is_refused_and_the_request_stays_queued()
    {
        // B's agency sends to A's: A is the partner that returns the receipt.
        var (a, _) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.A);
        var (b, bLiaison) = await RequestApiTests<RibatFactory>.AgencyAsync(nodes.B);
        await nodes.IntroduceAsync();
        var id = (await RequestApiTests<RibatFactory>.DraftAsync(bLiaison, RequestApiTests<RibatFactory>.Preservation(a.Organisation.Id)))["id"]!.GetValue<Guid>();
        await RequestApiTests<RibatFactory>.MovedAsync(bLiaison, id, "sent");
        string version, json;
        await using (var db = nodes.B.Database.Open(TenantScope.NodeWide("test")))
        {
            var sent = await db.StixObjects.AsNoTracking().SingleAsync(s => s.StixId == CooperationExchange.RequestId(id));
            (version, json) = (sent.Version, sent.Json);
        }

        var nodeA = nodes.NodeOf(nodes.A);
        var addressee = new OrganisationRef(a.Organisation.Id, nodeA);
        var requester = new OrganisationRef(b.Organisation.Id, nodes.NodeOf(nodes.B));
        var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var statement = new DeliveryReceipts.Statement(id, version, DeliveryReceipts.Digest(json), receivedAt, nodeA);
        string Receipt(DeliveryReceipts.Statement said, string signature) => Addressed(new JsonObject
        {
            ["type"] = CooperationExchange.ReceiptType,
            ["spec_version"] = "2.1",
            ["id"] = $"{CooperationExchange.ReceiptType}--{Guid.CreateVersion7()}",
            ["created"] = DeliveryReceipts.Timestamp(receivedAt),
            ["modified"] = DeliveryReceipts.Timestamp(receivedAt),
            ["request_ref"] = CooperationExchange.RequestId(id),
            ["request_version"] = said.Version,
            ["request_sha256"] = said.Sha256,
            ["received_at"] = DeliveryReceipts.Timestamp(said.ReceivedAt),
            ["node"] = said.Node.ToString(),
            ["signature"] = signature,
        }, addressee, requester);

        var signer = nodes.A.Get<INodeSignature>();
        var signed = signer.Sign(DeliveryReceipts.Body(statement));
        var later = statement with { ReceivedAt = receivedAt.AddHours(-3) };
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var before = await HeldAsync(nodes.B, id);

        (await RefusedAsync(Receipt(later, signed))).Should().Contain("signature does not hold").And.Contain("does not match the body");
        (await RefusedAsync(Receipt(statement, PayloadSignature.Sign(DeliveryReceipts.Body(statement), otherKey)))).Should().Contain("signature does not hold").And.Contain("not by the sender's key");
        (await RefusedAsync(Receipt(statement, "..")))
            .Should().Contain("signature does not hold");
        var forgedDigest = statement with { Sha256 = new string('a', 64) };
        (await RefusedAsync(Receipt(forgedDigest, signer.Sign(DeliveryReceipts.Body(forgedDigest))))).Should().Contain("request_sha256 is not the SHA-256 of the version sent");
        var otherVersion = statement with { Version = "2020-01-01T00:00:00.000Z" };
        (await RefusedAsync(Receipt(otherVersion, signer.Sign(DeliveryReceipts.Body(otherVersion))))).Should().Contain("was never sent from this node");

        (await HeldAsync(nodes.B, id)).Should().Be(before);
        var queued = await (await bLiaison.GetAsync($"/api/v1/requests/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        queued["delivery"]!["state"]!.GetValue<string>().Should().Be("queued");

        var accepted = await nodes.PushAsync(nodes.A, nodes.B, [Receipt(statement, signed)]);
        accepted.FailureCount.Should().Be(0, accepted.Failures?.FirstOrDefault()?.Message);
        var delivered = await (await bLiaison.GetAsync($"/api/v1/requests/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        delivered["delivery"]!["state"]!.GetValue<string>().Should().Be("delivered");
        delivered["delivery"]!["receipts"]![0]!["signatureValid"]!.GetValue<bool>().Should().BeTrue();
    }
}

public sealed class PartnerRequestIngressTestsSqlite(TwoCooperatingNodesSqlite nodes) : PartnerRequestIngressTests<TwoCooperatingNodesSqlite>(nodes);

public sealed class PartnerRequestIngressTestsPostgres(TwoCooperatingNodesPostgres nodes) : PartnerRequestIngressTests<TwoCooperatingNodesPostgres>(nodes);
