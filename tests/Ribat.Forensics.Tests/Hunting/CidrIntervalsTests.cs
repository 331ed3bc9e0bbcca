using Ribat.Forensics.Hunting;

namespace Ribat.Forensics.Tests.Hunting;

/// <summary>The innermost block holding an address, against a search through every block, for IPv4 and IPv6 sets.</summary>
public class CidrIntervalsTests
{
    /// <summary>Distinct random blocks of a 32- or 128-bit space: CIDR blocks are nested or disjoint by construction.</summary>
    private static List<(UInt128 First, UInt128 Last, int Entry)> Blocks(Random random, int count, int bits)
    {
        var blocks = new HashSet<(UInt128, UInt128)>();
        while (blocks.Count < count)
        {
            // Prefixes cluster in a few /8s so that blocks nest, share /16s and sit on slice edges.
            var prefix = random.Next(bits == 32 ? 6 : 30, bits + 1);
            var value = bits == 32 ? (UInt128)(uint)((random.Next(4) << 24) | random.Next(1 << 24)) : ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64();
            var size = prefix == bits ? UInt128.One : UInt128.One << (bits - prefix);
            var first = value / size * size;
            blocks.Add((first, first + size - 1));
        }

        return [.. blocks.Select((b, i) => (b.Item1, b.Item2, i))];
    }

    private static int Expected(List<(UInt128 First, UInt128 Last, int Entry)> blocks, UInt128 address)
    {
        var holding = blocks.Where(b => b.First <= address && address <= b.Last).ToList();
        return holding.Count == 0 ? -1 : holding.MinBy(b => b.Last - b.First).Entry;
    }

    [Theory]
    [InlineData(32, 1)]
    [InlineData(32, 300)]
    [InlineData(32, 3000)]
    [InlineData(128, 300)]
    public void The_innermost_block_is_the_smallest_that_holds_the_address(int bits, int count)
    {
        var random = new Random(count + bits);
        var blocks = Blocks(random, count, bits);
        var intervals = new CidrIntervals([.. blocks]);

        var addresses = new List<UInt128> { 0, bits == 32 ? uint.MaxValue : UInt128.MaxValue };
        foreach (var (first, last, _) in blocks.Take(200))
        {
            addresses.AddRange([first, last, first == 0 ? 0 : first - 1, last + 1, first + ((last - first) / 2)]);
        }

        for (var i = 0; i < 2000; i++)
        {
            addresses.Add(bits == 32 ? (uint)((random.Next(5) << 24) | random.Next(1 << 24)) : ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64());
        }

        foreach (var address in addresses)
        {
            var innermost = intervals.Innermost(address);
            var entry = innermost < 0 ? -1 : intervals.EntryOf(innermost);
            entry.Should().Be(Expected(blocks, address), "address {0}", address);
        }
    }

    [Fact]
    public void An_empty_set_holds_no_address()
    {
        var intervals = new CidrIntervals([]);
        intervals.Innermost(0).Should().Be(-1);
        intervals.Innermost(uint.MaxValue).Should().Be(-1);
    }
}
