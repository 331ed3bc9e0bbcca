using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

public sealed class ReceivedTests
{
    private const string Chain = """
        Received: from mx1.corp.example (mx1.corp.example [192.0.2.10]) by store.corp.example with LMTP id 9; Mon, 1 Jun 2026 10:00:09 +0000
        Received: from out.sender.test (out.sender.test [198.51.100.7]) by mx1.corp.example (Postfix) with ESMTPS id ABC for <bob@corp.example>; Mon, 1 Jun 2026 12:00:05 +0200
        Received: from [IPv6:2001:DB8::1] (helo=laptop.sender.test) by out.sender.test with ESMTPSA; Mon, 1 Jun 2026 09:59:58 +0000
        From: alice@sender.test
        To: bob@corp.example
        Subject: route
        Date: Mon, 1 Jun 2026 09:59:50 +0000
        Message-ID: <1@sender.test>
        """;

    [Fact]
    public void Hops_come_out_in_travel_order_with_utc_times_and_delays()
    {
        var report = Mail.Analyse(Mail.Message(Chain), Mail.Options(internalNetworks: "corp.example"));

        report.Received.Should().HaveCount(3);
        var first = report.Received[0];
        first.FromIp.Should().Be("2001:db8::1", "bracketed IPv6: literals are canonical");
        first.FromHost.Should().Be("laptop.sender.test", "an address literal's host is its HELO");
        first.ByHost.Should().Be("out.sender.test");
        first.Protocol.Should().Be("ESMTPSA");
        first.Timestamp.Should().Be(new DateTimeOffset(2026, 6, 1, 9, 59, 58, TimeSpan.Zero));
        first.DelaySeconds.Should().BeNull();
        report.Received[1].Timestamp.Should().Be(new DateTimeOffset(2026, 6, 1, 10, 0, 5, TimeSpan.Zero), "+0200 is converted to UTC");
        report.Received[1].DelaySeconds.Should().Be(7);
        report.Received[2].DelaySeconds.Should().Be(4);
        report.Received[2].Protocol.Should().Be("LMTP");
    }

    [Fact]
    public void The_origin_is_the_first_hop_outside_the_internal_networks_seen_from_the_recipient()
    {
        var inside = Mail.Analyse(Mail.Message(Chain), Mail.Options(internalNetworks: "corp.example"));
        inside.Origin!.FromIp.Should().Be("198.51.100.7");
        inside.Origin.Position.Should().Be(2);

        var byAddress = Mail.Analyse(Mail.Message(Chain), Mail.Options(internalNetworks: "192.0.2.0/24"));
        byAddress.Origin!.FromIp.Should().Be("198.51.100.7", "192.0.2.10 is inside the internal block");

        var unknown = Mail.Analyse(Mail.Message(Chain));
        unknown.Origin!.FromIp.Should().Be("192.0.2.10", "without an internal list only private addresses are skipped");
    }

    [Fact]
    public void Private_and_loopback_senders_are_never_the_origin()
    {
        var report = Mail.Analyse(Mail.Message("""
            Received: from relay (relay [127.0.0.1]) by mx.corp.example; Mon, 1 Jun 2026 10:00:09 +0000
            Received: from gw (gw [10.1.2.3]) by relay; Mon, 1 Jun 2026 10:00:08 +0000
            Received: from out.sender.test ([203.0.113.5]) by gw; Mon, 1 Jun 2026 10:00:07 +0000
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <x@sender.test>
            """));

        report.Origin!.FromIp.Should().Be("203.0.113.5");
        report.Origin.FromHost.Should().Be("out.sender.test");
    }

    [Theory]
    [InlineData("from BN8PR12MB.namprd12.prod.outlook.com (2603:10b6:408:ec::20) by BN8PR12MB.outlook.com (2603:10b6:408:ec::21) with Microsoft SMTP Server (version=TLS1_2) id 15.20.1; Mon, 1 Jun 2026 10:00:00 +0000",
        "bn8pr12mb.namprd12.prod.outlook.com", "2603:10b6:408:ec::20", "bn8pr12mb.outlook.com", "Microsoft")]
    [InlineData("from [203.0.113.77] (port=5123 helo=WIN-ABC) by mail.host.test with esmtpa (Exim 4.96) (envelope-from <x@y.test>) id 1; Mon, 1 Jun 2026 10:00:00 +0000",
        "win-abc", "203.0.113.77", "mail.host.test", "esmtpa")]
    [InlineData("from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id a1sor; Mon, 01 Jun 2026 03:00:00 -0700 (PDT)",
        "mail-sor-f41.google.com", "209.85.220.41", "mx.google.com", "SMTPS")]
    [InlineData("by localhost with local; Mon, 1 Jun 2026 10:00:00 +0000", null, null, "localhost", "local")]
    public void Real_server_spellings_are_read(string value, string? fromHost, string? fromIp, string byHost, string protocol)
    {
        var hop = ReceivedParser.Parse(1, value);

        hop.FromHost.Should().Be(fromHost);
        hop.FromIp.Should().Be(fromIp);
        hop.ByHost.Should().Be(byHost);
        hop.Protocol.Should().Be(protocol);
        hop.Timestamp.Should().NotBeNull();
    }

    [Fact]
    public void Garbage_and_missing_dates_give_empty_fields_not_errors()
    {
        var hop = ReceivedParser.Parse(1, "((( from [ by ;;; (");
        hop.Timestamp.Should().BeNull();
        hop.FromIp.Should().BeNull();

        ReceivedParser.Parse(1, "from a.test by b.test; not a date").Timestamp.Should().BeNull();
        ReceivedParser.Parse(1, "from [999.1.1.1] by b.test; Mon, 1 Jun 2026 10:00:00 +0000").FromIp.Should().BeNull("999 is not an octet");
    }

    [Fact]
    public void Hops_stamped_before_the_hop_that_handed_them_the_message_are_flagged()
    {
        var report = Mail.Analyse(Mail.Message("""
            Received: from b.test ([198.51.100.2]) by c.test; Mon, 1 Jun 2026 09:00:00 +0000
            Received: from a.test ([198.51.100.1]) by b.test; Mon, 1 Jun 2026 10:00:00 +0000
            From: a@a.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <x@a.test>
            """));

        report.Received[1].DelaySeconds.Should().Be(-3600);
        report.Anomalies.Should().ContainSingle(a => a.Kind == "hops-out-of-order")
            .Which.Message.Should().Contain("hop 2").And.Contain("3600 s before");
        report.Verdict.Level.Should().Be(VerdictLevel.Suspicious);
    }
}
