using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Hunting;

public class IocSetLookupTests
{
    private static readonly IocIndicator[] Mixed =
    [
        new(ObservableType.IPv4, "198.51.100.7", "a"),
        new(ObservableType.IPv6, "2001:db8::1", "b"),
        new(ObservableType.Cidr, "10.0.0.0/8", "c"),
        new(ObservableType.Domain, "evil.example", "d"),
        new(ObservableType.Hostname, "mail.evil.example", "e"),
        new(ObservableType.Url, "https://evil.example/gate.php", "f"),
        new(ObservableType.Email, "billing@pay.example", "g"),
        new(ObservableType.Md5, "44d88612fea8a8f36de82e1278abb02f", "h"),
        new(ObservableType.Sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "i"),
    ];

    [Fact]
    public void Values_whose_fingerprints_all_collide_are_told_apart_by_their_stored_text()
    {
        // Every text value gets the same fingerprint, so every look-up walks one long probe sequence.
        var load = IocSet.FromIndicators(Mixed, (_, _) => 42);
        load.Problems.Should().BeEmpty();

        foreach (var indicator in Mixed)
        {
            load.Set.Contains(indicator.Type, indicator.Value).Should().BeTrue(indicator.Value);
        }

        load.Set.Contains(ObservableType.Domain, "good.example").Should().BeFalse();
        load.Set.Contains(ObservableType.Md5, "44d88612fea8a8f36de82e1278abb02e").Should().BeFalse();
        load.Set.Contains(ObservableType.Url, "https://evil.example/gate.ph").Should().BeFalse();
        load.Set.Contains(ObservableType.Email, "evil.example").Should().BeFalse("the same text in another family is not the same value");
        new IocMatcher(load.Set).MatchField("f", "www.evil.example", []).Should().Be(1);
    }

    [Fact]
    public void A_text_value_whose_fingerprint_equals_an_address_fingerprint_is_not_taken_for_the_address()
    {
        var addressKey = KeyHash.OfIPv4(0xC6336407); // 198.51.100.7
        var load = IocSet.FromIndicators([new IocIndicator(ObservableType.Domain, "evil.example", "d")], (_, _) => addressKey);

        load.Set.Contains(ObservableType.IPv4, "198.51.100.7").Should().BeFalse();
        load.Set.Contains(ObservableType.Domain, "evil.example").Should().BeTrue();
        load.Set.Contains([new IocProbe(ObservableType.IPv4, "198.51.100.7")], new bool[1]).Should().Be(0);
    }

    [Fact]
    public void An_ipv4_fingerprint_is_one_to_one_so_its_hits_need_no_verification()
    {
        var random = new Random(7);
        var seen = new Dictionary<ulong, uint>();
        for (var i = 0; i < 200_000; i++)
        {
            var address = (uint)random.NextInt64(0, 1L << 32);
            var key = KeyHash.OfIPv4(address);
            key.Should().NotBe(0UL);
            Undo(key).Should().Be(((ulong)KeyFamily.Address << 56) | address);
            if (seen.TryGetValue(key, out var other))
            {
                other.Should().Be(address);
            }

            seen[key] = address;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_batch_answers_exactly_as_one_by_one_look_ups(bool colliding)
    {
        var load = colliding ? IocSet.FromIndicators(Mixed, (f, v) => (ulong)v.Length % 3 + 1) : IocSet.FromIndicators(Mixed);
        var probes = new List<IocProbe>();
        foreach (var indicator in Mixed)
        {
            probes.Add(new IocProbe(indicator.Type, indicator.Value));
            probes.Add(new IocProbe(indicator.Type, indicator.Value + "0"));
            probes.Add(new IocProbe(ObservableType.Hostname, indicator.Value));
        }

        probes.Add(new IocProbe(ObservableType.IPv4, "not an address"));
        probes.Add(new IocProbe(ObservableType.IPv6, "2001:db8:::1"));
        probes.Add(new IocProbe(ObservableType.Cidr, "10.0.0.0/33"));
        probes.Add(new IocProbe(ObservableType.Iban, "DE89370400440532013000"));
        probes.Add(new IocProbe(ObservableType.IPv4, string.Empty));

        // More probes than one batch, and a count that is not a multiple of it.
        var all = Enumerable.Range(0, 3).SelectMany(_ => probes).ToArray();
        var found = new bool[all.Length];
        var count = load.Set.Contains(all, found);

        var expected = all.Select(p => load.Set.Contains(p.Type, p.Value.Span)).ToArray();
        found.Should().Equal(expected);
        count.Should().Be(expected.Count(f => f));
        count.Should().Be(3 * (Mixed.Length + 1), "each value once, and the host name mail.evil.example asked twice");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(48)]
    [InlineData(49)]
    [InlineData(500)]
    public void Every_probe_of_a_batch_of_any_length_gets_its_own_answer(int length)
    {
        // Each probe in turn of a rotating list, so no two neighbouring batches hold the same probes at the same places.
        var set = IocSet.FromIndicators(Mixed).Set;
        var kinds = Mixed.SelectMany(i => new[] { new IocProbe(i.Type, i.Value), new IocProbe(i.Type, i.Value + "0") })
            .Append(new IocProbe(ObservableType.Cidr, "10.0.0.0/8")).Append(new IocProbe(ObservableType.Cidr, "10.0.0.0/9")).ToArray();
        var all = Enumerable.Range(0, length).Select(i => kinds[(i * 7) % kinds.Length]).ToArray();
        var found = new bool[length];

        var count = set.Contains(all, found);

        found.Should().Equal(all.Select(p => set.Contains(p.Type, p.Value.Span)));
        count.Should().Be(found.Count(f => f));
    }

    [Fact]
    public void A_batch_with_too_little_room_for_its_answers_is_refused()
    {
        var set = IocSet.FromIndicators(Mixed).Set;
        var act = () => set.Contains([new IocProbe(ObservableType.IPv4, "198.51.100.7")], Span<bool>.Empty);
        act.Should().Throw<ArgumentException>().WithParameterName("found");
        set.Contains([], Span<bool>.Empty).Should().Be(0);
    }

    private static ulong Undo(ulong h)
    {
        h ^= h >> 33;
        h *= 0x9CB4B2F8129337DB;
        h ^= h >> 33;
        h *= 0x4F74430C22A54005;
        h ^= h >> 33;
        return h;
    }
}
