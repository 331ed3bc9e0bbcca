using System.Globalization;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

/// <summary>
/// The publicsuffix.org algorithm tests (tests/test_psl.txt, public domain), run against the shipped list
/// (Debian publicsuffix 20230209). Where that list differs from the one the upstream file was written for, the case
/// uses a suffix with the same shape: <c>*.ck</c> with <c>!www.ck</c> for the wildcard-plus-exception TLD.
/// </summary>
public class PublicSuffixListTests
{
    [Theory]
    // Mixed case.
    [InlineData("COM", null)]
    [InlineData("example.COM", "example.com")]
    [InlineData("WwW.example.COM", "example.com")]
    // Leading dot.
    [InlineData(".com", null)]
    [InlineData(".example", null)]
    [InlineData(".example.com", null)]
    [InlineData(".example.example", null)]
    // Unlisted TLD: the implicit "*" rule.
    [InlineData("example", null)]
    [InlineData("example.example", "example.example")]
    [InlineData("b.example.example", "example.example")]
    [InlineData("a.b.example.example", "example.example")]
    // TLD with only one rule.
    [InlineData("biz", null)]
    [InlineData("domain.biz", "domain.biz")]
    [InlineData("b.domain.biz", "domain.biz")]
    [InlineData("a.b.domain.biz", "domain.biz")]
    // TLD with some two-level rules.
    [InlineData("com", null)]
    [InlineData("example.com", "example.com")]
    [InlineData("b.example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("uk.com", null)]
    [InlineData("example.uk.com", "example.uk.com")]
    [InlineData("b.example.uk.com", "example.uk.com")]
    [InlineData("a.b.example.uk.com", "example.uk.com")]
    [InlineData("test.ac", "test.ac")]
    // TLD with only one wildcard rule, and an exception.
    [InlineData("ck", null)]
    [InlineData("c.ck", null)]
    [InlineData("b.c.ck", "b.c.ck")]
    [InlineData("a.b.c.ck", "b.c.ck")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("www.www.ck", "www.ck")]
    // More complex TLD.
    [InlineData("jp", null)]
    [InlineData("test.jp", "test.jp")]
    [InlineData("www.test.jp", "test.jp")]
    [InlineData("ac.jp", null)]
    [InlineData("test.ac.jp", "test.ac.jp")]
    [InlineData("www.test.ac.jp", "test.ac.jp")]
    [InlineData("kyoto.jp", null)]
    [InlineData("test.kyoto.jp", "test.kyoto.jp")]
    [InlineData("ide.kyoto.jp", null)]
    [InlineData("b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("a.b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("c.kobe.jp", null)]
    [InlineData("b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("a.b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("city.kobe.jp", "city.kobe.jp")]
    [InlineData("www.city.kobe.jp", "city.kobe.jp")]
    // US K12.
    [InlineData("us", null)]
    [InlineData("test.us", "test.us")]
    [InlineData("www.test.us", "test.us")]
    [InlineData("ak.us", null)]
    [InlineData("test.ak.us", "test.ak.us")]
    [InlineData("www.test.ak.us", "test.ak.us")]
    [InlineData("k12.ak.us", null)]
    [InlineData("test.k12.ak.us", "test.k12.ak.us")]
    [InlineData("www.test.k12.ak.us", "test.k12.ak.us")]
    // IDN labels, written in Unicode and canonicalised to punycode first.
    [InlineData("食狮.com.cn", "食狮.com.cn")]
    [InlineData("食狮.公司.cn", "食狮.公司.cn")]
    [InlineData("www.食狮.公司.cn", "食狮.公司.cn")]
    [InlineData("shishi.公司.cn", "shishi.公司.cn")]
    [InlineData("公司.cn", null)]
    [InlineData("食狮.中国", "食狮.中国")]
    [InlineData("www.食狮.中国", "食狮.中国")]
    [InlineData("shishi.中国", "shishi.中国")]
    [InlineData("中国", null)]
    // The same, already punycode.
    [InlineData("xn--85x722f.com.cn", "xn--85x722f.com.cn")]
    [InlineData("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("xn--55qx5d.cn", null)]
    [InlineData("xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.xn--fiqs8s", "shishi.xn--fiqs8s")]
    [InlineData("xn--fiqs8s", null)]
    // The PRIVATE section, honoured by default.
    [InlineData("github.io", null)]
    [InlineData("octocat.github.io", "octocat.github.io")]
    [InlineData("www.octocat.github.io", "octocat.github.io")]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    public void Registered_domain_follows_the_published_test_cases(string input, string? expected)
    {
        var host = Canonicalise(input);
        PublicSuffixList.Default.GetRegisteredDomain(host).Should().Be(expected is null ? null : Canonicalise(expected));
        PublicSuffixList.Default.TryGetRegisteredDomain(host, out var domain).Should().Be(expected is not null);
        if (expected is null)
        {
            domain.Should().BeEmpty();
        }
    }

    [Fact]
    public void Null_and_malformed_hosts_have_no_registered_domain()
    {
        var list = PublicSuffixList.Default;
        list.GetRegisteredDomain(null).Should().BeNull();
        list.GetRegisteredDomain("").Should().BeNull();
        list.GetRegisteredDomain("example.com.").Should().BeNull();
        list.GetRegisteredDomain("a..example.com").Should().BeNull();
        list.GetRegisteredDomain("bücher.de").Should().BeNull("input must be canonical punycode");
        list.GetPublicSuffix(null).Should().BeNull();
    }

    [Theory]
    [InlineData("www.example.co.uk", "co.uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("example.local", "local")]
    [InlineData("a.b.c.ck", "c.ck")]
    [InlineData("www.ck", "ck")]
    [InlineData("www.city.kobe.jp", "kobe.jp")]
    [InlineData("x.octocat.github.io", "github.io")]
    [InlineData("localhost", "localhost")]
    public void Public_suffix_is_the_prevailing_rule(string host, string expected)
    {
        // "kobe.jp" is a suffix here only because the exception "!city.kobe.jp" cuts one label off its rule.
        PublicSuffixList.Default.GetPublicSuffix(host).Should().Be(expected);
    }

    [Fact]
    public void Private_rules_can_be_ignored()
    {
        PublicSuffixList.IcannOnly.HonoursPrivateRules.Should().BeFalse();
        PublicSuffixList.Default.HonoursPrivateRules.Should().BeTrue();
        PublicSuffixList.IcannOnly.GetRegisteredDomain("www.octocat.github.io").Should().Be("github.io");
        PublicSuffixList.IcannOnly.GetPublicSuffix("octocat.github.io").Should().Be("io");
        PublicSuffixList.IcannOnly.GetRegisteredDomain("mail.example.co.uk").Should().Be("example.co.uk");
    }

    [Fact]
    public void A_host_that_is_its_own_registered_domain_is_returned_without_copying()
    {
        const string host = "example.co.uk";
        PublicSuffixList.Default.TryGetRegisteredDomain(host, out var domain).Should().BeTrue();
        domain.Should().BeSameAs(host);
        PublicSuffixList.Default.IsRegisteredDomain(host).Should().BeTrue();
        PublicSuffixList.Default.IsRegisteredDomain("www.example.co.uk").Should().BeFalse();
        PublicSuffixList.Default.IsRegisteredDomain("co.uk").Should().BeFalse();
    }

    [Fact]
    public void The_whole_shipped_list_loads_with_its_unicode_rules_as_punycode()
    {
        // About 9,000 ICANN and private rules in the 2023 list; every rule converted to punycode.
        PublicSuffixList.Default.RuleCount.Should().BeGreaterThan(8000);
        PublicSuffixList.Default.IsPublicSuffix("xn--55qx5d.cn").Should().BeTrue(); // 公司.cn
        PublicSuffixList.Default.IsPublicSuffix("xn--fiqs8s").Should().BeTrue(); // 中国
        PublicSuffixList.Default.IsPublicSuffix("co.uk").Should().BeTrue();
        PublicSuffixList.Default.IsPublicSuffix("example.co.uk").Should().BeFalse();
    }

    [Fact]
    public void A_parsed_list_applies_wildcards_exceptions_and_sections()
    {
        var list = PublicSuffixList.Parse("""
            // ===BEGIN ICANN DOMAINS===
            test
            *.wild.test
            !keep.wild.test
            // ===END ICANN DOMAINS===
            // ===BEGIN PRIVATE DOMAINS===
            hosted.test    trailing text is ignored
            // ===END PRIVATE DOMAINS===
            """);
        list.GetRegisteredDomain("a.b.wild.test").Should().Be("a.b.wild.test");
        list.GetRegisteredDomain("x.keep.wild.test").Should().Be("keep.wild.test");
        list.GetRegisteredDomain("x.y.hosted.test").Should().Be("y.hosted.test");
        PublicSuffixList.Parse(list.RuleCount > 0 ? "test\n// ===BEGIN PRIVATE DOMAINS===\nhosted.test" : "", honourPrivateRules: false)
            .GetRegisteredDomain("x.y.hosted.test").Should().Be("hosted.test");
    }

    [Fact]
    public void Many_lookups_give_the_same_answers_as_single_ones()
    {
        // Correctness under repetition only: throughput is measured in bench/, not asserted here.
        var hosts = new[] { "www.example.co.uk", "a.b.c.ck", "octocat.github.io", "x.y.z.example.com", "com" };
        var expected = hosts.Select(h => PublicSuffixList.Default.GetRegisteredDomain(h)).ToArray();
        for (var i = 0; i < 100_000; i++)
        {
            var k = i % hosts.Length;
            PublicSuffixList.Default.IsRegisteredDomain(hosts[k]).Should().Be(expected[k] == hosts[k]);
        }
    }

    private static string Canonicalise(string input) =>
        System.Text.Ascii.IsValid(input) ? input : new IdnMapping().GetAscii(input);
}
