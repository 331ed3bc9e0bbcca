using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary><c>ribat analyze pcap</c> as a subprocess on corpus captures; it needs no data directory.</summary>
public sealed class CliAnalyzeTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-analyze-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string Corpus(string file) =>
        SharedCorpus.Path("pcap", file);

    [Fact]
    public async Task Json_summary_of_the_isakmp_reflection_capture_has_every_field()
    {
        var result = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--format", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        json["packets"]!.GetValue<long>().Should().Be(3984);
        json["bytes"]!.GetValue<long>().Should().Be(980064);
        json["first_timestamp"]!.GetValue<string>().Should().Be("2021-06-14T19:45:01.0032990Z");
        json["last_timestamp"]!.GetValue<string>().Should().Be("2021-06-14T19:45:01.4121570Z");
        json["duration_seconds"]!.GetValue<double>().Should().BeApproximately(0.408858, 1e-9);
        json["interval_seconds"]!.GetValue<double>().Should().Be(0.001, "a 0.41 s capture gets 1 ms steps, not one 1 s point");
        json["interval_automatic"]!.GetValue<bool>().Should().BeTrue();
        var series = json["series"]!.AsArray();
        series.Should().HaveCount(409);
        series.Sum(i => i!["packets"]!.GetValue<long>()).Should().Be(3984);
        series[0]!["start"]!.GetValue<string>().Should().Be("2021-06-14T19:45:01.0032990Z");
        series[1]!["start"]!.GetValue<string>().Should().Be("2021-06-14T19:45:01.0042990Z");
        json["peak_pps"]!.GetValue<double>().Should().BeApproximately(series.Max(i => i!["packets"]!.GetValue<long>()) * 1000.0, 1e-6);
        json["peak_bps"]!.GetValue<double>().Should().BeApproximately(series.Max(i => i!["bytes"]!.GetValue<long>()) * 8 * 1000.0, 1e-3);
        json["top_sources"]!.AsArray().Should().HaveCount(20);
        var victim = json["top_destinations"]!.AsArray().Should().ContainSingle().Subject!;
        victim["address"]!.GetValue<string>().Should().Be("10.10.10.10");
        victim["bytes"]!.GetValue<long>().Should().Be(980064);
        victim.AsObject().ContainsKey("asn").Should().BeTrue();
        victim["asn"].Should().BeNull();
        victim["country"].Should().BeNull();
        json["protocols"]!["udp"]!["packets"]!.GetValue<long>().Should().Be(3984);
        json["protocols"]!["tcp"]!["packets"]!.GetValue<long>().Should().Be(0);
        json["protocols"]!["non_ip"]!["packets"]!.GetValue<long>().Should().Be(0);
        json["anomalies"]!.AsArray().Should().BeEmpty();
        json["carpet_bombing"]!.AsArray().Should().BeEmpty("one address is the target");
        json["spoofing"]!["likely"]!.GetValue<bool>().Should().BeFalse();
        json["spoofing"]!["flood_sources"]!.GetValue<int>().Should().Be(0, "every packet is an ISAKMP answer, none a direct flood");
        json["spoofing"]!["reasons"]!.AsArray().Should().BeEmpty();
        var file = json["files"]!.AsArray().Should().ContainSingle().Subject!;
        file["format"]!.GetValue<string>().Should().Be("pcap");
        file["packets"]!.GetValue<long>().Should().Be(3984);
    }

    [Fact]
    public async Task Json_and_table_name_isakmp_amplification_as_the_first_vector_with_its_reflectors()
    {
        var result = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--format", "json", "--top", "5");

        result.ExitCode.Should().Be(0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        var vector = json["vectors"]!.AsArray()[0]!;
        vector["name"]!.GetValue<string>().Should().Be("isakmp-amplification");
        vector["packets"]!.GetValue<long>().Should().Be(3984);
        vector["bytes"]!.GetValue<long>().Should().Be(980064);
        vector["share"]!.GetValue<double>().Should().Be(1);
        vector["evidence"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Contain("UDP source port 500 or 4500 (ISAKMP)");
        var reflectors = json["reflectors"]!.AsArray();
        reflectors.Should().HaveCount(5);
        reflectors[0]!["vector"]!.GetValue<string>().Should().Be("isakmp-amplification");
        reflectors[0]!.AsObject().ContainsKey("asn").Should().BeTrue();
        reflectors[0]!["country"].Should().BeNull();

        var table = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"));
        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().Contain("isakmp-amplification").And.Contain("Reflectors");
    }

    [Fact]
    public async Task Table_prints_the_totals_and_the_interval_option_splits_the_series()
    {
        var table = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--top", "3");
        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().Contain("3,984").And.Contain("980,064").And.Contain("10.10.10.10");

        var tenths = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--format", "json", "--interval", "0.1");
        tenths.ExitCode.Should().Be(0, tenths.ToString());
        var series = JsonNode.Parse(tenths.Stdout)!["series"]!.AsArray();
        series.Should().HaveCount(5, "0.409 s of traffic in 0.1 s intervals");
        series.Sum(i => i!["packets"]!.GetValue<long>()).Should().Be(3984);
        JsonNode.Parse(tenths.Stdout)!["interval_automatic"]!.GetValue<bool>().Should().BeFalse();

        table.Stdout.Should().Contain("Interval   0.001 s, 409 in the series (chosen from the duration; --interval sets it)");
        var minutes = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.TCP.syn.optionallyACK.optionallysamePort.pcapng"));
        minutes.Stdout.Should().Contain("Interval   1 s, 819 in the series", "a capture of 13 minutes keeps 1 s steps");
        var asked = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.snmp.src161.pcapng"), "--interval", "0.0005");
        asked.Stdout.Should().Contain("Interval   0.0005 s, 47 in the series (as asked)");
    }

    [Fact]
    public async Task Several_captures_are_merged_into_one_summary_in_the_order_given()
    {
        var result = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.snmp.src161.pcapng"), Corpus("amp.UDP.isakmp.pcap"),
            Corpus("amp.TCP.reflection.SYNACK.pcap"), Corpus("amp.TCP.syn.optionallyACK.optionallysamePort.pcapng"), "--format", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        json["packets"]!.GetValue<long>().Should().Be(4373 + 3984 + 8000 + 896);
        json["files"]!.AsArray().Select(f => Path.GetFileName(f!["path"]!.GetValue<string>())).Should().Equal(
            "amp.UDP.snmp.src161.pcapng", "amp.UDP.isakmp.pcap", "amp.TCP.reflection.SYNACK.pcap", "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng");
        json["series"]![0]!["start"]!.GetValue<string>().Should().Be("2021-05-15T14:50:40.0356810Z", "the grid starts at the first packet of the first file");
        json["interval_seconds"]!.GetValue<double>().Should().Be(3600, "the captures span weeks, so hour steps");
        json["vectors"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).Should().Contain(["snmp-amplification", "isakmp-amplification", "tcp-synack-reflection"]);
    }

    [Fact]
    public async Task A_file_that_is_not_a_capture_or_is_missing_stops_the_whole_analysis()
    {
        var text = Path.Combine(_scratch, "notes.txt");
        await File.WriteAllTextAsync(text, "not a capture at all\n");

        var mixed = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), text, "--format", "json");
        CliAdminTests.ShouldFailWithOneLine(mixed, 2, "notes.txt", "not a packet capture");
        mixed.Stdout.Should().BeEmpty("nothing is analysed when one file is bad");

        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "pcap", Path.Combine(_scratch, "missing.pcap")), 2, "missing.pcap", "does not exist");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "pcap", _scratch), 2, "is a folder", "*.pcap");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--interval", "0"), 2, "--interval");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--interval=-1"), 2, "--interval");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--interval", "1e12"), 2, "--interval");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--interval", "NaN"), 2, "--interval");
    }

    [Fact]
    public async Task A_truncated_capture_is_summarised_with_the_anomaly_reported()
    {
        var bytes = await File.ReadAllBytesAsync(Corpus("amp.UDP.isakmp.pcap"));
        var cut = Path.Combine(_scratch, "cut.pcap");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length - 100)]);

        var result = await RibatProcess.RunAsync("analyze", "pcap", cut, "--format", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        json["packets"]!.GetValue<long>().Should().Be(3983);
        var anomaly = json["anomalies"]!.AsArray().Should().ContainSingle().Subject!;
        anomaly["reason"]!.GetValue<string>().Should().Contain("ends inside a packet");
        anomaly["count"]!.GetValue<long>().Should().Be(1);
    }

    [Fact]
    public async Task Chart_draws_both_rates_to_a_png_and_replaces_an_old_one()
    {
        var picture = Path.Combine(_scratch, "synack.png");
        await File.WriteAllTextAsync(picture, "an older file");

        var result = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.TCP.reflection.SYNACK.pcap"), "--interval", "0.05", "--format", "json", "--chart", picture);

        result.ExitCode.Should().Be(0, result.ToString());
        JsonNode.Parse(result.Stdout)!["packets"]!.GetValue<long>().Should().Be(8000, "the report is printed as without --chart");
        using var bitmap = SkiaSharp.SKBitmap.Decode(picture);
        bitmap.Should().NotBeNull("the file is a PNG picture");
        (bitmap.Width, bitmap.Height).Should().Be((1200, 500));
        var (blue, orange) = (0, 0);
        foreach (var pixel in bitmap.Pixels)
        {
            blue += pixel is { Red: 70, Green: 130, Blue: 180 } ? 1 : 0;
            orange += pixel is { Red: 255, Green: 140, Blue: 0 } ? 1 : 0;
        }

        blue.Should().BeGreaterThan(1000, "the packets-per-second line is drawn across the plot");
        orange.Should().BeGreaterThan(1000, "the megabits-per-second line is drawn across the plot");
        Directory.GetFiles(_scratch).Should().BeEquivalentTo([picture], "the picture is written through a temporary file that does not stay behind");
    }

    [Fact]
    public async Task A_chart_path_that_cannot_be_written_stops_before_any_capture_is_read()
    {
        var wrongKind = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--chart", Path.Combine(_scratch, "chart.jpg"));
        CliAdminTests.ShouldFailWithOneLine(wrongKind, 2, "--chart", ".png");
        wrongKind.Stdout.Should().BeEmpty();

        var noFolder = await RibatProcess.RunAsync("analyze", "pcap", Corpus("amp.UDP.isakmp.pcap"), "--chart", Path.Combine(_scratch, "absent", "chart.png"));
        CliAdminTests.ShouldFailWithOneLine(noFolder, 2, "--chart", "does not exist");
        noFolder.Stdout.Should().BeEmpty();
        Directory.GetFiles(_scratch).Should().BeEmpty();
    }
}
