using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

public sealed class HeaderAnomalyTests
{
    private static EmailReport Headers(string headers, string? protect = null) =>
        Mail.Analyse(Mail.Message(headers), Mail.Options(protect: protect));

    private static IEnumerable<string> Kinds(EmailReport report) => report.Anomalies.Select(a => a.Kind);

    [Fact]
    public void A_clean_message_has_no_anomaly_and_is_clean()
    {
        var report = Headers("""
            Return-Path: <bounce@mail.sender.test>
            From: Alice <alice@sender.test>
            Reply-To: alice@sender.test
            To: bob@corp.example
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            """);

        report.Anomalies.Should().BeEmpty("mail.sender.test and sender.test share a registered domain");
        report.Verdict.Level.Should().Be(VerdictLevel.Clean);
        report.Verdict.Reasons.Should().BeEmpty();
    }

    [Fact]
    public void Sender_domains_that_disagree_are_reported_with_both_domains()
    {
        var report = Headers("""
            Return-Path: <x@bulk.test>
            From: alice@sender.test
            Sender: agent@relay.test
            Reply-To: collect@harvest.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            """);

        Kinds(report).Should().BeEquivalentTo(["return-path-mismatch", "reply-to-mismatch", "sender-mismatch"]);
        report.Anomalies.Single(a => a.Kind == "reply-to-mismatch").Message.Should().Be("the Reply-To domain harvest.test differs from the From domain sender.test.");
        report.Anomalies.Single(a => a.Kind == "reply-to-mismatch").Severity.Should().Be(Severity.Suspicious);
        report.Anomalies.Single(a => a.Kind == "return-path-mismatch").Severity.Should().Be(Severity.Info, "mailing services bounce to their own domain");
        report.Verdict.Level.Should().Be(VerdictLevel.Suspicious);
    }

    [Fact]
    public void A_display_name_holding_another_address_or_a_protected_brand_is_a_spoof()
    {
        var address = Headers("""
            From: "ceo@bank.test" <ceo.bank@freemail.test>
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@freemail.test>
            """, protect: "bank.test");
        var spoof = address.Anomalies.Should().ContainSingle(a => a.Kind == "display-name-spoof").Subject;
        spoof.Message.Should().Be("the display name shows ceo@bank.test but the address is ceo.bank@freemail.test.");
        spoof.Severity.Should().Be(Severity.Malicious, "the shown address is at a protected domain");
        address.Verdict.Level.Should().Be(VerdictLevel.Malicious);

        var brand = Headers("""
            From: "PayPal Support" <help@support-desk.test>
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@support-desk.test>
            """, protect: "paypal.com");
        brand.Anomalies.Should().ContainSingle(a => a.Kind == "display-name-spoof")
            .Which.Message.Should().Contain("names paypal.com").And.Contain("support-desk.test");

        var genuine = Headers("""
            From: "PayPal" <service@paypal.com>
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@paypal.com>
            """, protect: "paypal.com");
        genuine.Anomalies.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Date: Thu, 1 Jun 2028 10:00:00 +0000", "future-date", "is in the future")]
    [InlineData("Date: Mon, 1 Jan 1980 10:00:00 +0000", "impossible-date", "before 1990")]
    [InlineData("Date: not a date at all", "bad-date", "cannot be read")]
    [InlineData("X-Nothing: 1", "missing-date", "no Date")]
    public void Dates_that_cannot_be_true_are_flagged(string dateLine, string kind, string text)
    {
        var report = Headers($"""
            From: a@sender.test
            {dateLine}
            Message-ID: <1@sender.test>
            """);

        report.Anomalies.Should().ContainSingle(a => a.Kind == kind).Which.Message.Should().Contain(text);
    }

    [Fact]
    public void A_date_far_from_the_first_received_hop_is_flagged()
    {
        var report = Headers("""
            Received: from a.test ([198.51.100.1]) by b.test; Mon, 1 Jun 2026 10:00:00 +0000
            From: a@a.test
            Date: Wed, 27 May 2026 10:00:00 +0000
            Message-ID: <1@a.test>
            """);

        report.Anomalies.Should().ContainSingle(a => a.Kind == "date-far-from-received")
            .Which.Message.Should().Contain("120 hours before the first Received");
    }

    [Fact]
    public void A_missing_message_id_and_an_oversized_header_are_reported()
    {
        var huge = new string('A', 200_000);
        var report = Headers($"""
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Subject: {huge}
            """);

        Kinds(report).Should().Contain(["missing-message-id", "oversized-header"]);
        report.Anomalies.Single(a => a.Kind == "oversized-header").Message.Should().Contain("Subject").And.Contain("over 65,536");
        report.Subject!.Length.Should().Be(EmailLimits.Default.MaxHeaderChars);
    }
}
