using Ribat.Core.Common;

namespace Ribat.Core.Tests.Common;

public sealed class RowIdsTests
{
    [Fact]
    public void Ids_are_version_7_carry_their_time_and_do_not_repeat()
    {
        var at = DateTimeOffset.Parse("2026-11-24T01:02:03.456Z");
        var ids = Enumerable.Range(0, 200_000).Select(_ => RowIds.Next(at)).ToList();

        ids.Should().OnlyHaveUniqueItems();
        ids.Should().OnlyContain(id => id.Version == 7 && (id.Variant & 0xC) == 0x8);
        var bytes = ids[0].ToByteArray(bigEndian: true);
        var milliseconds = ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).Should().Be(at);
    }

    [Fact]
    public void A_later_millisecond_sorts_later_as_the_frameworks_version_7_ids_do()
    {
        var first = RowIds.Next(DateTimeOffset.Parse("2026-11-24T01:02:03.456Z"));
        var second = RowIds.Next(DateTimeOffset.Parse("2026-11-24T01:02:03.457Z"));
        var framework = Guid.CreateVersion7(DateTimeOffset.Parse("2026-11-24T01:02:03.456Z"));

        first.CompareTo(second).Should().BeNegative();
        first.ToString("D")[..13].Should().Be(framework.ToString("D")[..13], "the time is laid out as the framework lays it out");
        string.CompareOrdinal(first.ToString("D"), second.ToString("D")).Should().BeNegative();
    }
}
