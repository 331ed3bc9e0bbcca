using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

public sealed class AccessLogTests
{
    /// <summary>
    /// elastic/examples apache_logs (Apache-2.0), 10,000 combined-format lines. The figures were measured with mawk
    /// 1.3.4 20200120, e.g. <c>awk '{print $9}' apache_logs | sort | uniq -c</c> for statuses and
    /// <c>awk '$10 != "-" {s+=$10} END {printf "%.0f", s}'</c> for bytes.
    /// </summary>
    [Fact]
    public void The_corpus_access_log_reads_whole_with_the_figures_awk_gives()
    {
        var path = SharedCorpus.Path("logs", "apache_logs");
        using var stream = File.OpenRead(path);
        var reader = LogFileReader.Open(stream, "apache_logs");
        var events = reader.ReadEvents().ToList();

        reader.Format.Should().Be(LogFormat.AccessLog);
        events.Should().HaveCount(10_000);
        reader.Report.EventsRead.Should().Be(10_000);
        reader.Report.SkippedTotal.Should().Be(0);
        Count(events, "sc-status", "200").Should().Be(9126);
        Count(events, "sc-status", "404").Should().Be(213);
        Count(events, "sc-status", "304").Should().Be(445);
        Count(events, "cs-method", "GET").Should().Be(9952);
        Count(events, "cs-method", "HEAD").Should().Be(42);
        Count(events, "cs-method", "POST").Should().Be(5);
        Count(events, "cs-version", "HTTP/1.0").Should().Be(700);
        Count(events, "c-uri-extension", "png").Should().Be(2331);
        Count(events, "cs-uri", "/").Should().Be(197);

        // awk '{split($7,p,"?"); if (p[1]=="/") n++} END {print n}': the path without its query.
        Count(events, "c-uri", "/").Should().Be(575);
        events.Select(e => e.Get("c-ip")).Distinct().Count().Should().Be(1753);
        events.Count(e => e.Has("sc-bytes")).Should().Be(10_000 - 669);
        events.Sum(e => e.Has("sc-bytes") ? long.Parse(e.Get("sc-bytes")!) : 0).Should().Be(2_747_282_740);
        events.Count(e => e.Has("cs-uri-query")).Should().Be(1259);
        events.Count(e => e.Has("cs-referer")).Should().Be(10_000 - 4073);

        // 190 lines log "-" as the agent; line 8899's agent is cut before its closing quote.
        events.Count(e => e.Has("c-useragent")).Should().Be(10_000 - 190 - 1);
        events[8898].Has("c-useragent").Should().BeFalse();
        events[0].Timestamp.Should().Be(new DateTimeOffset(2015, 5, 17, 10, 5, 3, TimeSpan.Zero));
        events[^1].Timestamp.Should().Be(new DateTimeOffset(2015, 5, 20, 21, 5, 15, TimeSpan.Zero));
        events[0].RecordId.Should().Be(1);
        events[0].SourceFile.Should().Be("apache_logs");
    }

    [Fact]
    public void A_combined_line_gives_the_webserver_taxonomy_fields_and_a_utc_time()
    {
        var (events, report) = LogText.Read(
            "203.0.113.9 - alice [10/Oct/2000:13:55:36 -0700] \"GET /cgi-bin/a.php?id=1&x=\\\"y\\\" HTTP/1.1\" 404 2326 \"http://ref.example/\" \"curl/8.0\"\n");

        report.Format.Should().Be(LogFormat.AccessLog);
        var e = events.Should().ContainSingle().Subject;
        e.Get("c-ip").Should().Be("203.0.113.9");
        e.Get("cs-username").Should().Be("alice");
        e.Get("cs-method").Should().Be("GET");
        e.Get("cs-uri").Should().Be("/cgi-bin/a.php?id=1&x=\"y\"");
        e.Get("c-uri").Should().Be("/cgi-bin/a.php");
        e.Get("cs-uri-query").Should().Be("id=1&x=\"y\"");
        e.Get("c-uri-extension").Should().Be("php");
        e.Get("cs-version").Should().Be("HTTP/1.1");
        e.Get("sc-status").Should().Be("404");
        e.Get("sc-bytes").Should().Be("2326");
        e.Get("cs-referer").Should().Be("http://ref.example/");
        e.Get("c-useragent").Should().Be("curl/8.0");
        e.Has("cs-host").Should().BeFalse();
        e.Timestamp.Should().Be(new DateTimeOffset(2000, 10, 10, 20, 55, 36, TimeSpan.Zero));
    }

    [Fact]
    public void Common_format_virtual_hosts_and_odd_requests_are_read()
    {
        var (events, report) = LogText.Read(string.Join('\n',
            "www.example.org:443 198.51.100.7 - - [01/Jan/2024:00:00:00 +0100] \"POST /login HTTP/2.0\" 302 - \"-\" \"-\"",
            "2001:db8::1 - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.0\" 200 5",
            "198.51.100.8 - - [01/Jan/2024:00:00:02 +0000] \"\\x16\\x03\\x01\" 400 0 \"-\" \"-\"",
            "198.51.100.9 - - [01/Jan/2024:00:00:03 +0000] \"-\" 408 - \"-\" \"-\""));

        report.SkippedTotal.Should().Be(0);
        events.Should().HaveCount(4);
        events[0].Get("cs-host").Should().Be("www.example.org");
        events[0].Get("c-ip").Should().Be("198.51.100.7");
        events[0].Has("sc-bytes").Should().BeFalse();
        events[0].Has("c-uri-extension").Should().BeFalse();
        events[0].Timestamp.Should().Be(new DateTimeOffset(2023, 12, 31, 23, 0, 0, TimeSpan.Zero));
        events[1].Get("c-ip").Should().Be("2001:db8::1");
        events[1].Has("c-useragent").Should().BeFalse();
        events[2].Get("request").Should().Be("\\x16\\x03\\x01");
        events[2].Has("cs-method").Should().BeFalse();
        events[3].Has("cs-uri").Should().BeFalse();
        events[3].Get("sc-status").Should().Be("408");
    }

    [Theory]
    [InlineData("1.2.3.4 - - [32/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1")]
    [InlineData("1.2.3.4 - - [01/Foo/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1")]
    [InlineData("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 2000 1")]
    [InlineData("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1 200 1")]
    [InlineData("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1x")]
    [InlineData("1.2.3.4 [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1")]
    public void A_damaged_line_among_good_ones_is_skipped_and_counted(string bad)
    {
        const string Good = "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1";
        var (events, report) = LogText.Read($"{Good}\n{Good}\n{bad}\n{Good}\n");

        events.Should().HaveCount(3);
        events.Select(e => e.RecordId).Should().Equal(1, 2, 4);
        report.Skipped.Should().Equal(new Dictionary<string, long> { ["not an access log line"] = 1 });
    }

    private static int Count(List<LogEvent> events, string field, string value) => events.Count(e => e.Get(field) == value);
}
