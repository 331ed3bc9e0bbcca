using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>
/// <c>ribat hunt</c> as a subprocess over the public corpus: SigmaHQ's regression captures and rules (SigmaHQ/sigma @
/// 8eaafff1, DRL 1.1), omerbenamram/evtx's logs (@ 9c7d0b54, MIT/Apache-2.0) and elastic/examples' Apache log (@ 6d86454e,
/// Apache-2.0). Rules are copied into a scratch folder one by one, so no test pays for loading the whole rule set.
/// </summary>
public sealed class CliHuntTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-hunt-cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private sealed record RegressionCase(string RuleId, string Evtx, string Twin);

    private static List<RegressionCase> RegressionCases()
    {
        var cases = new List<RegressionCase>();
        foreach (var info in Directory.EnumerateFiles(SharedCorpus.Path("sigma", "regression_data"), "info.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(info).Select(l => l.Trim()).ToList();
            var id = lines.First(l => l.StartsWith("- id:", StringComparison.Ordinal))[5..].Trim();
            if (Directory.EnumerateFiles(Path.GetDirectoryName(info)!, "*.evtx").FirstOrDefault() is { } evtx)
            {
                cases.Add(new RegressionCase(id, evtx, Path.ChangeExtension(evtx, ".json")));
            }
        }

        return cases;
    }

    /// <summary>Copies the corpus rules with these ids into a new folder under the scratch folder.</summary>
    private string RulesFolder(IReadOnlyCollection<string> ids)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "rules-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var wanted = new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase);
        foreach (var root in Directory.EnumerateDirectories(SharedCorpus.Path("sigma"), "rules*"))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*.yml", SearchOption.AllDirectories))
            {
                var id = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("id: ", StringComparison.Ordinal))?[4..].Trim();
                if (id is not null && wanted.Remove(id))
                {
                    File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
                }
            }
        }

        wanted.Should().BeEmpty("every rule id is in the corpus");
        return folder;
    }

    private static List<JsonNode> JsonLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

    private static List<JsonNode> TwinRecords(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        var records = new List<JsonNode>();
        while (JsonNode.Parse(ref reader) is { } node)
        {
            records.Add(node);
            if (!reader.Read())
            {
                break;
            }
        }

        return records;
    }

    [Fact]
    public async Task A_regression_capture_fires_its_rule_with_record_time_and_event_fields_as_in_its_json_twin()
    {
        var @case = RegressionCases().Single(c => c.RuleId == "7dbbcac2-57a0-45ac-b306-ff30a8bd2981");

        var result = await RibatProcess.RunAsync("hunt", @case.Evtx, "--sigma", RulesFolder([@case.RuleId]), "--format", "json", "--no-access");

        result.ExitCode.Should().Be(1, result.ToString());
        var hit = JsonLines(result.Stdout).Should().ContainSingle().Subject;
        hit["kind"]!.GetValue<string>().Should().Be("sigma");
        hit["rule_id"]!.GetValue<string>().Should().Be(@case.RuleId);
        hit["rule_title"]!.GetValue<string>().Should().Be("Windows AMSI Related Registry Tampering Via CommandLine");
        hit["level"]!.GetValue<string>().Should().Be("high");
        hit["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Contain("attack.t1685");
        hit["source_file"]!.GetValue<string>().Should().Be(@case.Evtx);
        var twin = TwinRecords(@case.Twin).Single(r => r["Event"]!["System"]!["EventRecordID"]!.GetValue<long>() == hit["record_id"]!.GetValue<long>());
        var system = twin["Event"]!["System"]!;
        hit["timestamp"]!.GetValue<string>().Should().Be(system["TimeCreated"]!["#attributes"]!["SystemTime"]!.GetValue<string>());
        var data = twin["Event"]!["EventData"]!.AsObject();
        var @event = hit["event"]!.AsObject();
        foreach (var (name, value) in data)
        {
            @event[name]?.GetValue<string>().Should().Be(value?.ToString(), name);
        }

        @event["CommandLine"]!.GetValue<string>().Should().Be(data["CommandLine"]!.GetValue<string>());
        @event["Channel"]!.GetValue<string>().Should().Be("Microsoft-Windows-Sysmon/Operational");
        result.Stderr.Should().Contain("rules: 1 loaded").And.Contain("detections: 1 (sigma 1)");
    }

    [Fact]
    public async Task The_whole_regression_set_in_one_hunt_fires_every_expected_rule()
    {
        var cases = RegressionCases();
        cases.Should().HaveCount(101);

        var result = await RibatProcess.RunAsync(["hunt", .. cases.Select(c => c.Evtx), "--sigma", RulesFolder([.. cases.Select(c => c.RuleId)]), "--format", "json", "--no-access"]);

        result.ExitCode.Should().Be(1, result.Stderr);
        var fired = JsonLines(result.Stdout).Select(h => (h["rule_id"]!.GetValue<string>(), h["source_file"]!.GetValue<string>())).ToHashSet();
        cases.Where(c => !fired.Contains((c.RuleId, c.Evtx))).Select(c => c.Evtx).Should().BeEmpty("every rule fires on its own capture");
        result.Stderr.Should().Contain("rules: 101 loaded").And.Contain("0 refused");
    }

    [Fact]
    public async Task Damaged_corpus_logs_are_hunted_and_their_damage_reported()
    {
        var result = await RibatProcess.RunAsync("hunt", SharedCorpus.Path("evtx", "sample_with_a_bad_chunk_magic.evtx"), SharedCorpus.Path("evtx", "security_bad_string_cache.evtx"), "--format", "json");

        result.ExitCode.Should().BeOneOf([0, 1], result.ToString());
        result.Stderr.Should().Contain("damaged EVTX: " + SharedCorpus.Path("evtx", "sample_with_a_bad_chunk_magic.evtx"))
            .And.Contain("damaged EVTX: " + SharedCorpus.Path("evtx", "security_bad_string_cache.evtx"))
            .And.Contain("EVTX: bad chunk magic").And.Contain("2 log(s) read");
    }

    [Fact]
    public async Task An_indicator_file_hits_the_apache_lines_holding_the_address_in_csv_and_in_a_table()
    {
        var log = SharedCorpus.Path("logs", "apache_logs");
        var expected = File.ReadLines(log).Select((line, i) => (line, i)).Where(p => p.line.StartsWith("83.149.9.216 ", StringComparison.Ordinal)).Select(p => p.i + 1).ToList();
        var iocs = Path.Combine(_scratch, "iocs.txt");
        await File.WriteAllTextAsync(iocs, "# watched\n83.149.9.216 scanner\nnot-an-indicator!\n");

        var csv = await RibatProcess.RunAsync("hunt", log, "--iocs", iocs, "--format", "csv");

        csv.ExitCode.Should().Be(1, csv.ToString());
        var lines = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().Be("kind,timestamp,level,rule_id,rule_title,tags,source_file,record_id,indicator,indicator_type,indicator_id,field,event_count,group_key,matched,event");
        lines.Skip(1).Should().OnlyContain(l => l.StartsWith("ioc,", StringComparison.Ordinal) && l.Contains(",83.149.9.216,ipv4,line 2,c-ip,", StringComparison.Ordinal));
        lines.Skip(1).Select(l => int.Parse(l.Split(',')[7], System.Globalization.CultureInfo.InvariantCulture)).Should().Equal(expected);
        lines[1].Should().Contain("\"{\"\"c-ip\"\":\"\"83.149.9.216\"\"");
        csv.Stderr.Should().Contain("indicators: 1 loaded, 1 refused").And.Contain("indicator refused: line 3");

        var table = await RibatProcess.RunAsync("hunt", log, "--iocs", iocs);
        table.ExitCode.Should().Be(1);
        table.Stdout.Should().StartWith("TIME (UTC)").And.Contain("83.149.9.216 in c-ip").And.Contain($"{log}#{expected[0]}");
    }

    [Fact]
    public async Task Zip_and_gzip_archives_are_opened_and_the_out_file_is_written_whole()
    {
        var zip = Path.Combine(_scratch, "logs.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(SharedCorpus.Path("evtx", "security.evtx"), "win/security.evtx");
        }

        var gzip = Path.Combine(_scratch, "access.log.gz");
        await using (var output = new GZipStream(File.Create(gzip), CompressionLevel.Fastest))
        {
            await using var input = File.OpenRead(SharedCorpus.Path("logs", "apache_logs"));
            await input.CopyToAsync(output);
        }

        var iocs = Path.Combine(_scratch, "iocs.txt");
        await File.WriteAllTextAsync(iocs, "83.149.9.216\n");
        var outFile = Path.Combine(_scratch, "hits.jsonl");
        await File.WriteAllTextAsync(outFile, "previous content\n");

        var result = await RibatProcess.RunAsync("hunt", zip, gzip, "--iocs", iocs, "--format", "json", "--out", outFile);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().Contain("2 log(s) read").And.Contain("evtx 2,261 in 1 log(s)").And.Contain("accesslog 10,000 in 1 log(s)");
        var rows = JsonLines(await File.ReadAllTextAsync(outFile));
        rows.Should().Contain(r => r["kind"]!.GetValue<string>() == "ioc" && r["source_file"]!.GetValue<string>() == gzip);
        rows.Should().Contain(r => r["kind"]!.GetValue<string>() == "access" && r["source_file"]!.GetValue<string>() == zip + "!win/security.evtx");
        Directory.EnumerateFiles(_scratch, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task The_timeline_merges_two_files_by_time_and_the_minimum_level_filters_detections()
    {
        var a = Path.Combine(_scratch, "a.jsonl");
        var b = Path.Combine(_scratch, "b.jsonl");
        await File.WriteAllTextAsync(a, "{\"time\":\"2026-01-01T10:00:00Z\",\"msg\":\"a1\"}\n{\"time\":\"2026-01-01T10:02:00Z\",\"msg\":\"a2\"}\n{\"msg\":\"untimed\"}\n");
        await File.WriteAllTextAsync(b, "{\"time\":\"2026-01-01T10:01:00Z\",\"msg\":\"b1\"}\n{\"time\":\"2026-01-01T10:03:00Z\",\"msg\":\"b2\"}\n");
        var rules = Directory.CreateDirectory(Path.Combine(_scratch, "own-rules")).FullName;
        await File.WriteAllTextAsync(Path.Combine(rules, "low.yml"), "title: b events\nid: 0a4e5b8c-1111-4d2a-9c3b-000000000001\nlevel: low\nlogsource:\n    product: testapp\ndetection:\n    selection:\n        msg|startswith: b\n    condition: selection\n");
        await File.WriteAllTextAsync(Path.Combine(rules, "broken.yml"), "title: [unclosed\n");

        var timeline = await RibatProcess.RunAsync("hunt", a, b, "--timeline", "--format", "json", "--sigma", rules);

        timeline.ExitCode.Should().Be(1, timeline.ToString());
        var rows = JsonLines(timeline.Stdout);
        rows.Select(r => r["event"]!["msg"]!.GetValue<string>()).Should().Equal("a1", "b1", "a2", "b2", "untimed");
        rows.Should().OnlyContain(r => r["kind"]!.GetValue<string>() == "event");
        rows[1]["matched"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal("0a4e5b8c-1111-4d2a-9c3b-000000000001");
        rows[4]["timestamp"].Should().BeNull();
        timeline.Stderr.Should().Contain("1 refused").And.Contain("rule refused: " + Path.Combine(rules, "broken.yml"));

        var medium = await RibatProcess.RunAsync("hunt", a, b, "--sigma", rules, "--min-level", "medium", "--format", "json");
        medium.ExitCode.Should().Be(0, "the low detections are below the minimum level");
        medium.Stdout.Should().BeEmpty();
        medium.Stderr.Should().Contain("detections: 2 (sigma 2)").And.Contain("0 reported");
    }

    [Fact]
    public async Task Random_and_truncated_files_are_reported_but_a_hunt_with_no_readable_log_is_an_input_error()
    {
        var noise = Path.Combine(_scratch, "noise.bin");
        var bytes = new byte[50_000];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(noise, bytes);
        var cut = Path.Combine(_scratch, "cut.evtx");
        await File.WriteAllBytesAsync(cut, File.ReadAllBytes(SharedCorpus.Path("evtx", "security.evtx"))[..150_000]);

        var mixed = await RibatProcess.RunAsync("hunt", noise, cut, "--format", "json");
        mixed.ExitCode.Should().BeOneOf([0, 1], mixed.ToString());
        mixed.Stderr.Should().Contain("unreadable: " + noise).And.Contain("1 log(s) read").And.NotContain("   at ");

        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("hunt", noise), 2, "no readable log");
    }

    [Fact]
    public async Task Indicators_from_the_store_are_those_the_organisation_may_see_and_hits_name_their_id()
    {
        var data = Directory.CreateDirectory(Path.Combine(_scratch, "data")).FullName;
        Task<CliResult> Run(params string[] args) => RibatProcess.RunAsync([.. args, "--data", data]);
        (await Run("admin", "migrate")).ExitCode.Should().Be(0);
        (await Run("admin", "org", "add", "--name", "CERT Hunt", "--country", "FR", "--kind", "cert")).ExitCode.Should().Be(0);
        (await Run("admin", "org", "add", "--name", "Police Hunt", "--country", "MA", "--kind", "police")).ExitCode.Should().Be(0);
        var list = Path.Combine(_scratch, "list.txt");
        await File.WriteAllTextAsync(list, "83.149.9.216\n");
        var imported = await Run("intel", "import", list, "--org", "CERT Hunt", "--format", "text");
        imported.ExitCode.Should().Be(0, imported.ToString());
        var log = SharedCorpus.Path("logs", "apache_logs");

        var own = await Run("hunt", log, "--iocs-from-store", "--organisation", "CERT Hunt", "--format", "json");

        own.ExitCode.Should().Be(1, own.ToString());
        var hits = JsonLines(own.Stdout);
        hits.Should().HaveCount(23).And.OnlyContain(h => h["indicator"]!.GetValue<string>() == "83.149.9.216");
        Guid.TryParse(hits[0]["indicator_id"]!.GetValue<string>(), out _).Should().BeTrue("a hit names the stored indicator");

        var other = await Run("hunt", log, "--iocs-from-store", "--organisation", "Police Hunt", "--format", "json");
        other.ExitCode.Should().Be(0, "the indicator is shared with its owner only");
        other.Stdout.Should().BeEmpty();
        other.Stderr.Should().Contain("indicators: 0 loaded");
        CliAdminTests.ShouldFailWithOneLine(await Run("hunt", log, "--iocs-from-store", "--organisation", "Nobody"), 2, "no organisation");
    }

    [Fact]
    public async Task With_geoip_databases_each_json_detection_carries_the_origin_of_its_addresses()
    {
        // 1.128.0.1 lies in 1.128.0.0/11, AS1221 Telstra, in MaxMind's ASN test database (maxmind/MaxMind-DB @ 2f18851d).
        var log = Path.Combine(_scratch, "app.jsonl");
        await File.WriteAllTextAsync(log,
            "{\"time\":\"2026-05-01T10:00:00Z\",\"src_ip\":\"1.128.0.1\",\"dst_ip\":\"10.0.0.5\",\"count\":\"1.2\",\"msg\":\"login from 1.128.0.1\"}\n");
        var iocs = Path.Combine(_scratch, "iocs.txt");
        await File.WriteAllTextAsync(iocs, "1.128.0.1\n");

        var result = await RibatProcess.RunAsync("hunt", log, "--iocs", iocs, "--format", "json", "--asn-db", SharedCorpus.Path("geoip", "GeoLite2-ASN-Test.mmdb"));

        result.ExitCode.Should().Be(1, result.ToString());
        var hit = JsonNode.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0])!;
        var origins = hit["origins"]!.AsObject();
        origins.Select(o => o.Key).Should().Equal(["1.128.0.1"], "the private address is unknown to the database, and '1.2' is a number, not an address");
        origins["1.128.0.1"]!["asn"]!.GetValue<long>().Should().Be(1221);
        origins["1.128.0.1"]!["as_organization"]!.GetValue<string>().Should().Be("Telstra Pty Ltd");

        var plain = await RibatProcess.RunAsync("hunt", log, "--iocs", iocs, "--format", "json");
        JsonNode.Parse(plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0])!.AsObject().ContainsKey("origins").Should().BeFalse("without databases nothing is looked up");
    }

    [Fact]
    public async Task Usage_and_input_errors_are_one_line_and_exit_2()
    {
        var log = SharedCorpus.Path("logs", "apache_logs");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("hunt", Path.Combine(_scratch, "missing.log")), 2, "no such file or folder");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("hunt", log, "--format", "xml"), 2, "--format");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("hunt", log, "--min-level", "severe"), 2, "--min-level");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("hunt", log, "--sigma", Path.Combine(_scratch, "no-rules")), 2, "no such rules folder");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("hunt", log, "--iocs", Path.Combine(_scratch, "none.txt")), 2, "cannot be read");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("hunt", log, "--iocs-from-store"), 2, "--organisation");
    }
}
