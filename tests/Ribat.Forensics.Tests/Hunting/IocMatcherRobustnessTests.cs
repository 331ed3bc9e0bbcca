using System.Text;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Hunting;

public class IocMatcherRobustnessTests
{
    [Fact]
    public void The_IPv6_parser_of_the_look_up_path_agrees_with_the_canonicaliser()
    {
        var random = new Random(20261122);
        const string alphabet = "0123456789abcdefABCDEF:::.%g";
        string[] seeds = ["::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:1.2.3.4", "::1.2.3.4", "2001:db8::7", "fe80::1%eth0", ":1", "1:", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "::ffff:01.2.3.4"];
        var inputs = seeds.Concat(Enumerable.Range(0, 20_000).Select(_ =>
        {
            var length = random.Next(1, 30);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            return new string(chars);
        }));
        foreach (var input in inputs)
        {
            var expected = Observables.TryCanonicalise(ObservableType.IPv6, input, out var canonical, out _) && input == input.Trim();
            IpText.TryParseIPv6(input, out var address).Should().Be(expected, input);
            if (expected)
            {
                IpText.TryParseIPv6(canonical.Value, out var again).Should().BeTrue();
                again.Should().Be(address, input);
            }
        }
    }

    [Fact]
    public void The_IPv4_parser_of_the_look_up_path_agrees_with_the_canonicaliser()
    {
        var random = new Random(4);
        string[] seeds = ["0.0.0.0", "255.255.255.255", "256.1.1.1", "01.1.1.1", "1.1.1", "1.1.1.1.", ".1.1.1.1", "1..1.1", "1.1.1.1000", "1.2.3.4"];
        var inputs = seeds.Concat(Enumerable.Range(0, 50_000).Select(_ =>
            new string([.. Enumerable.Range(0, random.Next(1, 17)).Select(_ => "0123456789.25."[random.Next(14)])])));
        foreach (var input in inputs)
        {
            var expected = Observables.TryCanonicalise(ObservableType.IPv4, input, out var canonical, out _);
            IpText.TryParseIPv4(input, out var address).Should().Be(expected, input);
            if (expected)
            {
                $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}".Should().Be(canonical.Value);
            }
        }
    }

    [Fact]
    public void Hostile_values_never_throw_and_still_find_what_is_there()
    {
        var matcher = new IocMatcher(IocSet.Parse(new StringReader("evil.example\n1.2.3.4\nhttps://evil.example/x\n2001:db8::/32")).Set);
        var random = new Random(7);
        var junk = new byte[1 << 20];
        random.NextBytes(junk);
        var binary = Encoding.Latin1.GetString(junk);
        var huge = new string('a', 10 << 20);
        var dots = string.Concat(Enumerable.Repeat("a.", 5 << 20));
        var colons = string.Concat(Enumerable.Repeat("1:", 5 << 20));
        var urls = string.Concat(Enumerable.Repeat("HTTP://X.", 1 << 20));
        var hex = new string('f', 10 << 20);
        var lone = new string('\uD800', 1 << 20);
        foreach (var value in new[] { binary, huge, dots, colons, urls, hex, lone, "://", "a://", "@", "@@", ":::", "[", "http://[", "http://[::1", "x@", "@x" })
        {
            var hits = new List<IocHit>();
            matcher.MatchField("f", value, hits);
            matcher.MatchField("f", value + " evil.example", hits).Should().Be(1, "the indicator after the junk is still found");
        }
    }

    [Fact]
    public void Random_mutations_of_real_values_never_throw()
    {
        var matcher = new IocMatcher(IocSet.Parse(new StringReader("evil.example\n1.2.3.4\nhttps://evil.example/x\nroot@evil.example\n10.0.0.0/8\n::1")).Set);
        var random = new Random(11);
        const string seed = "GET https://user:pw@Evil.Example:443/x?q=1 from [::1]:80 by root@evil.example 10.1.2.3:22 sha 44d88612fea8a8f36de82e1278abb02f";
        var hits = new List<IocHit>();
        for (var round = 0; round < 20_000; round++)
        {
            var chars = seed.ToCharArray();
            for (var k = random.Next(1, 6); k > 0; k--)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(0, 0x80);
            }

            var cut = random.Next(chars.Length + 1);
            matcher.MatchField("f", new string(chars, 0, cut), hits);
            hits.Clear();
        }
    }

    [Fact]
    public void An_indicator_file_of_junk_reports_problems_and_never_throws()
    {
        var random = new Random(3);
        var bytes = new byte[256 << 10];
        random.NextBytes(bytes);
        var load = IocSet.Parse(new MemoryStream(bytes));
        load.Problems.Should().NotBeEmpty();

        var longLine = new string('x', IocSet.MaxIndicatorLineLength + 1) + "\nevil.example\n";
        var withLong = IocSet.Parse(new StringReader(longLine));
        withLong.Problems.Should().ContainSingle().Which.Line.Should().Be(1);
        withLong.Set.Count.Should().Be(1);
    }
}
