using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;
using static Ribat.Forensics.Tests.Exchange.ExchangeCorpus;

namespace Ribat.Forensics.Tests.Exchange;

public class MispEventReaderMappingTests
{
    private static string Attribute(string type, string value, string extra = "") =>
        $$"""{"type": "{{type}}", "value": "{{value}}" {{extra}}}""";

    [Theory]
    [InlineData("ip-dst", "1.2.3.4", ObservableType.IPv4, "1.2.3.4")]
    [InlineData("ip-src", "2001:DB8:0:0::1", ObservableType.IPv6, "2001:db8::1")]
    [InlineData("ip-dst", "10.1.2.3/8", ObservableType.Cidr, "10.0.0.0/8")]
    [InlineData("ip-dst|port", "1.2.3.4|443", ObservableType.IPv4, "1.2.3.4")]
    [InlineData("ip-src|port", "2001:db8::1|8080", ObservableType.IPv6, "2001:db8::1")]
    [InlineData("domain", "Evil.Example.COM.", ObservableType.Domain, "evil.example.com")]
    [InlineData("hostname", "mail.evil.example", ObservableType.Hostname, "mail.evil.example")]
    [InlineData("hostname|port", "mail.evil.example|25", ObservableType.Hostname, "mail.evil.example")]
    [InlineData("url", "HTTP://Evil.Example/a?b=1", ObservableType.Url, "http://evil.example/a?b=1")]
    [InlineData("uri", "https://evil.example/x", ObservableType.Url, "https://evil.example/x")]
    [InlineData("link", "https://blog.example/post", ObservableType.Url, "https://blog.example/post")]
    [InlineData("email", "a@Evil.Example", ObservableType.Email, "a@evil.example")]
    [InlineData("email-src", "a@evil.example", ObservableType.Email, "a@evil.example")]
    [InlineData("email-dst", "a@evil.example", ObservableType.Email, "a@evil.example")]
    [InlineData("email-reply-to", "a@evil.example", ObservableType.Email, "a@evil.example")]
    [InlineData("target-email", "victim@corp.example", ObservableType.Email, "victim@corp.example")]
    [InlineData("md5", "D41D8CD98F00B204E9800998ECF8427E", ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", ObservableType.Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ObservableType.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("ssdeep", "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C", ObservableType.Ssdeep, "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C")]
    [InlineData("filename", "invoice.pdf.exe", ObservableType.FileName, "invoice.pdf.exe")]
    [InlineData("AS", "64500", ObservableType.Asn, "AS64500")]
    [InlineData("AS", "AS64500", ObservableType.Asn, "AS64500")]
    [InlineData("btc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", ObservableType.BitcoinAddress, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")]
    [InlineData("iban", "DE89 3704 0044 0532 0130 00", ObservableType.Iban, "DE89370400440532013000")]
    [InlineData("phone-number", "+49 151 12345678", ObservableType.Phone, "+4915112345678")]
    [InlineData("github-username", "evil-dev", ObservableType.UserAccount, "github:evil-dev")]
    [InlineData("twitter-id", "@EvilHandle", ObservableType.UserAccount, "twitter:EvilHandle")]
    [InlineData("jabber-id", "evil@jabber.example", ObservableType.UserAccount, "jabber:evil@jabber.example")]
    [InlineData("ja3-fingerprint-md5", "E7D705A3286E19EA42F587B344EE6865", ObservableType.Ja3, "e7d705a3286e19ea42f587b344ee6865")]
    public void A_MISP_type_becomes_its_observable_type(string mispType, string value, ObservableType type, string canonical)
    {
        var report = ReadSingle(EventWith(Attribute(mispType, value)));

        report.Indicators.Should().ContainSingle().Which.Should().Match<ExchangeIndicator>(i => i.Type == type && i.Value == canonical);
    }

    [Theory]
    [InlineData("domain|ip", "evil.example|198.51.100.7", ObservableType.Domain, "evil.example", ObservableType.IPv4, "198.51.100.7")]
    [InlineData("filename|md5", "a.exe|d41d8cd98f00b204e9800998ecf8427e", ObservableType.FileName, "a.exe", ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("filename|sha256", "a.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ObservableType.FileName, "a.exe", ObservableType.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("malware-sample", "a.exe|d41d8cd98f00b204e9800998ecf8427e", ObservableType.FileName, "a.exe", ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e")]
    public void A_composite_type_gives_both_parts_with_the_same_source(string mispType, string value, ObservableType first, string firstValue, ObservableType second, string secondValue)
    {
        var report = ReadSingle(EventWith(Attribute(mispType, value, ", \"uuid\": \"11111111-2222-4333-8444-555555555555\"")));

        report.Indicators.Select(i => (i.Type, i.Value)).Should().Equal((first, firstValue), (second, secondValue));
        report.Indicators.Should().OnlyContain(i => i.SourceId == "11111111-2222-4333-8444-555555555555");
    }

    [Theory]
    [InlineData("text", "some words", "MISP type 'text' has no Ribat observable type.")]
    [InlineData("xmr", "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge", "MISP type 'xmr' has no Ribat observable type.")]
    [InlineData("regkey", "HKLM\\\\Software\\\\Run", "MISP type 'regkey' has no Ribat observable type.")]
    [InlineData("uri", "/gate.php", "MISP type 'uri' holds a path without scheme and host; Ribat keeps absolute URLs only.")]
    [InlineData("filename|imphash", "a.exe|f34d5f2d4577ed6d9ceec516c1f5a744", "MISP type 'filename|imphash': the 'imphash' part has no Ribat observable type.")]
    public void What_Ribat_cannot_hold_is_listed_as_skipped_with_its_type(string mispType, string value, string reason)
    {
        var result = ReadMisp(EventWith(Attribute(mispType, value)));

        result.Issues.Should().BeEmpty();
        result.Skipped.Should().ContainSingle().Which.Should().Be(new ImportIssue(1, "Event.Attribute[0]", reason));
        result.Value!.Single().Indicators.Should().HaveCount(mispType.StartsWith("filename|", StringComparison.Ordinal) ? 1 : 0,
            "the file name of filename|imphash is still kept");
    }

    [Fact]
    public void A_bad_value_is_an_issue_with_its_line_and_path_and_the_good_ones_stay()
    {
        var json = "{\"Event\": {\"info\": \"x\",\n\"Attribute\": [\n"
            + "{\"type\": \"ip-dst\", \"value\": \"198.51.100.7\"},\n"
            + "{\"type\": \"ip-dst\",\n \"value\": \"1.2.3.256\"},\n"
            + "{\"type\": \"domain|ip\", \"value\": \"evil.example\"},\n"
            + "{\"type\": \"md5\"}\n]}}";

        var result = ReadMisp(json);

        result.Value!.Single().Indicators.Select(i => i.Value).Should().Equal("198.51.100.7");
        result.Issues.Should().HaveCount(3);
        result.Issues[0].Line.Should().Be(5);
        result.Issues[0].Column.Should().Be("Event.Attribute[1].value");
        result.Issues[0].Reason.Should().StartWith("ip-dst '1.2.3.256': not a valid IPv4 address");
        result.Issues[1].Should().Be(new ImportIssue(6, "Event.Attribute[2].value", "domain|ip 'evil.example': expected two values separated by '|'."));
        result.Issues[2].Should().Be(new ImportIssue(7, "Event.Attribute[3]", "the attribute has no value."));
    }

    [Fact]
    public void Coin_addresses_take_their_type_from_the_symbol_which_is_not_reported()
    {
        var json = """
            {"Event": {"info": "coins", "Object": [
              {"name": "coin-address", "Attribute": [
                {"type": "text", "object_relation": "address-crypto", "value": "0x52908400098527886E0F7030069857D2E4169EE7"},
                {"type": "text", "object_relation": "symbol", "value": "ETH"}]},
              {"name": "coin-address", "Attribute": [
                {"type": "text", "object_relation": "symbol", "value": "TRX"},
                {"type": "text", "object_relation": "address-crypto", "value": "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"}]},
              {"name": "coin-address", "Attribute": [
                {"type": "text", "object_relation": "address-crypto", "value": "0x52908400098527886e0f7030069857d2e4169ee7"}]},
              {"name": "coin-address", "Attribute": [
                {"type": "text", "object_relation": "symbol", "value": "DOGE"},
                {"type": "text", "object_relation": "address-crypto", "value": "DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L"}]}
            ]}}
            """;

        var result = ReadMisp(json);

        result.Value!.Single().Indicators.Select(i => (i.Type, i.Value)).Should().Equal(
            (ObservableType.EthereumAddress, "0x52908400098527886e0f7030069857d2e4169ee7"),
            (ObservableType.TronAddress, "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"),
            (ObservableType.EthereumAddress, "0x52908400098527886e0f7030069857d2e4169ee7"));
        result.Skipped.Should().ContainSingle().Which.Reason.Should().Be("a coin-address with symbol 'DOGE' has no Ribat observable type.");
    }

    [Fact]
    public void Ja4_and_user_accounts_in_their_objects_are_understood()
    {
        var json = """
            {"Event": {"info": "x", "Object": [
              {"name": "ja4-plus", "Attribute": [
                {"type": "text", "object_relation": "ja4-fingerprint", "value": "t13d1516h2_8daaf6152771_02713d6af862"},
                {"type": "text", "object_relation": "ja4-type", "value": "JA4"}]},
              {"name": "ja4-plus", "Attribute": [
                {"type": "text", "object_relation": "ja4-fingerprint", "value": "t130200_1301_234ea6891581"},
                {"type": "text", "object_relation": "ja4-type", "value": "JA4S"}]},
              {"name": "user-account", "Attribute": [
                {"type": "text", "object_relation": "account-type", "value": "Telegram"},
                {"type": "text", "object_relation": "username", "value": "@evil_admin"}]}
            ]}}
            """;

        var result = ReadMisp(json);

        result.Value!.Single().Indicators.Select(i => (i.Type, i.Value)).Should().Equal(
            (ObservableType.Ja4, "t13d1516h2_8daaf6152771_02713d6af862"),
            (ObservableType.UserAccount, "telegram:evil_admin"));
        result.Skipped.Should().ContainSingle().Which.Reason.Should().Be("a JA4S fingerprint has no Ribat observable type (only JA4 itself has).");
    }

    [Fact]
    public void Deleted_attributes_and_objects_are_skipped_not_imported()
    {
        var json = """
            {"Event": {"info": "x",
              "Attribute": [{"type": "domain", "value": "gone.example", "deleted": true}],
              "Object": [{"name": "file", "deleted": "1", "Attribute": [{"type": "md5", "value": "d41d8cd98f00b204e9800998ecf8427e"}]}]}}
            """;

        var result = ReadMisp(json);

        result.Value!.Single().Indicators.Should().BeEmpty();
        result.Skipped.Select(s => s.Reason).Should().Equal("the attribute is marked deleted.", "the object is marked deleted.");
    }

    [Fact]
    public void Seen_times_are_read_and_a_bad_one_is_reported_without_losing_the_value()
    {
        var report = ReadMisp(EventWith(
            Attribute("domain", "a.example", ", \"first_seen\": \"2019-06-13T15:56:56.000000+00:00\", \"last_seen\": \"2019-06-14T01:00:00+02:00\"") + ","
            + Attribute("domain", "b.example", ", \"first_seen\": \"13/06/2019\"")));

        var indicators = report.Value!.Single().Indicators;
        indicators[0].FirstSeen.Should().Be(new DateTimeOffset(2019, 6, 13, 15, 56, 56, TimeSpan.Zero));
        indicators[0].LastSeen.Should().Be(new DateTimeOffset(2019, 6, 13, 23, 0, 0, TimeSpan.Zero));
        indicators[1].Value.Should().Be("b.example");
        indicators[1].FirstSeen.Should().BeNull();
        report.Issues.Should().ContainSingle().Which.Should().Be(
            new ImportIssue(1, "Event.Attribute[1].first_seen", "'13/06/2019' is not an ISO 8601 date; left empty."));
    }

    [Fact]
    public void A_search_response_with_several_events_names_each_problem_by_its_event()
    {
        var result = ReadMisp("""
            {"response": [
              {"Event": {"info": "first", "Attribute": [{"type": "domain", "value": "a.example"}]}},
              {"info": "second, bare", "Attribute": [{"type": "ip-dst", "value": "300.1.1.1"}, {"type": "ip-dst", "value": "198.51.100.7"}]},
              {"note": "not an event"}
            ]}
            """);

        result.Value!.Select(e => (e.Title, e.Indicators.Count)).Should().Equal(("first", 1), ("second, bare", 1));
        result.Issues.Select(i => (i.Line, i.Column)).Should().Equal((3, "response[1].Attribute[0].value"), (4, "response[2]"));
        result.Issues[1].Reason.Should().Be("not a MISP event (no 'Event', 'info', 'Attribute' or 'Object'); ignored.");
    }
}
