using System.Text;
using Ribat.Forensics.Exchange;

namespace Ribat.Forensics.Tests.Exchange;

/// <summary>
/// MISP events from PyMISP's test suite (MISP/PyMISP @ 99a1c797, BSD-2), read from ../shared/corpus/misp/events/
/// relative to the repository root. Never copied into the repository.
/// </summary>
internal static class ExchangeCorpus
{
    public static string EventsDirectory() =>
        SharedCorpus.Path("misp", "events");

    /// <summary>Expected outputs kept beside these tests.</summary>
    public static string Golden(string file) =>
        File.ReadAllText(Path.Combine(SharedCorpus.RepositoryRoot(), "tests", "Ribat.Forensics.Tests", "Exchange", "Golden", file));

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(EventsDirectory(), file));

    public static IEnumerable<string> EventFiles() =>
        Directory.EnumerateFiles(EventsDirectory(), "*.json").Select(Path.GetFileName).Order()!;

    public static ImportResult<IReadOnlyList<ExchangeReport>> ReadMisp(string json, MispReadOptions? options = null) =>
        MispEventReader.Read(Encoding.UTF8.GetBytes(json), options);

    public static ExchangeReport ReadSingle(string json)
    {
        var result = ReadMisp(json);
        result.Succeeded.Should().BeTrue(string.Join(" / ", result.Issues));
        result.Value.Should().ContainSingle();
        return result.Value![0];
    }

    /// <summary>A one-attribute event, for mapping tests.</summary>
    public static string EventWith(string attributesJson, string extra = "") =>
        "{\"Event\": {\"info\": \"test\", " + extra + " \"Attribute\": [" + attributesJson + "]}}";

    public static void ShouldBeOneLine(this ImportIssue issue)
    {
        issue.Reason.Should().NotContain("\n").And.NotContain("   at ").And.NotBeNullOrWhiteSpace();
    }
}
