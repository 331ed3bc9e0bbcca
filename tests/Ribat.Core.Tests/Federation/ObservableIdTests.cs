using Ribat.Core.Federation;
using Ribat.Stix.Identifiers;

namespace Ribat.Core.Tests.Federation;

/// <summary>An indicator's observable gets the id the general STIX derivation gives, by the short way, for every type.</summary>
public sealed class ObservableIdTests
{
    [Theory]
    [InlineData("ipv4", "198.51.100.3")]
    [InlineData("ipv6", "2001:db8::1")]
    [InlineData("cidr", "198.51.100.0/24")]
    [InlineData("cidr", "2001:db8::/32")]
    [InlineData("domain", "xn--bcher-kva.example")]
    [InlineData("hostname", "mail.example.org")]
    [InlineData("url", "https://login.example.org/reset?x='1'&y=\\2\"")]
    [InlineData("email", "someone@example.org")]
    [InlineData("asn", "AS64500")]
    [InlineData("asn", "AS4294967295")]
    [InlineData("file-name", "invoice «final» \"2\".exe")]
    [InlineData("user-account", "someone\\x")]
    [InlineData("md5", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("sha256", "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f")]
    [InlineData("sha512", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
    [InlineData("ssdeep", "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C")]
    public void The_observable_id_is_the_general_derivation(string type, string value)
    {
        var observable = StixObservableMap.Observable(type, value)!;
        observable.Id.Should().Be(StixIdentifier.Deterministic(observable));
    }

    [Theory]
    [InlineData("btc-address", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT")]
    [InlineData("iban", "DE89370400440532013000")]
    [InlineData("ja3", "e7d705a3286e19ea42f587b344ee6865")]
    public void Types_without_a_stix_observable_have_none(string type, string value) =>
        StixObservableMap.Observable(type, value).Should().BeNull();
}
