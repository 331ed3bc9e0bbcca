using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

public sealed class AuthenticationTests
{
    private static readonly Lazy<RSA> Key = new(() => RSA.Create(2048));

    [Fact]
    public void Recorded_results_come_from_the_topmost_header_of_the_recipient()
    {
        var report = Mail.Analyse(Mail.Message("""
            Authentication-Results: mx.corp.example; spf=softfail smtp.mailfrom=sender.test; dkim=fail header.d=sender.test header.s=s1; dkim=pass header.d=esp.test; dmarc=fail (p=reject) header.from=sender.test; arc=none
            Authentication-Results: forged.test; spf=pass; dkim=pass; dmarc=pass
            Received-SPF: softfail (mx.corp.example: domain of sender.test does not designate 198.51.100.7) client-ip=198.51.100.7
            ARC-Seal: i=1; a=rsa-sha256; cv=none; d=esp.test; s=arc; b=AAAA
            From: alice@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            """), Mail.Options(internalNetworks: "corp.example"));

        var auth = report.Authentication;
        auth.Spf.Should().Be("softfail");
        auth.Dkim.Should().Be("pass", "one passing signature is enough");
        auth.Dmarc.Should().Be("fail", "the forged lower header saying pass is not believed");
        auth.Arc.Should().Be("none");
        auth.ArcSets.Should().Be(1);
        auth.ReceivedSpf.Should().Equal("softfail");
        auth.Results.Should().HaveCount(8);
        auth.Results[0].Properties.Should().Contain(new KeyValuePair<string, string>("smtp.mailfrom", "sender.test"));
        report.Verdict.Reasons.Should().Contain(r => r.Reason.Contains("DMARC fails"));
    }

    [Fact]
    public void A_message_signed_with_a_generated_key_verifies_and_a_tampered_copy_does_not()
    {
        var signed = Sign("Please pay invoice 1001 to account 12345.");
        var keys = Keys("v=DKIM1; k=rsa; p=" + Convert.ToBase64String(Key.Value.ExportSubjectPublicKeyInfo()));

        var good = Mail.Analyse(signed, Mail.Options(keys: keys));
        var check = good.Authentication.DkimSignatures.Should().ContainSingle().Subject;
        check.Status.Should().Be(DkimStatus.Pass, check.Detail);
        check.Domain.Should().Be("sender.test");
        check.Selector.Should().Be("s2026");
        check.Algorithm.Should().Be("rsa-sha256");
        good.Verdict.Level.Should().Be(VerdictLevel.Clean, string.Join("; ", good.Verdict.Reasons.Select(r => r.Reason)));

        var tampered = signed.Replace("account 12345", "account 99999", StringComparison.Ordinal);
        var bad = Mail.Analyse(tampered, Mail.Options(keys: keys));
        bad.Authentication.DkimSignatures.Single().Status.Should().Be(DkimStatus.Fail);
        bad.Verdict.Level.Should().Be(VerdictLevel.Suspicious);
        bad.Verdict.Reasons.Should().Contain(r => r.Reason.Contains("does not verify"));
    }

    [Fact]
    public void A_pem_public_key_works_and_a_missing_key_is_said_so()
    {
        var signed = Sign("Hello.");
        var pem = Keys(Key.Value.ExportSubjectPublicKeyInfoPem());
        Mail.Analyse(signed, Mail.Options(keys: pem)).Authentication.DkimSignatures.Single().Status.Should().Be(DkimStatus.Pass);

        var none = Mail.Analyse(signed).Authentication.DkimSignatures.Single();
        none.Status.Should().Be(DkimStatus.NoKey);
        none.Detail.Should().Contain("s2026._domainkey.sender.test");

        using var other = RSA.Create(2048);
        var wrong = Keys(other.ExportSubjectPublicKeyInfoPem());
        Mail.Analyse(signed, Mail.Options(keys: wrong)).Authentication.DkimSignatures.Single().Status.Should().Be(DkimStatus.Fail);
    }

    [Fact]
    public void Unreadable_keys_and_names_are_refused_with_a_reason()
    {
        DkimKeyStore.TryCreate([new("s1._domainkey.example.com", "v=DKIM1; k=rsa; p=!!!")], out _, out var reason).Should().BeFalse();
        reason.Should().Contain("s1._domainkey.example.com");
        DkimKeyStore.TryCreate([new("example.com", "v=DKIM1; p=AAAA")], out _, out reason).Should().BeFalse();
        reason.Should().Contain("selector._domainkey.domain");
    }

    [Fact]
    public void A_malformed_signature_is_an_error_not_an_exception()
    {
        var keys = Keys(Key.Value.ExportSubjectPublicKeyInfoPem());
        var report = Mail.Analyse(Mail.Message("""
            DKIM-Signature: v=1; a=rsa-sha256; d=sender.test; s=s2026; h=from; bh=!!!; b=@@@
            From: alice@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            """), Mail.Options(keys: keys));

        var check = report.Authentication.DkimSignatures.Single();
        check.Status.Should().BeOneOf(DkimStatus.Error, DkimStatus.Fail);
        Mail.Analyse(Mail.Message("DKIM-Signature: v=1; a=rsa-sha256\nFrom: a@b.test\nMessage-ID: <1@b.test>\nDate: Mon, 1 Jun 2026 10:00:00 +0000"))
            .Authentication.DkimSignatures.Single().Status.Should().Be(DkimStatus.Error);
    }

    private static DkimKeyStore Keys(string record)
    {
        DkimKeyStore.TryCreate([new("s2026._domainkey.sender.test", record)], out var keys, out var reason).Should().BeTrue(reason);
        return keys;
    }

    private static string Sign(string text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", "alice@sender.test"));
        message.To.Add(new MailboxAddress("Bob", "bob@corp.example"));
        message.Subject = "Invoice";
        message.Date = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        message.MessageId = "inv1001@sender.test";
        message.Body = new TextPart("plain") { Text = text };
        using var pem = new MemoryStream(Encoding.ASCII.GetBytes(Key.Value.ExportRSAPrivateKeyPem()));
        var signer = new DkimSigner(pem, "sender.test", "s2026")
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Simple,
        };
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        using var output = new MemoryStream();
        message.WriteTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
