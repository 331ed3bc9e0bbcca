using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Hunting;

public class IocSetTests
{
    [Theory]
    [InlineData("198.51.100.7", ObservableType.IPv4, "198.51.100.7")]
    [InlineData("2001:DB8:0:0::1", ObservableType.IPv6, "2001:db8::1")]
    [InlineData("10.1.2.3/8", ObservableType.Cidr, "10.0.0.0/8")]
    [InlineData("2001:db8::/32", ObservableType.Cidr, "2001:db8::/32")]
    [InlineData("Evil.Example", ObservableType.Domain, "evil.example")]
    [InlineData("www.evil[.]example.co.uk", ObservableType.Hostname, "www.evil.example.co.uk")]
    [InlineData("Example.co.uk", ObservableType.Domain, "example.co.uk")]
    [InlineData("mail.evil.example", ObservableType.Hostname, "mail.evil.example")]
    [InlineData("DC01", ObservableType.Hostname, "dc01")]
    [InlineData("hxxps://Evil.Example:443/a/B?x=1", ObservableType.Url, "https://evil.example/a/B?x=1")]
    [InlineData("Billing@Pay.Example", ObservableType.Email, "Billing@pay.example")]
    [InlineData("44D88612FEA8A8F36DE82E1278ABB02F", ObservableType.Md5, "44d88612fea8a8f36de82e1278abb02f")]
    [InlineData("3395856ce81f2b7382dee72602f798b642f14140", ObservableType.Sha1, "3395856ce81f2b7382dee72602f798b642f14140")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ObservableType.Sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public void Every_kind_of_line_is_typed_from_its_shape(string line, ObservableType type, string value)
    {
        var load = IocSet.Parse(new StringReader(line));
        load.Problems.Should().BeEmpty();
        load.Set.Count.Should().Be(1);
        load.Set.Contains(type, value).Should().BeTrue();
    }

    [Fact]
    public void A_sha512_line_is_typed_as_sha512()
    {
        var digest = new string('a', 64) + new string('B', 64);
        var load = IocSet.Parse(new StringReader(digest));
        load.Problems.Should().BeEmpty();
        load.Set.Contains(ObservableType.Sha512, digest.ToLowerInvariant()).Should().BeTrue();
        load.Set.Contains(ObservableType.Sha256, digest.ToLowerInvariant()).Should().BeFalse();
    }

    [Fact]
    public void Bad_lines_are_reported_by_number_with_a_reason_and_good_ones_kept()
    {
        const string file = """
            # C2 servers seen in the March incident
            198.51.100.7 first stage

            999.1.1.1
            evil.example  # phishing kit
            10.0.0.0/33
            abcdef0123456789abcdef0123456789abc
            bad..name.example
            2001:db8:::1
            https://evil.example/gate.php
            """;
        var load = IocSet.Parse(new StringReader(file));

        load.Problems.Select(p => p.Line).Should().Equal(4, 6, 7, 8, 9);
        load.Problems[0].Reason.Should().Contain("greater than 255");
        load.Problems[1].Reason.Should().Contain("prefix length");
        load.Problems[2].Reason.Should().Contain("35 hex digits");
        load.Problems[3].Reason.Should().Contain("empty label");
        load.Problems[4].Reason.Should().Contain("IPv6");
        load.Problems[0].Text.Should().Be("999.1.1.1");
        load.Set.Count.Should().Be(3);
        var hits = new IocMatcher(load.Set).Match(Event(("ip", "198.51.100.7"), ("q", "evil.example")));
        hits.Select(h => (h.Indicator.Id, h.Indicator.Label)).Should().Equal(("line 2", "first stage"), ("line 5", "phishing kit"));
    }

    [Fact]
    public void Indicators_from_the_store_are_checked_and_the_same_value_keeps_every_indicator()
    {
        IocIndicator[] indicators =
        [
            new(ObservableType.Domain, "evil.example", "ind-1", "report A"),
            new(ObservableType.Domain, "evil.example", "ind-2", "report B"),
            new(ObservableType.Domain, "Evil.Example", "ind-3"),
            new(ObservableType.Ssdeep, "3:abc:def", "ind-4"),
            new(ObservableType.IPv4, "010.1.1.1", "ind-5"),
            new(ObservableType.Cidr, "10.0.0.0/8", "ind-6"),
            new(ObservableType.Cidr, "10.0.0.0/8", "ind-7"),
        ];
        var load = IocSet.FromIndicators(indicators);

        load.Problems.Select(p => (p.Line, p.Reason)).Should().Equal(
            (3L, "not a canonical domain."), (4L, "ssdeep indicators are not matched in logs."), (5L, "not a canonical ipv4."));
        load.Set.Count.Should().Be(4);
        load.Set.DistinctValues.Should().Be(2);
        var hits = new IocMatcher(load.Set).Match(Event(("DestinationHostname", "www.evil.example"), ("DestinationIp", "10.9.8.7")));
        hits.Select(h => h.Indicator.Id).Should().Equal("ind-1", "ind-2", "ind-6", "ind-7");
    }

    [Fact]
    public void Contains_is_exact_and_typed()
    {
        var set = IocSet.FromIndicators([new(ObservableType.Domain, "evil.example"), new(ObservableType.Cidr, "10.0.0.0/8")]).Set;
        set.Contains(ObservableType.Domain, "evil.example").Should().BeTrue();
        set.Contains(ObservableType.Hostname, "evil.example").Should().BeFalse();
        set.Contains(ObservableType.Domain, "a.evil.example").Should().BeFalse();
        set.Contains(ObservableType.Cidr, "10.0.0.0/8").Should().BeTrue();
        set.Contains(ObservableType.Cidr, "10.0.0.0/9").Should().BeFalse();
        set.Contains(ObservableType.IPv4, "10.0.0.1").Should().BeFalse();
    }

    internal static Ribat.Forensics.Logs.LogEvent Event(params (string Name, string? Value)[] fields) =>
        new(Ribat.Forensics.Logs.LogFormat.JsonLines, "test.jsonl", 1, null, [.. fields.Select(f => new Ribat.Forensics.Logs.LogField(f.Name, f.Value))]);
}
