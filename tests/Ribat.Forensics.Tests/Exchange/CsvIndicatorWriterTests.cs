using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Exchange;

public class CsvIndicatorWriterTests
{
    private static string Write(params ExchangeIndicator[] indicators)
    {
        var output = new StringWriter();
        CsvIndicatorWriter.Write(indicators, output);
        return output.ToString();
    }

    private static ExchangeIndicator Indicator(ObservableType type, string value) =>
        Observables.TryCanonicalise(type, value, out var c, out _)
            ? new ExchangeIndicator { Type = type, Value = c.Value, Display = c.Display, ForDetection = true }
            : throw new ArgumentException(value);

    [Fact]
    public void Golden_output_quotes_only_where_needed()
    {
        var csv = Write(
            Indicator(ObservableType.Domain, "xn--bcher-kva.example") with
            {
                Comment = "says \"hi\", twice",
                Tags = ["apt28", "c2"],
                Confidence = 80,
                Tlp = "tlp:amber",
                FirstSeen = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)),
                LastSeen = new DateTimeOffset(2024, 5, 2, 0, 0, 0, 500, TimeSpan.Zero),
            },
            Indicator(ObservableType.Iban, "DE89370400440532013000") with { Comment = "two\nlines" });

        csv.Should().Be(
            "type,value,display,comment,tags,confidence,first_seen,last_seen,tlp\r\n"
            + "domain,xn--bcher-kva.example,bücher.example,\"says \"\"hi\"\", twice\",apt28;c2,80,2024-05-01T10:00:00Z,2024-05-02T00:00:00.5Z,tlp:amber\r\n"
            + "iban,DE89370400440532013000,DE89 3704 0044 0532 0130 00,\"two\nlines\",,,,,\r\n");
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"click\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public void A_cell_a_spreadsheet_would_run_is_written_as_text(string comment)
    {
        var csv = Write(Indicator(ObservableType.Phone, "+4930123456789") with { Comment = comment });

        var cells = CsvIndicatorReader.Preview(new StringReader(csv), 1).Rows.Single();
        cells.Should().AllSatisfy(cell => (cell.Length == 0 || !CsvIndicatorWriter.IsFormulaStart(cell[0])).Should().BeTrue($"'{cell}' must not start a formula"));
        cells[1].Should().Be("'+4930123456789");
        cells[3].Should().Be("'" + comment);
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        var indicators = new[]
        {
            Indicator(ObservableType.Phone, "+4930123456789") with { Comment = "=cmd|' /C calc'!A0\r\n\"quoted\", with comma", Tags = ["a", "b c"], Confidence = 0, Tlp = "tlp:red" },
            Indicator(ObservableType.Url, "https://evil.example/a,b?c=\"d\"") with { FirstSeen = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero) },
            Indicator(ObservableType.UserAccount, "telegram:-evil"),
            Indicator(ObservableType.Cidr, "2001:db8::/32") with { Confidence = 100, LastSeen = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 250, TimeSpan.Zero) },
        };

        var result = CsvIndicatorReader.Read(new StringReader(Write(indicators)), CsvIndicatorWriter.Mapping);

        result.Issues.Should().BeEmpty();
        result.Value.Should().BeEquivalentTo(indicators, o => o.WithStrictOrdering().Excluding(i => i.Line));
    }

    [Fact]
    public async Task Writing_asynchronously_gives_the_same_text()
    {
        var indicators = new[] { Indicator(ObservableType.Domain, "evil.example") with { Comment = "x, y" } };
        var output = new StringWriter();

        await CsvIndicatorWriter.WriteAsync(indicators, output);

        output.ToString().Should().Be(Write(indicators));
    }
}
