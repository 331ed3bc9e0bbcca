using Ribat.Core.Common;
using Ribat.Core.Indicators;

namespace Ribat.Core.Tests;

public class TimeOrderedIdsTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-22T10:11:12.345Z");

    [Fact]
    public void Ids_are_version_7_with_the_instant_in_their_first_48_bits()
    {
        foreach (var id in TimeOrderedIds.Create(100, At))
        {
            id.Version.Should().Be(7);
            id.Variant.Should().BeInRange(8, 11, "the RFC 9562 variant is binary 10");
            var bytes = id.ToByteArray(bigEndian: true);
            var milliseconds = bytes.Take(6).Aggregate(0L, (value, b) => (value << 8) | b);
            milliseconds.Should().Be(At.ToUnixTimeMilliseconds());
        }
    }

    [Fact]
    public void A_batch_is_unique_and_in_the_order_it_was_handed_out_even_past_the_counter()
    {
        // 2^18 ids fit one millisecond's counter; past it the timestamp moves on and the order holds.
        var ids = TimeOrderedIds.Create(300_000, At);
        ids.Should().OnlyHaveUniqueItems();
        for (var i = 1; i < ids.Length; i++)
        {
            ids[i].CompareTo(ids[i - 1]).Should().BePositive($"id {i} follows id {i - 1}");
            string.CompareOrdinal(ids[i].ToString(), ids[i - 1].ToString()).Should().BePositive("their text sorts the same way");
        }
    }

    [Fact]
    public void Two_batches_of_the_same_instant_do_not_collide()
    {
        TimeOrderedIds.Create(1000, At).Intersect(TimeOrderedIds.Create(1000, At)).Should().BeEmpty();
    }

    [Fact]
    public void The_duplicate_key_keeps_a_scope_together_and_tells_values_apart()
    {
        var owner = Guid.NewGuid();
        var report = Guid.NewGuid();
        var a = CorrelationKeys.DuplicateKey(owner, report, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.1"));
        var b = CorrelationKeys.DuplicateKey(owner, report, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.2"));
        var standalone = CorrelationKeys.DuplicateKey(owner, null, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.1"));
        var asHost = CorrelationKeys.DuplicateKey(owner, report, "hostname", CorrelationKeys.Key("domain", "x.example"));
        var asDomain = CorrelationKeys.DuplicateKey(owner, report, "domain", CorrelationKeys.Key("domain", "x.example"));

        a.Should().Be(CorrelationKeys.DuplicateKey(owner, report, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.1")));
        b.Should().NotBe(a);
        (a >>> 44).Should().Be(b >>> 44, "rows of one report share the key's high bits");
        standalone.Should().NotBe(a);
        asHost.Should().NotBe(asDomain, "the type is part of what repeats");
    }
}
