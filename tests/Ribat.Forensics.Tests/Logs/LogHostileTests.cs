using System.Text;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

/// <summary>Truncated, mutated, random and oversized input: every reader ends with events and counts, never an exception.</summary>
public sealed class LogHostileTests
{
    private const int Seed = 20_240_501;

    public static TheoryData<string> Samples => new()
    {
        "Mar  5 07:08:09 web01 sshd[4242]: Failed password for invalid user admin from 203.0.113.5 port 51122 ssh2\n"
            + "Mar  5 07:08:10 web01 sudo:   bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id\n"
            + "Mar  5 07:08:11 web01 su[1]: pam_unix(su:auth): authentication failure; logname=max uid=1000 euid=0 tty=/dev/pts/0 ruser=max rhost=  user=root\n",
        "<165>1 2003-10-11T22:14:15.003Z host app 12 ID47 [a@1 x=\"1\" y=\"\\]\"][b@2 z=\"q\"] msg one\n<13>1 - - - - - - two\n",
        "1.2.3.4 - bob [01/Jan/2024:00:00:00 +0000] \"GET /a.php?q=1 HTTP/1.1\" 200 10 \"http://r/\" \"ua \\\"x\\\"\"\n"
            + "v:80 5.6.7.8 - - [01/Jan/2024:00:00:01 -0130] \"POST /b HTTP/1.0\" 500 - \"-\" \"-\"\n",
        "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"a\":{\"b\":[1,{\"c\":null}]},\"s\":\"\\u00e9\"}\n"
            + "{\"Records\":[{\"eventTime\":\"2024-01-01T00:00:00Z\",\"x\":1},{\"y\":[true,false]}]}\n"
            + "{\"message\":\"<Event><System><EventID>1</EventID></System><EventData><Data Name=\\\"Image\\\">/bin/sh</Data></EventData></Event>\"}\n",
        "time,user,cmd\n2024-01-01T00:00:00Z,alice,\"a \"\"b\"\"\nc\"\n2024-01-01T00:00:01Z,bob,ls\n",
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_truncation_reads_without_throwing(string sample)
    {
        var bytes = Encoding.UTF8.GetBytes(sample);
        for (var length = 0; length <= bytes.Length; length++)
        {
            var (events, report) = LogText.Read(bytes[..length]);
            report.EventsRead.Should().Be(events.Count);
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Mutated_bytes_read_without_throwing(string sample)
    {
        var random = new Random(Seed);
        var original = Encoding.UTF8.GetBytes(sample);
        for (var round = 0; round < 400; round++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = random.Next(4) switch
                {
                    0 => (byte)'"',
                    1 => (byte)'\n',
                    2 => (byte)(random.Next(2) == 0 ? '[' : '{'),
                    _ => (byte)random.Next(256),
                };
            }

            var (events, report) = LogText.Read(bytes);
            report.EventsRead.Should().Be(events.Count);
            events.SelectMany(e => e.Fields).Should().NotContain(f => f.Name == null);
        }
    }

    [Fact]
    public void Random_bytes_and_random_text_are_unknown_or_read_with_counts()
    {
        var random = new Random(Seed);
        for (var round = 0; round < 200; round++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            if (round % 2 == 0)
            {
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)" \n\"{}[]<>:;,.-0123456789abcJanT"[bytes[i] % 30];
                }
            }

            var (events, report) = LogText.Read(bytes);
            report.EventsRead.Should().Be(events.Count);
        }
    }

    [Theory]
    [InlineData("Jan  1 00:00:00 h k: {0}\n")]
    [InlineData("{{\"a\":\"{0}\"}}\n")]
    [InlineData("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET /{0} HTTP/1.1\" 200 1\n")]
    public void An_oversized_line_is_counted_and_the_lines_around_it_read(string template)
    {
        var options = new LogReadOptions { MaxLineBytes = 4096 };
        var good = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "x");
        var huge = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('y', 3_000_000));
        var (events, report) = LogText.Read(good + huge + good + huge.TrimEnd('\n'), options);

        events.Should().HaveCount(2);
        events.Select(e => e.RecordId).Should().Equal(1, 3);
        report.Skipped.Should().Equal(new Dictionary<string, long> { ["line longer than the limit"] = 2 });
    }

    [Fact]
    public void A_stream_that_fails_midway_ends_the_file_with_the_reason()
    {
        var lines = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"Jan  1 00:00:00 h k: line {i}\n"));
        var stream = new FailingStream(Encoding.UTF8.GetBytes(lines), failAfter: 200_000);
        var reader = LogFileReader.Open(stream, "x.log", new LogReadOptions { SyslogYear = 2024 });
        var events = reader.ReadEvents().ToList();

        events.Should().NotBeEmpty();
        events.Count.Should().BeLessThan(20_000);
        reader.Report.StoppedBy.Should().Contain("disk went away");
    }

    [Fact]
    public void A_stream_that_fails_at_once_is_unknown_with_the_reason()
    {
        var reader = LogFileReader.Open(new FailingStream([], failAfter: 0), "x.log");

        reader.Format.Should().Be(LogFormat.Unknown);
        reader.Report.FormatReason.Should().Contain("disk went away");
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        // Both overloads read through the array one: MemoryStream hands a subclass's span reads to Stream's default,
        // which calls the array overload, so a span overload calling base would recurse.
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter)
            {
                throw new IOException("disk went away");
            }

            return base.Read(buffer, offset, Math.Min(count, 4096));
        }

        public override int Read(Span<byte> buffer)
        {
            var chunk = new byte[Math.Min(buffer.Length, 4096)];
            var read = Read(chunk, 0, chunk.Length);
            chunk.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
    }
}
