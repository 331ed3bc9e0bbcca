using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

public sealed class LookalikeTests
{
    private static ProtectedDomains Protect(params string[] domains)
    {
        ProtectedDomains.TryParse(domains, out var parsed, out var reason).Should().BeTrue(reason);
        return parsed;
    }

    private static Lookalike? Check(string host, params string[] protectedDomains) =>
        LookalikeDetector.Check(host, "from", Protect(protectedDomains.Length == 0 ? ["paypal.com"] : protectedDomains));

    [Fact]
    public void Cyrillic_letters_in_punycode_are_decoded_and_named()
    {
        // "pаypal" with U+0430 CYRILLIC SMALL LETTER A, as a mail client would carry it.
        var found = Check("xn--pypal-4ve.com");

        found.Should().NotBeNull();
        found!.Kind.Should().Be("homoglyph");
        found.Protected.Should().Be("paypal.com");
        found.Display.Should().Be("p\u0430ypal.com");
        found.Detail.Should().Contain("U+0430").And.Contain("for 'a'");
    }

    [Theory]
    [InlineData("paypa1.com", "homoglyph")]
    [InlineData("rnicrosoft.com", "homoglyph")]
    [InlineData("paypall.com", "typo")]
    [InlineData("paypla.com", "typo")]
    [InlineData("pyapal.net", "typo")]
    [InlineData("paypal-secure-login.com", "added-words")]
    [InlineData("securepaypal.co", "added-words")]
    [InlineData("paypal.com.account-check.info", "subdomain")]
    [InlineData("paypal.co.uk", "tld-swap")]
    [InlineData("paypal.de", "tld-swap")]
    public void Imitations_of_protected_domains_are_named_by_kind(string host, string kind)
    {
        var found = Check(host, "paypal.com", "microsoft.com");

        found.Should().NotBeNull(host);
        found!.Kind.Should().Be(kind, found.Detail);
    }

    [Theory]
    [InlineData("paypal.com")]
    [InlineData("www.paypal.com")]
    [InlineData("mail.service.paypal.com")]
    [InlineData("example.org")]
    [InlineData("pay.com")]
    [InlineData("paystack.com")]
    public void The_protected_domain_itself_and_unrelated_domains_are_not_lookalikes(string host) =>
        Check(host).Should().BeNull();

    [Fact]
    public void Short_labels_allow_fewer_edits()
    {
        Check("ebey.com", "ebay.com")!.Kind.Should().Be("typo");
        Check("ebxy.com", "ebay.com")!.Kind.Should().Be("typo");
        Check("exby.com", "ebay.com").Should().BeNull("two edits on a four-letter label match half the dictionary");
        Check("bbc.org", "bbc.com")!.Kind.Should().Be("tld-swap");
        Check("bbd.com", "bbc.com").Should().BeNull("labels under four letters need an exact skeleton");
    }

    [Fact]
    public void A_label_mixing_scripts_is_reported_even_without_a_protected_match()
    {
        // "gооgle" with two U+043E CYRILLIC SMALL LETTER O, against an unrelated protected list.
        var found = LookalikeDetector.Check("xn--ggle-55da.com", "url", Protect("example.org"));

        found.Should().NotBeNull();
        found!.Kind.Should().Be("mixed-script");
        found.Protected.Should().BeNull();
        found.Detail.Should().Contain("Latin and Cyrillic");
    }

    [Fact]
    public void Greek_and_accented_letters_reduce_to_their_latin_skeleton()
    {
        Confusables.Skeleton("αpple").Should().Be("apple");
        Confusables.Skeleton("páypäl").Should().Be("paypal");
        Confusables.Skeleton("g00gle").Should().Be("google");
        Check("xn--pple-43d.com", "apple.com")!.Kind.Should().Be("homoglyph");
    }

    [Theory]
    [InlineData("paypal", "paypal", 0)]
    [InlineData("paypal", "paypall", 1)]
    [InlineData("paypal", "pyapal", 1)]
    [InlineData("paypal", "papyal", 1)]
    [InlineData("paypal", "paypl", 1)]
    [InlineData("paypal", "qaypak", 2)]
    [InlineData("paypal", "xxxxal", 3)]
    [InlineData("", "abc", 3)]
    public void Edit_distance_counts_swaps_of_neighbours_as_one(string a, string b, int expected) =>
        EditDistance.Bounded(a, b, 2).Should().Be(Math.Min(expected, 3));

    [Fact]
    public void A_protected_list_refuses_public_suffixes_and_garbage()
    {
        ProtectedDomains.TryParse(["co.uk"], out _, out var reason).Should().BeFalse();
        reason.Should().Contain("public suffix");
        ProtectedDomains.TryParse(["not a domain"], out _, out reason).Should().BeFalse();
        reason.Should().Contain("not a domain");
        ProtectedDomains.TryParse(["www.PayPal.com", "# comment", "", "paypal.com"], out var parsed, out _).Should().BeTrue();
        parsed.Count.Should().Be(1, "a host name counts as its registered domain, once");
    }
}
