using System.Text;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Exchange;

public class TextIndicatorReaderTests
{
    private static ImportResult<IReadOnlyList<ExchangeIndicator>> Read(string text, TextReadOptions? options = null) =>
        TextIndicatorReader.Read(new StringReader(text), options);

    [Fact]
    public void Golden_list_with_comments_blank_lines_and_defanged_values()
    {
        var text = "\uFEFF# Phishing kit, seen 2024-05-01\r\n\r\nhxxps://login-micros0ft[.]example/owa  # landing page\r\n"
            + "   198.51.100.7\t# C2\r\n# 203.0.113.1 (removed)\r\nhttps://evil.example/#fragment\r\nboss[@]evil[.]example\r\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

        var result = Read(text);

        result.Issues.Should().BeEmpty();
        result.Value!.Select(i => (i.Type, i.Value, i.Comment)).Should().Equal(
            (ObservableType.Url, "https://login-micros0ft.example/owa", "landing page"),
            (ObservableType.IPv4, "198.51.100.7", "C2"),
            (ObservableType.Url, "https://evil.example/#fragment", null),
            (ObservableType.Email, "boss@evil.example", null),
            (ObservableType.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", null));
        result.Value.Should().OnlyContain(i => i.ForDetection);
    }

    [Fact]
    public void A_line_that_is_not_one_observable_is_an_issue_with_its_number()
    {
        var text = "evil.example\n198.51.100.7 203.0.113.9\n1.2.3.256\nsee evil.example for details\nhello\nd41d8cd98f00b204e9800998ecf8427\nok.example\n";

        var result = Read(text);

        result.Value!.Select(i => i.Value).Should().Equal("evil.example", "ok.example");
        result.Issues.Select(i => (i.Line, i.Reason)).Should().Equal(
            (2, "'198.51.100.7 203.0.113.9' holds more than one observable (ipv4 '198.51.100.7', ipv4 '203.0.113.9'); expected one."),
            (3, "'1.2.3.256' is not a valid IPv4 address: part greater than 255."),
            (4, "'see evil.example for details' holds the domain 'evil.example' and other text; expected the value alone."),
            (5, "'hello' is not a recognisable observable."),
            (6, "'d41d8cd98f00b204e9800998ecf8427' is not a digest: 31 hex digits, where MD5, SHA-1, SHA-256 and SHA-512 have 32, 40, 64 and 128."));
    }

    [Fact]
    public void A_given_type_is_applied_to_every_line()
    {
        var result = Read("evil.example\nmail.evil.example\n198.51.100.7\n", new TextReadOptions { Type = ObservableType.Hostname });

        result.Value!.Select(i => (i.Type, i.Value)).Should().Equal((ObservableType.Hostname, "evil.example"), (ObservableType.Hostname, "mail.evil.example"));
        result.Issues.Should().ContainSingle().Which.Line.Should().Be(3);
    }

    [Fact]
    public void A_line_over_the_limit_is_reported_and_the_next_ones_are_read()
    {
        var result = Read($"evil.example\n{new string('a', 5000)}\nok.example", new TextReadOptions { MaxLineLength = 1000 });

        result.Value!.Select(i => i.Value).Should().Equal("evil.example", "ok.example");
        result.Issues.Should().ContainSingle().Which.Should().Be(new ImportIssue(2, null, "the line is 5000 characters, longer than the 1000 allowed; skipped."));
    }

    [Fact]
    public void Reading_stops_at_the_indicator_limit_without_reading_the_rest()
    {
        var endless = new EndlessReader(string.Empty, n => $"198.51.{n / 256 % 256}.{n % 256}\n");

        var result = TextIndicatorReader.Read(endless, new TextReadOptions { MaxIndicators = 500 });

        result.Value.Should().HaveCount(500);
        result.Issues.Should().ContainSingle().Which.Reason.Should().StartWith("stopped after 500 indicators, the limit");
        endless.LinesServed.Should().BeLessThan(3000);
    }

    [Fact]
    public async Task Streams_are_read_as_utf8_asynchronously()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("bücher.example\n")).ToArray();

        var result = await TextIndicatorReader.ReadAsync(new MemoryStream(bytes));

        result.Value.Should().ContainSingle().Which.Should().Match<ExchangeIndicator>(i => i.Value == "xn--bcher-kva.example" && i.Display == "bücher.example");
    }

    [Fact]
    public void Random_bytes_never_throw_and_every_reason_is_one_line()
    {
        var random = new Random(11);
        for (var round = 0; round < 200; round++)
        {
            var bytes = new byte[random.Next(0, 5000)];
            random.NextBytes(bytes);

            var result = TextIndicatorReader.Read(new MemoryStream(bytes));

            result.Succeeded.Should().BeTrue();
            result.Issues.Should().AllSatisfy(i => i.ShouldBeOneLine());
        }
    }
}
