using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

/// <summary>
/// Real MISP warning lists from the shared corpus: MISP/misp-warninglists @ 84f0610a (CC0), read from
/// ../shared/corpus/misp/warninglists/ relative to the repository root.
/// </summary>
public class MispCorpusTests
{
    private static string CorpusDirectory() =>
        SharedCorpus.Path("misp", "warninglists");

    private static WarningListIndex LoadAll(out List<WarningList> lists)
    {
        lists = [];
        var failures = new List<string>();
        foreach (var file in Directory.EnumerateFiles(CorpusDirectory(), "*.json").Order())
        {
            if (WarningList.TryLoadFile(file, out var list, out var reason))
            {
                lists.Add(list!);
            }
            else
            {
                failures.Add(reason);
            }
        }

        failures.Should().BeEmpty();
        return WarningListIndex.Build(lists);
    }

    [Fact]
    public void Every_corpus_list_loads_and_indexes()
    {
        var index = LoadAll(out var lists);
        lists.Should().HaveCount(Directory.EnumerateFiles(CorpusDirectory(), "*.json").Count()).And.HaveCountGreaterThanOrEqualTo(8);
        lists.Select(l => l.Kind).Should().Contain([WarningListKind.Cidr, WarningListKind.Hostname, WarningListKind.String]);
        index.Problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData(ObservableType.IPv4, "10.200.3.4", "List of RFC 1918 CIDR blocks")]
    [InlineData(ObservableType.IPv4, "104.16.1.1", "List of known Cloudflare IP ranges")] // 104.16.0.0/13
    [InlineData(ObservableType.IPv4, "103.21.244.9", "List of known Cloudflare IP ranges")] // 103.21.244.0/22
    [InlineData(ObservableType.IPv4, "103.11.223.200", "List of known Akamai IP ranges")] // 103.11.223.0/24
    [InlineData(ObservableType.IPv4, "13.107.140.6", "List of known Office 365 IP address ranges")] // a /32 entry
    [InlineData(ObservableType.IPv6, "2001:4860:4860::8844", "List of known IPv6 public DNS resolvers")] // Google Public DNS
    [InlineData(ObservableType.IPv6, "2001:4860:4801:10::abcd", "List of known Googlebot IP ranges (https://developers.google.com/search/apis/ipranges/googlebot.json)")]
    [InlineData(ObservableType.Domain, "mail.google.com", "Top 1000 website from Alexa")] // hostname list, label suffix
    [InlineData(ObservableType.Url, "https://en.wikipedia.org/wiki/MISP", "Top 1000 website from Alexa")]
    [InlineData(ObservableType.Domain, "google.com", "List of known google domains")] // string list, exact
    [InlineData(ObservableType.Domain, "www.google.ad", "List of known google domains")] // string list, ".google.ad"
    public void Real_lists_match_real_entries(ObservableType type, string input, string listName)
    {
        var index = LoadAll(out _);
        Observables.TryCanonicalise(type, input, out var value, out var reason).Should().BeTrue(reason);
        index.Match(value).Select(l => l.Name).Should().Contain(listName);
    }

    [Theory]
    [InlineData(ObservableType.IPv4, "104.24.0.0", "List of known Cloudflare IP ranges", true)] // 104.24.0.0/14 start
    [InlineData(ObservableType.IPv4, "104.15.255.255", "List of known Cloudflare IP ranges", false)] // just below 104.16.0.0/13
    [InlineData(ObservableType.Domain, "notgoogle.com", "Top 1000 website from Alexa", false)]
    [InlineData(ObservableType.IPv4, "192.169.0.1", "List of RFC 1918 CIDR blocks", false)]
    public void Range_and_label_boundaries_are_exact(ObservableType type, string input, string listName, bool expected)
    {
        var index = LoadAll(out _);
        Observables.TryCanonicalise(type, input, out var value, out _).Should().BeTrue();
        index.Match(value).Select(l => l.Name).Contains(listName).Should().Be(expected);
    }
}
