using System.IO.Compression;
using System.Text;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Hunting;

public sealed class LogHuntTests : IDisposable
{
    private const string FailedLogin = """
        title: Failed application login
        id: 7b0f6a52-1d1e-4c55-9a0e-000000000001
        name: app_login_failed
        level: low
        logsource:
            product: testapp
        detection:
            selection:
                action: login_failed
            condition: selection
        """;

    private const string SuccessfulLogin = """
        title: Successful application login
        id: 7b0f6a52-1d1e-4c55-9a0e-000000000002
        name: app_login_ok
        level: informational
        logsource:
            product: testapp
        detection:
            selection:
                action: login_ok
            condition: selection
        """;

    private const string FailureThenSuccess = """
        title: Login after a failure
        id: 7b0f6a52-1d1e-4c55-9a0e-000000000003
        level: high
        correlation:
            type: temporal_ordered
            rules:
                - app_login_failed
                - app_login_ok
            group-by:
                - user
            timespan: 5m
        """;

    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-hunt-test-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Line(string time, string action, string user) =>
        $$"""{"time":"{{time}}","action":"{{action}}","user":"{{user}}"}""" + "\n";

    private static async Task<(HuntSummary Summary, List<HuntHit> Rows)> Hunt(HuntOptions options, params string[] paths)
    {
        var rows = new List<HuntHit>();
        var summary = await new LogHunt(options).RunAsync(paths, rows.Add);
        return (summary, rows);
    }

    private static SigmaRule Rule(string text)
    {
        SigmaRuleReader.TryRead(text, "test.yml", SigmaEngineOptions.Default, out var rule, out _, out var reason).Should().BeTrue(reason);
        return rule!;
    }

    private static SigmaCorrelationRule Correlation(string text)
    {
        SigmaRuleReader.TryRead(text, "c.yml", SigmaEngineOptions.Default, out _, out var rule, out var reason).Should().BeTrue(reason);
        return rule!;
    }

    [Fact]
    public async Task A_correlation_sees_events_of_two_files_in_time_order_not_in_file_order()
    {
        // The success is in the first file, the failure that precedes it in the second: only time order puts them right.
        var first = Write("a.jsonl", Line("2026-01-01T10:01:00Z", "login_ok", "bob") + Line("2026-01-01T12:00:00Z", "login_ok", "eve"));
        var second = Write("b.jsonl", Line("2026-01-01T10:00:00Z", "login_failed", "bob") + Line("2026-01-01T11:00:00Z", "login_failed", "eve"));
        var options = new HuntOptions
        {
            Rules = new SigmaRuleSet([Rule(FailedLogin), Rule(SuccessfulLogin)]),
            Correlations = [Correlation(FailureThenSuccess)],
            DetectAccess = false,
            TempDirectory = _scratch,
        };

        var (summary, rows) = await Hunt(options, first, second);

        var correlation = rows.Should().ContainSingle("the base rules feed a correlation without 'generate', so only it is reported").Subject;
        correlation.Kind.Should().Be(HuntKind.Correlation);
        correlation.RuleId.Should().Be("7b0f6a52-1d1e-4c55-9a0e-000000000003");
        correlation.GroupKey.Should().Be("bob", "eve's success came an hour after her failure");
        correlation.EventCount.Should().Be(2);
        correlation.Event.SourceFile.Should().Be(first);
        summary.DetectionsByKind[HuntKind.Sigma].Should().Be(4);
        summary.DetectionsByKind[HuntKind.Correlation].Should().Be(1);
        summary.Reported.Should().Be(1);
    }

    [Fact]
    public async Task The_timeline_merges_files_by_time_through_runs_spilled_to_disk_and_puts_untimed_events_last_in_input_order()
    {
        var a = new StringBuilder();
        var b = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            a.Append(Line($"2026-01-01T10:{i:00}:00Z", "a", "u" + i));
            b.Append(Line($"2026-01-01T10:{i:00}:30Z", "b", "u" + i));
        }

        a.Append("""{"action":"untimed","user":"first"}""" + "\n");
        b.Append("""{"action":"untimed","user":"second"}""" + "\n");
        var options = new HuntOptions { Timeline = true, DetectAccess = false, RunRecords = 7, MergeFanIn = 3, TempDirectory = _scratch };

        var (summary, rows) = await Hunt(options, Write("a.jsonl", a.ToString()), Write("b.jsonl", b.ToString()));

        rows.Should().HaveCount(82);
        rows.Should().OnlyContain(r => r.Kind == HuntKind.Event);
        summary.SpilledRuns.Should().BeGreaterThan(12, "82 events in runs of 7, plus merge passes of 3 runs at a time");
        var timed = rows.Take(80).Select(r => r.Event.Timestamp!.Value).ToList();
        timed.Should().BeInAscendingOrder();
        rows[0].Event.TryGet("action", out var action).Should().BeTrue();
        action.Should().Be("a");
        rows[1].Event.TryGet("action", out action).Should().BeTrue();
        action.Should().Be("b");
        rows[80].Event.Timestamp.Should().BeNull();
        rows[80].Event.TryGet("user", out var user).Should().BeTrue();
        user.Should().Be("first");
        rows[81].Event.TryGet("user", out user).Should().BeTrue();
        user.Should().Be("second");
        Directory.EnumerateFileSystemEntries(_scratch).Should().HaveCount(2, "the spilled runs and their folder are deleted");
    }

    [Fact]
    public async Task Brute_force_against_sshd_in_a_generated_auth_log_is_one_access_finding()
    {
        var log = new StringBuilder();
        for (var i = 0; i < 12; i++)
        {
            log.Append($"Mar  3 04:10:{i * 3:00} web1 sshd[{900 + i}]: Failed password for root from 203.0.113.9 port {40000 + i} ssh2\n");
        }

        log.Append("Mar  3 04:11:00 web1 sshd[999]: Accepted password for alice from 198.51.100.4 port 50000 ssh2\n");
        var options = new HuntOptions { Read = new LogReadOptions { SyslogYear = 2026 }, TempDirectory = _scratch };

        var (summary, rows) = await Hunt(options, Write("auth.log", log.ToString()));

        summary.LogonAttempts.Should().Be(13);
        var brute = rows.Should().ContainSingle(r => r.RuleId == "access/brute-force").Subject;
        brute.Kind.Should().Be(HuntKind.Access);
        brute.EventCount.Should().Be(12);
        brute.Event.TryGet("source", out var source).Should().BeTrue();
        source.Should().Be("203.0.113.9");
        brute.Event.RecordId.Should().Be(1, "the first failure is on line 1");
        brute.Event.Timestamp.Should().Be(new DateTimeOffset(2026, 3, 3, 4, 10, 0, TimeSpan.Zero));
        brute.Tags.Should().Contain("attack.t1110.001");
    }

    [Fact]
    public async Task Indicators_hit_the_lines_of_the_apache_corpus_log_that_hold_the_address()
    {
        // elastic/examples @ 6d86454e, Apache-2.0: 10,000 lines of a real combined access log.
        var log = SharedCorpus.Path("logs", "apache_logs");
        var expected = File.ReadLines(log).Select((line, i) => (line, i)).Where(p => p.line.StartsWith("66.249.73.135 ", StringComparison.Ordinal))
            .Select(p => (long)p.i + 1).ToList();
        var indicators = IocSet.Parse(new StringReader("66.249.73.135 crawler\n")).Set;

        var (summary, rows) = await Hunt(new HuntOptions { Indicators = indicators, DetectAccess = false, TempDirectory = _scratch }, log);

        expected.Should().NotBeEmpty();
        summary.EventsByFormat[LogFormat.AccessLog].Should().Be(10_000);
        rows.Should().OnlyContain(r => r.Kind == HuntKind.Ioc && r.Indicator == "66.249.73.135" && r.Field == "c-ip" && r.RuleTitle!.Contains("crawler"));
        rows.Select(r => r.Event.RecordId).Order().Should().Equal(expected);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Every_event_is_matched_once_whatever_the_workers_and_however_the_files_are_cut(int workers)
    {
        // One long log (many batches: a worker without a file of its own takes some of them), a few short ones and an
        // empty one; detections, the timeline and the counts must be those of one worker reading and matching in order.
        var logs = new List<string>();
        foreach (var (name, lines) in new[] { ("long.jsonl", 9000), ("short-1.jsonl", 300), ("short-2.jsonl", 257), ("empty.jsonl", 0), ("short-3.jsonl", 1) })
        {
            var text = new StringBuilder();
            for (var i = 0; i < lines; i++)
            {
                text.Append(Line($"2026-01-01T{i / 3600 % 24:00}:{i / 60 % 60:00}:{i % 60:00}Z", i % 7 == 0 ? "login_failed" : "login_ok", name + i));
            }

            logs.Add(Write(name, text.ToString()));
        }

        var rules = new SigmaRuleSet([Rule(FailedLogin), Rule(SuccessfulLogin)]);
        var options = new HuntOptions { Rules = rules, DetectAccess = false, TempDirectory = _scratch, Workers = 1 };
        static List<string> Found(List<HuntHit> rows) =>
            [.. rows.Select(r => $"{Path.GetFileName(r.Event.SourceFile)}:{r.Event.RecordId}:{r.RuleId}").Order(StringComparer.Ordinal)];

        var (oneSummary, one) = await Hunt(options, [.. logs]);
        var (summary, rows) = await Hunt(options with { Workers = workers }, [.. logs]);
        var (_, oneTimeline) = await Hunt(options with { Rules = null, Timeline = true }, [.. logs]);
        var (_, timeline) = await Hunt(options with { Rules = null, Timeline = true, Workers = workers }, [.. logs]);

        one.Should().HaveCount(9558);
        Found(one).Should().OnlyHaveUniqueItems();
        Found(rows).Should().Equal(Found(one));
        summary.EventsRead.Should().Be(oneSummary.EventsRead).And.Be(9558);
        summary.Detections.Should().Be(oneSummary.Detections);
        summary.DetectionsByLevel.Should().BeEquivalentTo(oneSummary.DetectionsByLevel);
        timeline.Select(r => $"{Path.GetFileName(r.Event.SourceFile)}:{r.Event.RecordId}").Should()
            .Equal(oneTimeline.Select(r => $"{Path.GetFileName(r.Event.SourceFile)}:{r.Event.RecordId}"));
    }

    [Fact]
    public async Task A_value_repeated_line_after_line_is_reported_on_every_line_and_a_clean_one_never()
    {
        // The reader hands out one string for a value a field repeats; a hit must not be remembered as clean, and a field
        // that held a clean value may hold an indicator on the next line.
        var text = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            var host = i % 3 == 2 ? "www.evil.example" : "intranet.local";
            text.Append($$"""{"time":"2026-01-01T10:{{i / 60:00}}:{{i % 60:00}}Z","user":"bob","dst":"1.2.3.4","host":"{{host}}"}""").Append('\n');
        }

        var log = Write("repeat.jsonl", text.ToString());
        var indicators = IocSet.Parse(new StringReader("1.2.3.4\nevil.example\n")).Set;

        var (_, rows) = await Hunt(new HuntOptions { Indicators = indicators, DetectAccess = false, TempDirectory = _scratch, Workers = 1 }, log);

        rows.Where(r => r.Field == "dst").Select(r => r.Event.RecordId).Should().Equal(Enumerable.Range(1, 300).Select(i => (long)i));
        rows.Where(r => r.Field == "host").Select(r => r.Event.RecordId).Should().Equal(Enumerable.Range(1, 300).Where(i => i % 3 == 0).Select(i => (long)i));
        rows.Should().HaveCount(400);
    }

    [Fact]
    public async Task Logs_inside_zip_and_gzip_archives_are_hunted_and_named_by_member()
    {
        var lines = Line("2026-01-01T10:00:00Z", "login_failed", "bob");
        var zip = Path.Combine(_scratch, "logs.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var entry = new StreamWriter(archive.CreateEntry("app/one.jsonl").Open());
            entry.Write(lines);
        }

        var gzip = Path.Combine(_scratch, "two.jsonl.gz");
        using (var file = new GZipStream(File.Create(gzip), CompressionLevel.Fastest))
        {
            file.Write(Encoding.UTF8.GetBytes(lines + lines));
        }

        var options = new HuntOptions { Rules = new SigmaRuleSet([Rule(FailedLogin)]), DetectAccess = false, TempDirectory = _scratch };

        var (summary, rows) = await Hunt(options, zip, gzip);

        summary.Logs.Should().Be(2);
        summary.EventsRead.Should().Be(3);
        rows.Should().HaveCount(3).And.OnlyContain(r => r.RuleId == "7b0f6a52-1d1e-4c55-9a0e-000000000001");
        rows.Select(r => r.Event.SourceFile).Should().Contain(zip + "!app/one.jsonl").And.Contain(gzip);
    }

    [Fact]
    public async Task Random_truncated_and_mutated_files_are_reported_never_thrown()
    {
        var random = new Random(8);
        var noise = new byte[200_000];
        random.NextBytes(noise);
        File.WriteAllBytes(Path.Combine(_scratch, "noise.bin"), noise);
        var evtx = File.ReadAllBytes(SharedCorpus.Path("evtx", "security.evtx"));
        File.WriteAllBytes(Path.Combine(_scratch, "cut.evtx"), evtx[..(4096 + (65536 * 3) + 1000)]);
        File.WriteAllBytes(Path.Combine(_scratch, "header-only.evtx"), evtx[..2000]);
        var mutated = (byte[])evtx.Clone();
        for (var i = 0; i < 400; i++)
        {
            mutated[4096 + random.Next(mutated.Length - 4096)] ^= (byte)(1 + random.Next(255));
        }

        File.WriteAllBytes(Path.Combine(_scratch, "mutated.evtx"), mutated);
        File.WriteAllBytes(Path.Combine(_scratch, "cut.gz"), [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0x4B, 0x4C]);
        var options = new HuntOptions { Rules = new SigmaRuleSet([Rule(FailedLogin)]), TempDirectory = _scratch, Evtx = new() { Parallelism = 2 } };

        var (summary, _) = await Hunt(options, _scratch, Path.Combine(_scratch, "missing.log"));

        summary.Files.Should().Be(5);
        summary.Unreadable.Select(p => Path.GetFileName(p.Name)).Should().Contain(["noise.bin", "header-only.evtx", "missing.log"]);
        summary.Unreadable.Should().Contain(p => p.Name.EndsWith("header-only.evtx", StringComparison.Ordinal) && p.Reason.Contains("cut short", StringComparison.Ordinal));
        (summary.Unreadable.Exists(p => p.Name.EndsWith("cut.gz", StringComparison.Ordinal)) || summary.Stopped.Exists(p => p.Name.EndsWith("cut.gz", StringComparison.Ordinal)))
            .Should().BeTrue("a gzip cut short is reported");
        summary.EventsByFormat[LogFormat.Evtx].Should().BeGreaterThan(0, "the cut and mutated logs are read up to their damage");
        summary.EvtxDamage.Should().Contain(d => d.Name.EndsWith("mutated.evtx", StringComparison.Ordinal) && d.DamagedChunks > 0);
    }

    [Fact]
    public async Task The_minimum_level_keeps_low_detections_out_of_the_output_but_in_the_counts()
    {
        var path = Write("a.jsonl", Line("2026-01-01T10:00:00Z", "login_failed", "bob") + Line("2026-01-01T10:00:01Z", "login_ok", "bob"));
        var rules = new SigmaRuleSet([Rule(FailedLogin), Rule(SuccessfulLogin)]);

        var (summary, rows) = await Hunt(new HuntOptions { Rules = rules, MinLevel = "low", DetectAccess = false, TempDirectory = _scratch }, path);

        rows.Should().ContainSingle().Which.Level.Should().Be("low");
        summary.DetectionsByLevel.Should().Contain("low", 1).And.Contain("informational", 1);
        summary.Reported.Should().Be(1);
    }

    [Fact]
    public async Task A_failing_writer_stops_the_hunt_with_its_exception()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Append(Line("2026-01-01T10:00:00Z", "login_failed", "u" + i));
        }

        var path = Write("many.jsonl", text.ToString());
        var hunt = new LogHunt(new HuntOptions { Rules = new SigmaRuleSet([Rule(FailedLogin)]), DetectAccess = false, TempDirectory = _scratch });

        var run = () => hunt.RunAsync([path], _ => throw new IOException("disk full"));

        await run.Should().ThrowAsync<IOException>().WithMessage("disk full");
        Directory.EnumerateFileSystemEntries(_scratch).Should().ContainSingle("no run is left behind");
    }
}
