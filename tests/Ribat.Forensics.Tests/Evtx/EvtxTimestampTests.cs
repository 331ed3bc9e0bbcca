using System.Globalization;
using Ribat.Forensics.Evtx;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>The direct reading of TimeCreated text gives what the general date parser gives, for good and bad text alike.</summary>
public sealed class EvtxTimestampTests
{
    [Theory]
    [InlineData("2016-07-08T18:12:51.681640Z")]
    [InlineData("0001-01-01T00:00:00.000000Z")]
    [InlineData("9999-12-31T23:59:59.999999Z")]
    [InlineData("2024-02-29T12:00:00.000001Z")]
    [InlineData("2023-02-29T12:00:00.000001Z")]
    [InlineData("2023-13-01T12:00:00.000001Z")]
    [InlineData("2023-12-01T24:00:00.000000Z")]
    [InlineData("2023-12-01T23:60:00.000000Z")]
    [InlineData("2023-12-01T23:59:60.000000Z")]
    [InlineData("0000-12-01T23:59:59.000000Z")]
    [InlineData("2023-12-01T23:59:59.00000aZ")]
    [InlineData("2023-12-01 23:59:59.000000Z")]
    [InlineData("2023-12-01T23:59:59.000000+")]
    [InlineData("+023-12-01T23:59:59.000000Z")]
    [InlineData("2023-1٢-01T23:59:59.000000Z")]
    [InlineData("131140623716896400")]
    [InlineData("")]
    [InlineData(null)]
    public void Reads_as_the_general_parser_does(string? text)
    {
        var general = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : (DateTimeOffset?)null;

        var read = BinXmlValues.ParseTimestamp(text);

        read.Should().Be(general);
        read?.Offset.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(9L)]
    [InlineData(131_140_623_716_896_409L)]
    [InlineData(2_650_467_743_999_999_999L)]
    public void File_times_are_written_to_the_microsecond_cut_not_rounded(long ticks)
    {
        BinXmlValues.FileTime(ticks).Should().Be(DateTime.FromFileTimeUtc(ticks).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Every_file_time_text_reads_back_as_the_general_parser_reads_it()
    {
        var random = new Random(20_261_124);
        for (var i = 0; i < 20_000; i++)
        {
            var ticks = random.NextInt64(0, DateTime.MaxValue.Ticks - DateTime.FromFileTimeUtc(0).Ticks);
            var text = BinXmlValues.FileTime(ticks);
            text.Should().Be(DateTime.FromFileTimeUtc(ticks).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var general).Should().BeTrue();

            BinXmlValues.ParseTimestamp(text).Should().Be(general, text);
        }
    }
}
