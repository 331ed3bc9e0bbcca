using System.Text;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

public sealed class LogSnifferTests
{
    [Theory]
    [InlineData("Jan  1 00:00:00 h sshd[1]: x\nJan  1 00:00:01 h sshd[1]: y\n", LogFormat.Syslog3164)]
    [InlineData("<34>Oct 11 22:14:15 mymachine su: 'su root' failed\n", LogFormat.Syslog3164)]
    [InlineData("2024-01-05T10:00:00.000000+01:00 h sshd[1]: x\n", LogFormat.Syslog3164)]
    [InlineData("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed\n", LogFormat.Syslog5424)]
    [InlineData("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n", LogFormat.AccessLog)]
    [InlineData("{\"a\":1}\n{\"b\":2}\n", LogFormat.JsonLines)]
    [InlineData("name,value\nx,1\n", LogFormat.Csv)]
    [InlineData("just some words\nmore words\n", LogFormat.Unknown)]
    [InlineData("{\"a\":1}\nnot json\nnot json\nnot json\n", LogFormat.Unknown)]
    public void Text_forms_are_told_apart_by_their_first_lines(string head, LogFormat expected)
    {
        var result = LogSniffer.Sniff(Encoding.UTF8.GetBytes(head));

        result.Format.Should().Be(expected);
        (result.Reason is null).Should().Be(expected != LogFormat.Unknown);
    }

    [Fact]
    public void A_file_name_plays_no_part_and_evtx_is_known_by_its_magic()
    {
        var evtx = File.ReadAllBytes(SharedCorpus.Path("evtx", "security.evtx"));
        var reader = LogFileReader.Open(new MemoryStream(evtx), "access.log");

        reader.Format.Should().Be(LogFormat.Evtx);
        reader.Report.FormatReason.Should().Contain("EVTX parser");
        reader.ReadEvents().Should().BeEmpty();
    }

    [Theory]
    [InlineData(new byte[] { }, "empty")]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 0 }, "gzip or zip")]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'a', 0 }, "UTF-16")]
    [InlineData(new byte[] { (byte)'a', 0, 1, 2, 3 }, "binary")]
    public void Unknown_content_says_why(byte[] head, string reason)
    {
        var result = LogSniffer.Sniff(head);

        result.Format.Should().Be(LogFormat.Unknown);
        result.Reason.Should().Contain(reason);
    }
}
