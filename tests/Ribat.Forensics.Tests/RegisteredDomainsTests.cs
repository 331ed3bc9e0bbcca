using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

public class RegisteredDomainsTests
{
    [Theory]
    [InlineData(ObservableType.Domain, "example.co.uk", "example.co.uk")]
    [InlineData(ObservableType.Hostname, "mail.example.co.uk", "example.co.uk")]
    [InlineData(ObservableType.Hostname, "fileserver01", null)]
    [InlineData(ObservableType.Domain, "co.uk", null)]
    [InlineData(ObservableType.Url, "https://user:pw@Login.Example.CO.UK:8443/a?b#c", "example.co.uk")]
    [InlineData(ObservableType.Url, "http://cdn.xn--bcher-kva.example/", "xn--bcher-kva.example")]
    [InlineData(ObservableType.Url, "https://bücher.example/x", "xn--bcher-kva.example")]
    [InlineData(ObservableType.Url, "http://198.51.100.7:8080/x", null)]
    [InlineData(ObservableType.Url, "http://[2001:db8::1]/x", null)]
    [InlineData(ObservableType.Email, "Billing@Pay.Example.com", "example.com")]
    [InlineData(ObservableType.IPv4, "198.51.100.7", null)]
    [InlineData(ObservableType.Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", null)]
    public void Of_finds_the_registered_domain_behind_a_value(ObservableType type, string input, string? expected)
    {
        Observables.TryCanonicalise(type, input, out var value, out var reason).Should().BeTrue(reason);
        RegisteredDomains.Of(value).Should().Be(expected);
    }

    [Fact]
    public void Of_honours_a_list_without_private_rules()
    {
        Observables.TryCanonicalise(ObservableType.Hostname, "www.octocat.github.io", out var value, out _).Should().BeTrue();
        RegisteredDomains.Of(value).Should().Be("octocat.github.io");
        RegisteredDomains.Of(value, PublicSuffixList.IcannOnly).Should().Be("github.io");
        RegisteredDomains.Of(default).Should().BeNull();
    }

    [Theory]
    [InlineData("Relay via mail.example.co.uk today", ObservableType.Hostname, "mail.example.co.uk")]
    [InlineData("Registered example.co.uk today", ObservableType.Domain, "example.co.uk")]
    [InlineData("Pages at octocat.github.io", ObservableType.Domain, "octocat.github.io")]
    [InlineData("Pages at www.octocat.github.io", ObservableType.Hostname, "www.octocat.github.io")]
    [InlineData("Hosted on github.io", ObservableType.Domain, "github.io")]
    [InlineData("See hxxp://Mail.Example.CO.UK/x", ObservableType.Hostname, "mail.example.co.uk")]
    [InlineData("Bought bücher.example", ObservableType.Domain, "xn--bcher-kva.example")]
    public void Extractor_tells_a_registered_domain_from_a_host_name(string text, ObservableType type, string canonical)
    {
        var found = IocExtractor.Extract(text).Observables.Where(o => o.Type is ObservableType.Domain or ObservableType.Hostname).ToList();
        found.Should().ContainSingle().Which.Should().Match<ExtractedObservable>(o => o.Type == type && o.Canonical == canonical);
    }
}
