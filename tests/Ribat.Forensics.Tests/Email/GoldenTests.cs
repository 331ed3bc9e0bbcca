using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

/// <summary>
/// Hand-written messages under <c>Golden/</c>, each with the report expected of it beside it
/// (<c>name.eml</c> → <c>name.expected.json</c>), analysed protecting paypal.com with corp.example internal.
/// </summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Files() => [.. Directory.GetFiles(Folder(), "*.eml").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public void The_report_equals_the_expected_json(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(Folder(), name));
        var report = Mail.AnalyseAll(raw, Mail.Options(protect: "paypal.com", internalNetworks: "corp.example")).Should().ContainSingle().Subject;

        var actual = JsonNode.Parse(Mail.Json(report));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(), Path.ChangeExtension(name, ".expected.json"))));
        JsonNode.DeepEquals(actual, expected).Should().BeTrue($"{name} gave:\n{Mail.Json(report)}");
    }

    [Fact]
    public void There_are_golden_files() => Files().Count.Should().BeGreaterThanOrEqualTo(2);

    private static string Folder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
