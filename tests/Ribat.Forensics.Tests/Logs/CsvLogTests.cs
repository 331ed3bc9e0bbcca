using System.Text;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

public sealed class CsvLogTests
{
    [Fact]
    public void Header_names_become_field_names_with_rfc4180_quoting_and_a_bom()
    {
        var text = "\uFEFFTime,User,\"Command, quoted\",\r\n2024-01-02 03:04:05,alice,\"echo \"\"hi\"\"\r\nsecond line\",x\r\n2024-01-02 03:04:06,bob,ls,y,extra\r\n";
        var (events, report) = LogText.Read(Encoding.UTF8.GetBytes(text));

        report.Format.Should().Be(LogFormat.Csv);
        report.SkippedTotal.Should().Be(0);
        events.Should().HaveCount(2);
        events[0].Fields.Should().Equal(
            new LogField("Time", "2024-01-02 03:04:05"),
            new LogField("User", "alice"),
            new LogField("Command, quoted", "echo \"hi\"\r\nsecond line"),
            new LogField("column4", "x"));
        events[0].Timestamp.Should().Be(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        events[0].RecordId.Should().Be(2);
        events[1].RecordId.Should().Be(4);
        events[1].Get("column5").Should().Be("extra");
    }

    [Fact]
    public void Semicolon_separated_files_are_read_too()
    {
        var (events, report) = LogText.Read("a;b;c\n1;2;3\n");

        report.Format.Should().Be(LogFormat.Csv);
        events.Should().ContainSingle().Which.Get("c").Should().Be("3");
    }

    [Fact]
    public void An_unclosed_quote_at_the_end_and_an_over_long_record_are_skipped_and_counted()
    {
        var options = new LogReadOptions { MaxLineBytes = 300 };
        var (events, report) = LogText.Read($"a,b\n1,2\n3,{new string('x', 400)}\n5,6\n7,\"open\n", options);

        events.Select(e => e.Get("a")).Should().Equal("1", "5");
        report.Skipped.Should().Equal(new Dictionary<string, long> { ["malformed CSV record"] = 2 });
    }
}
