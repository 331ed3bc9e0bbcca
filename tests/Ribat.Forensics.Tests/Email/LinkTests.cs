using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

public sealed class LinkTests
{
    private const string Headers = """
        From: a@sender.test
        Date: Mon, 1 Jun 2026 10:00:00 +0000
        Message-ID: <1@sender.test>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b"
        """;

    private static EmailReport Analyse(string text, string html, string? protect = null) =>
        Mail.Analyse(Mail.Message(Headers, $"""
            --b
            Content-Type: text/plain; charset=utf-8

            {text}
            --b
            Content-Type: text/html; charset=utf-8

            {html}
            --b--
            """), Mail.Options(protect: protect));

    [Fact]
    public void Urls_in_text_are_refanged_canonical_and_listed_once()
    {
        var report = Analyse("See hxxps://Files.Example[.]com/a?b=C and https://files.example.com/a?b=C again.", "<p>none</p>");

        var url = report.Urls.Should().ContainSingle().Subject;
        url.Url.Should().Be("https://files.example.com/a?b=C");
        url.Host.Should().Be("files.example.com");
        url.RegisteredDomain.Should().Be("example.com");
        url.Source.Should().Be("text");
        report.Indicators.Select(i => i.ToString()).Should().Contain(["url:https://files.example.com/a?b=C", "domain:example.com"]);
    }

    [Fact]
    public void Html_links_whose_text_shows_another_domain_are_flagged()
    {
        var report = Analyse("plain", """
            <a href="https://login.evil.test/p?u=1&amp;v=2">https://www.bank.test/login</a>
            <a href='https://www.bank.test/help'>www.bank.test</a>
            <A HREF=//cdn.other.test/x.png>see our <b>offer</b></A>
            <img src="https://track.test/pixel.gif"><form action="https://post.test/f"></form>
            <a href="mailto:x@y.test">mail</a><a href="javascript:void(0)">js</a>
            """, protect: "bank.test");

        var phish = report.Urls.Single(u => u.Host == "login.evil.test");
        phish.Url.Should().Be("https://login.evil.test/p?u=1&v=2", "entities are decoded");
        phish.TextMismatch.Should().BeTrue();
        phish.LinkText.Should().Be("https://www.bank.test/login");
        phish.MismatchDetail.Should().Be("the link text shows bank.test but the link leads to evil.test.");
        report.Urls.Single(u => u.Url == "https://www.bank.test/help").TextMismatch.Should().BeFalse();
        report.Urls.Where(u => u.Host == "cdn.other.test").Select(u => u.Url).Should().Equal("http://cdn.other.test/x.png");
        report.Urls.Single(u => u.Host == "cdn.other.test").Should().Match<MessageUrl>(u => u.Url == "http://cdn.other.test/x.png" && !u.TextMismatch && u.LinkText == "see our offer");
        report.Urls.Select(u => u.Host).Should().Contain(["track.test", "post.test"]).And.NotContain("y.test");
        report.Verdict.Level.Should().Be(VerdictLevel.Malicious);
        report.Verdict.Reasons[0].Reason.Should().Contain("shows bank.test");
    }

    [Fact]
    public void Broken_html_never_stops_the_scan()
    {
        var report = Analyse("x", "<a href=\"https://a.test/1\">one<a href=https://b.test/2 <<<>><a href=https://c.test/3 >three</a><a href=\"unterminated");

        report.Urls.Select(u => u.Host).Should().Equal("a.test", "b.test", "c.test");
    }

    [Fact]
    public void A_link_to_a_bare_ip_address_is_suspicious()
    {
        var report = Analyse("Log in at http://203.0.113.50/login now", "<p/>");

        report.Urls.Single().RegisteredDomain.Should().BeNull();
        report.Verdict.Reasons.Should().ContainSingle(r => r.Reason.Contains("bare IP address"));
    }
}
