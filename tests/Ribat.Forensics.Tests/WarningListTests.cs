using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

public class WarningListTests
{
    private static WarningList Parse(string json)
    {
        WarningList.TryParse(Encoding.UTF8.GetBytes(json), out var list, out var reason).Should().BeTrue(reason);
        return list!;
    }

    private static Canonical C(ObservableType type, string input)
    {
        Observables.TryCanonicalise(type, input, out var value, out var reason).Should().BeTrue(reason);
        return value;
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "top level must be a JSON object")]
    [InlineData("""{"version":1,"list":[]}""", "'name' is missing")]
    [InlineData("""{"name":"x","list":[]}""", "'version' is missing")]
    [InlineData("""{"name":"x","version":1}""", "'list' is missing")]
    [InlineData("""{"name":"x","version":1,"list":"10.0.0.0/8"}""", "'list' must be an array of strings")]
    [InlineData("""{"name":"x","version":1,"list":["a", 2]}""", "'list[1]' is a number, not a string")]
    [InlineData("""{"name":"x","version":1,"type":"glob","list":[]}""", "the field 'type' is \"glob\"")]
    [InlineData("""{"name":"x","version":true,"list":[]}""", "'version' must be a number or a string")]
    [InlineData("""{"name":"","version":1,"list":[]}""", "'name' must be a non-empty string")]
    public void Malformed_lists_are_refused_with_the_field_at_fault(string json, string reasonPart)
    {
        WarningList.TryParse(Encoding.UTF8.GetBytes(json), out var list, out var reason).Should().BeFalse();
        list.Should().BeNull();
        reason.Should().Contain(reasonPart);
    }

    [Fact]
    public void Built_in_lists_are_valid_misp_lists_and_index_without_problems()
    {
        BuiltInWarningLists.ResourceNames().Should().HaveCount(4);
        var lists = WarningList.BuiltIn();
        lists.Should().HaveCount(4).And.OnlyContain(l => l.Entries.Count > 0 && l.MatchingAttributes.Count > 0);
        WarningListIndex.Build(lists).Problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData(ObservableType.IPv4, "10.20.30.40", "Private")]
    [InlineData(ObservableType.IPv4, "172.31.255.255", "Private")]
    [InlineData(ObservableType.IPv4, "100.64.0.1", "Private")]
    [InlineData(ObservableType.IPv4, "127.0.0.1", "Special")]
    [InlineData(ObservableType.IPv4, "0.1.2.3", "Special")]
    [InlineData(ObservableType.IPv4, "169.254.169.254", "Special")]
    [InlineData(ObservableType.IPv4, "239.255.255.250", "Special")]
    [InlineData(ObservableType.IPv4, "255.255.255.255", "Special")]
    [InlineData(ObservableType.IPv4, "198.51.100.7", "Documentation")]
    [InlineData(ObservableType.IPv6, "::1", "Special")]
    [InlineData(ObservableType.IPv6, "fd12:3456::1", "Private")]
    [InlineData(ObservableType.IPv6, "fe80::1", "Special")]
    [InlineData(ObservableType.IPv6, "ff02::1", "Special")]
    [InlineData(ObservableType.IPv6, "2001:db8:1::5", "Documentation")]
    [InlineData(ObservableType.Cidr, "10.9.0.0/16", "Private")]
    [InlineData(ObservableType.Domain, "www.example.com", "Reserved")]
    [InlineData(ObservableType.Domain, "example.org", "Reserved")]
    [InlineData(ObservableType.Hostname, "printer.local", "Reserved")]
    [InlineData(ObservableType.Domain, "evil.test", "Reserved")]
    [InlineData(ObservableType.Url, "http://192.168.1.1:8080/admin", "Private")]
    [InlineData(ObservableType.Url, "https://login.example.net/x", "Reserved")]
    [InlineData(ObservableType.Email, "someone@mail.invalid", "Reserved")]
    public void Built_in_lists_flag_non_public_values(ObservableType type, string input, string listNameStart)
    {
        var index = WarningListIndex.Build(WarningList.BuiltIn());
        index.Match(C(type, input)).Select(l => l.Name).Should().Contain(n => n.StartsWith(listNameStart));
    }

    [Theory]
    [InlineData(ObservableType.IPv4, "8.8.8.8")]
    [InlineData(ObservableType.IPv4, "11.0.0.1")]
    [InlineData(ObservableType.IPv4, "172.32.0.1")]
    [InlineData(ObservableType.IPv4, "100.128.0.1")]
    [InlineData(ObservableType.IPv6, "2001:db9::1")]
    [InlineData(ObservableType.Cidr, "10.0.0.0/7")]
    [InlineData(ObservableType.Domain, "badexample.com")]
    [InlineData(ObservableType.Domain, "example.com.evil.example2")]
    [InlineData(ObservableType.Domain, "testing.org")]
    public void Built_in_lists_leave_public_values_alone(ObservableType type, string input)
    {
        var index = WarningListIndex.Build(WarningList.BuiltIn());
        index.Match(C(type, input)).Should().BeEmpty();
    }

    [Fact]
    public void String_substring_and_regex_lists_match_as_documented()
    {
        var index = WarningListIndex.Build(
        [
            Parse("""{"name":"empty","version":1,"type":"string","list":["D41D8CD98F00B204E9800998ECF8427E",".google.ad"]}"""),
            Parse("""{"name":"sub","version":"2024-01-01","type":"substring","list":["amazonaws"]}"""),
            Parse("""{"name":"rx","version":1,"type":"regex","list":["/^https?://[a-z]+\\.cdn\\.example(/|$)/i","(a+)+\\1"]}"""),
        ]);
        index.Problems.Should().ContainSingle().Which.Should().Contain("needs backtracking");

        index.Match(C(ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e")).Select(l => l.Name).Should().Equal("empty");
        index.Match(C(ObservableType.Domain, "mail.google.ad")).Select(l => l.Name).Should().Equal("empty");
        index.Match(C(ObservableType.Domain, "notgoogle.ad")).Should().BeEmpty();
        index.Match(C(ObservableType.Domain, "s3.eu-west-1.AmazonAWS.com")).Select(l => l.Name).Should().Equal("sub");
        index.Match(C(ObservableType.Url, "HTTPS://img.cdn.example/a")).Select(l => l.Name).Should().Equal("rx");
        index.Match(C(ObservableType.Url, "https://img.cdn.example.evil/a")).Should().BeEmpty();
    }

    [Fact]
    public void Overlapping_and_adjacent_blocks_merge_without_losing_coverage()
    {
        var index = WarningListIndex.Build(
        [
            Parse("""{"name":"m","version":1,"type":"cidr","list":["10.0.0.0/9","10.128.0.0/9","10.1.0.0/16","192.0.2.7","2001:db8::1","::/0"]}"""),
        ]);
        index.Match(C(ObservableType.Cidr, "10.0.0.0/8")).Should().ContainSingle("two adjacent /9s cover the /8");
        index.Match(C(ObservableType.IPv4, "192.0.2.7")).Should().ContainSingle();
        index.Match(C(ObservableType.IPv4, "192.0.2.8")).Should().BeEmpty();
        index.Match(C(ObservableType.IPv6, "ffff::1")).Should().ContainSingle("::/0 covers all of IPv6");
    }

    [Fact]
    public void Random_addresses_agree_with_a_linear_scan()
    {
        var random = new Random(5);
        var blocks = Enumerable.Range(0, 300).Select(_ => $"{random.Next(256)}.{random.Next(256)}.0.0/{random.Next(8, 25)}").ToList();
        var json = "{\"name\":\"r\",\"version\":1,\"type\":\"cidr\",\"list\":[" + string.Join(',', blocks.Select(b => $"\"{b}\"")) + "]}";
        var index = WarningListIndex.Build([Parse(json)]);
        var parsed = blocks.Select(b => { IpCanonicaliser.TryParseCidr(b, out var block, out _); return block; }).ToList();
        for (var i = 0; i < 5000; i++)
        {
            var address = (uint)random.NextInt64(0, 1L << 32);
            var expected = parsed.Any(b => address >= b.First && address <= b.Last);
            index.Match(ObservableType.IPv4, IpCanonicaliser.FormatIPv4(address)).Any().Should().Be(expected);
        }
    }
}
