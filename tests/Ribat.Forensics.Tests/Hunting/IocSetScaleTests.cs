using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Hunting;

public class IocSetScaleTests
{
    [Fact]
    public void A_million_indicators_are_all_found_and_nothing_else_is()
    {
        var random = new Random(20261122);
        var indicators = new List<IocIndicator>(1_000_000);
        var addresses = new HashSet<uint>();
        for (var i = 0; i < 1_000_000; i++)
        {
            indicators.Add((i % 4) switch
            {
                0 => new IocIndicator(ObservableType.IPv4, Ipv4(NextAddress(random, addresses)), $"i{i}"),
                1 => new IocIndicator(ObservableType.Sha256, Convert.ToHexStringLower(RandomBytes(random, 32)), $"i{i}"),
                2 => new IocIndicator(ObservableType.Domain, $"d{i}-{random.Next():x}.example", $"i{i}"),
                _ => new IocIndicator(ObservableType.Md5, Convert.ToHexStringLower(RandomBytes(random, 16)), $"i{i}"),
            });
        }

        var load = IocSet.FromIndicators(indicators);
        load.Problems.Should().BeEmpty();
        load.Set.DistinctValues.Should().Be(1_000_000);
        foreach (var indicator in indicators)
        {
            if (!load.Set.Contains(indicator.Type, indicator.Value))
            {
                Assert.Fail($"{indicator} not found");
            }
        }

        var matcher = new IocMatcher(load.Set);
        var hits = new List<IocHit>();
        for (var i = 0; i < 20_000; i++)
        {
            var absent = NextAddress(random, addresses);
            matcher.MatchField("ip", Ipv4(absent), hits);
            matcher.MatchField("h", Convert.ToHexStringLower(RandomBytes(random, 32)), hits);
            matcher.MatchField("d", $"sub.x{i}.example", hits);
        }

        hits.Should().BeEmpty();
        matcher.MatchField("d", "www." + indicators[2].Value, hits).Should().Be(1);
        hits[0].Indicator.Id.Should().Be("i2");
    }

    private static uint NextAddress(Random random, HashSet<uint> used)
    {
        while (true)
        {
            var address = (uint)random.NextInt64(0x01000000, 0xDF000000);
            if (used.Add(address))
            {
                return address;
            }
        }
    }

    private static string Ipv4(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
