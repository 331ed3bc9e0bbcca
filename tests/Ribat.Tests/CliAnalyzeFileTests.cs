using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ribat.Forensics.Detection.Yara;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary><c>ribat analyze file</c> as a subprocess over files it writes itself and the PE assemblies on disk.</summary>
public sealed class CliAnalyzeFileTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-file-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_scratch, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Json_of_a_managed_dll_has_its_digests_type_and_imports()
    {
        var bytes = await File.ReadAllBytesAsync(typeof(Ribat.Forensics.Files.FileAnalyzer).Assembly.Location);
        var dll = Write("Forensics.dll", bytes);

        var result = await RibatProcess.RunAsync("analyze", "file", dll, "--format", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        var file = JsonNode.Parse(result.Stdout)!["files"]!.AsArray().Should().ContainSingle().Subject!;
        file["path"]!.GetValue<string>().Should().Be(dll);
        file["size"]!.GetValue<long>().Should().Be(bytes.Length);
        file["md5"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(MD5.HashData(bytes)));
        file["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        file["ssdeep"]!.GetValue<string>().Should().MatchRegex("^[0-9]+:[A-Za-z0-9+/]+:[A-Za-z0-9+/]+$");
        file["type"]!.GetValue<string>().Should().Be("pe");
        file["media_type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.portable-executable");
        var pe = file["pe"]!;
        pe["format"]!.GetValue<string>().Should().Be("PE32");
        pe["imports"]![0]!["dll"]!.GetValue<string>().Should().Be("mscoree.dll");
        pe["imphash"]!.GetValue<string>().Should().Be("dae02f32a21e03ce65412f6e56942daa");
        file["yara"].Should().BeNull();
    }

    [Fact]
    public async Task A_folder_scan_reports_a_file_that_cannot_be_read_and_goes_on()
    {
        var folder = Path.Combine(_scratch, "evidence");
        Write("evidence/notes.txt", "call http://198.51.100.7/x.php now\n"u8.ToArray());
        Write("evidence/sub/empty.bin", []);
        File.CreateSymbolicLink(Path.Combine(folder, "gone.bin"), Path.Combine(_scratch, "deleted.bin"));

        var result = await RibatProcess.RunAsync("analyze", "file", folder, "--format", "json", "--strings", "--min-string", "4");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().Contain("gone.bin").And.Contain("vanished");
        var files = JsonNode.Parse(result.Stdout)!["files"]!.AsArray();
        files.Select(f => Path.GetFileName(f!["path"]!.GetValue<string>())).Should().Equal("gone.bin", "notes.txt", "empty.bin");
        files[0]!["error"]!.GetValue<string>().Should().Contain("vanished");
        files[1]!["indicators"]!.AsArray().Select(i => i!["value"]!.GetValue<string>()).Should().Contain("http://198.51.100.7/x.php");
        files[1]!["strings"]!["listed"]![0]!["value"]!.GetValue<string>().Should().StartWith("call http");
        files[1]!["media_type"]!.GetValue<string>().Should().Be("text/plain");
        files[2]!["type"]!.GetValue<string>().Should().Be("empty");
        files[2]!["sha1"]!.GetValue<string>().Should().Be("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }

    [Fact]
    public async Task Table_shows_the_digests_and_the_entropy()
    {
        var text = Write("a.txt", "abc"u8.ToArray());

        var result = await RibatProcess.RunAsync("analyze", "file", text);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("== " + text).And.Contain("type        text (Text), text/plain")
            .And.Contain("ssdeep      3:uG:uG").And.Contain("entropy 1.585");
    }

    [Fact]
    public async Task Bad_input_fails_with_one_line_and_exit_2()
    {
        var text = Write("a.txt", "abc"u8.ToArray());

        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "file", text, Path.Combine(_scratch, "missing.exe")), 2, "missing.exe", "does not exist");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "file", text, "--min-string", "0"), 2, "--min-string");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "file", text, "--format", "xml"), 2, "--format");
    }

    [Fact]
    public async Task Yara_matches_give_exit_1_and_broken_rule_files_are_warnings()
    {
        if (YaraRuleSet.Unavailable is not null)
        {
            // Without libyara the option must fail on one line naming the package.
            CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "file", _scratch, "--yara", _scratch), 2, "libyara9");
            return;
        }

        var target = Write("target.bin", "xx secret-token yy"u8.ToArray());
        var good = Write("rules/good.yar", "rule Token : leak { meta: level = 3 strings: $t = \"secret-token\" condition: $t }"u8.ToArray());
        Write("rules/bad.yar", "rule Broken { condition: $nope }"u8.ToArray());

        var result = await RibatProcess.RunAsync("analyze", "file", target, "--yara", Path.Combine(_scratch, "rules"), "--format", "json");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("bad.yar(1)");
        var json = JsonNode.Parse(result.Stdout)!;
        json["rule_problems"]![0]!["line"]!.GetValue<int>().Should().Be(1);
        var match = json["files"]![0]!["yara"]!["matches"]![0]!;
        match["rule"]!.GetValue<string>().Should().Be("Token");
        match["namespace"]!.GetValue<string>().Should().Be(good);
        match["tags"]![0]!.GetValue<string>().Should().Be("leak");
        match["meta"]!["level"]!.GetValue<long>().Should().Be(3);
        match["strings"]![0]!["offset"]!.GetValue<long>().Should().Be(3);
        match["strings"]![0]!["preview"]!.GetValue<string>().Should().Be("secret-token");

        CliAdminTests.ShouldFailWithOneLine(
            await RibatProcess.RunAsync("analyze", "file", target, "--yara", Path.Combine(_scratch, "rules", "bad.yar")), 2, "no YARA rules compiled", "bad.yar(1)");
    }
}
