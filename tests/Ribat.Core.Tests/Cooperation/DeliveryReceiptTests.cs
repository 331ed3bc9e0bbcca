using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ribat.Core.Cooperation;
using Ribat.Core.Federation;
using Ribat.Stix.Signing;

namespace Ribat.Core.Tests.Cooperation;

/// <summary>The delivery receipt a node signs for a request it received, and the digest both nodes compute of that request.</summary>
public sealed class DeliveryReceiptTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 10, 15, 30, 123, TimeSpan.Zero);

    private static readonly DeliveryReceipts.Statement Statement = new(Guid.CreateVersion7(), "2026-11-23T10:15:00.000Z", new string('a', 64), Received, Guid.CreateVersion7());

    [Fact]
    public void A_receipt_verifies_against_the_signers_public_key_and_fails_once_any_value_changes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportSubjectPublicKeyInfoPem();
        var signature = PayloadSignature.Sign(DeliveryReceipts.Body(Statement), key);

        var valid = DeliveryReceipts.Verify(Statement, signature, pem);
        valid.Valid.Should().BeTrue(valid.Message);
        valid.KeyId.Should().Be(PayloadSignature.KeyIdOf(key));

        foreach (var changed in new[]
        {
            Statement with { Request = Guid.CreateVersion7() },
            Statement with { Version = "2026-11-23T10:15:00.001Z" },
            Statement with { Sha256 = new string('b', 64) },
            Statement with { ReceivedAt = Received.AddMilliseconds(1) },
            Statement with { Node = Guid.CreateVersion7() },
        })
        {
            DeliveryReceipts.Verify(changed, signature, pem).Valid.Should().BeFalse($"{changed} is not what was signed");
        }
    }

    [Fact]
    public void A_receipt_signed_by_another_key_missing_or_garbled_fails_with_a_reason_and_never_throws()
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var pinned = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = PayloadSignature.Sign(DeliveryReceipts.Body(Statement), signer);

        DeliveryReceipts.Verify(Statement, signature, pinned.ExportSubjectPublicKeyInfoPem()).Message.Should().Contain("not by the sender's key");
        DeliveryReceipts.Verify(Statement, null, pinned.ExportSubjectPublicKeyInfoPem()).Valid.Should().BeFalse();
        DeliveryReceipts.Verify(Statement, new string('x', 5000), pinned.ExportSubjectPublicKeyInfoPem()).Valid.Should().BeFalse();
        DeliveryReceipts.Verify(Statement, signature[..^4], signer.ExportSubjectPublicKeyInfoPem()).Valid.Should().BeFalse();
        DeliveryReceipts.Verify(Statement, signature, "not a key").Message.Should().Contain("pinned public key cannot be read");
    }

    [Fact]
    public void The_digest_ignores_member_order_spacing_and_the_recipients_egress_adds_but_not_any_value()
    {
        var stored = $$"""{"type":"x-ribat-cooperation-request","id":"x-ribat-cooperation-request--{{Guid.Empty}}","subject":"Preserve","extensions":{"{{RibatStixExtension.Id}}":{"distribution":"organisation-only" """ + "}}}";
        var node = JsonNode.Parse(stored)!;
        var reordered = $$$"""{ "subject" : "Preserve", "extensions":{"{{{RibatStixExtension.Id}}}":{"distribution":"organisation-only"}}, "id":"x-ribat-cooperation-request--{{{Guid.Empty}}}", "type":"x-ribat-cooperation-request" }""";
        var onTheWire = RibatStixExtension.WithRecipients(stored, [new Ribat.Core.Sharing.OrganisationRef(Guid.CreateVersion7(), Guid.CreateVersion7())]);
        node["subject"] = "Preserve all";

        DeliveryReceipts.Digest(reordered).Should().Be(DeliveryReceipts.Digest(stored));
        DeliveryReceipts.Digest(onTheWire).Should().Be(DeliveryReceipts.Digest(stored), "the recipients are written per partner on the way out");
        DeliveryReceipts.Digest(node.ToJsonString()).Should().NotBe(DeliveryReceipts.Digest(stored));
        DeliveryReceipts.Digest(stored).Should().MatchRegex("^[0-9a-f]{64}$");
    }
}
