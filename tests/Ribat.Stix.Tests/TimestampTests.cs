using Ribat.Stix.Model;

namespace Ribat.Stix.Tests;

public sealed class TimestampTests
{
    [Theory]
    [InlineData("2016-05-12T08:17:27Z")]
    [InlineData("2016-05-12T08:17:27.1Z")]
    [InlineData("2016-05-12T08:17:27.000Z")]
    [InlineData("2016-05-12T08:17:27.123456Z")]
    [InlineData("2016-05-12T08:17:27.123456789Z")]
    [InlineData("2024-02-29T23:59:59.999Z")]
    public void Timestamps_keep_their_precision(string text)
    {
        StixTimestamp.Parse(text).ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("2016-05-12T08:17:27z", "upper-case")]
    [InlineData("2016-05-12t08:17:27Z", "upper-case")]
    [InlineData("2016-05-12T08:17:27+01:00", "UTC")]
    [InlineData("2016-02-30T08:17:27Z", "does not exist")]
    [InlineData("2016-05-12T24:00:00Z", "does not exist")]
    [InlineData("2016-05-12T08:17:27.1234567890Z", "at most 9")]
    [InlineData("2016-05-12T08:17:27.Z", "fraction")]
    [InlineData("2016-05-12 08:17:27Z", "upper-case")]
    [InlineData("16-05-12T08:17:27Z", "YYYY")]
    [InlineData("", "YYYY")]
    public void Malformed_timestamps_say_what_is_wrong(string text, string reason)
    {
        StixTimestamp.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Timestamps_order_by_instant_and_compare_equal_only_with_the_same_precision()
    {
        var seconds = StixTimestamp.Parse("2016-05-12T08:17:27Z");
        var millis = StixTimestamp.Parse("2016-05-12T08:17:27.000Z");
        var later = StixTimestamp.Parse("2016-05-12T08:17:27.000000001Z");
        seconds.CompareTo(millis).Should().Be(0);
        (seconds == millis).Should().BeFalse();
        (later > millis).Should().BeTrue();
    }

    [Fact]
    public void Generated_timestamps_have_milliseconds()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 22, 10, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567));
        StixTimestamp.Now(clock).ToString().Should().Be("2026-11-22T10:00:00.123Z");
        StixTimestamp.FromDateTime(new DateTime(1969, 12, 31, 23, 59, 59, 500, DateTimeKind.Utc)).ToString().Should().Be("1969-12-31T23:59:59.500Z");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
