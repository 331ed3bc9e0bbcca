using System.Text;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Exchange;

public class CsvIndicatorReaderTests
{
    private static readonly CsvColumnMapping Full = new()
    {
        ValueColumn = "indicator",
        TypeColumn = "type",
        CommentColumn = "comment",
        TagsColumn = "tags",
        ConfidenceColumn = "confidence",
        FirstSeenColumn = "first_seen",
        LastSeenColumn = "last_seen",
        TlpColumn = "tlp",
    };

    private static ImportResult<IReadOnlyList<ExchangeIndicator>> Read(string csv, CsvColumnMapping? mapping = null, CsvReadOptions? options = null) =>
        CsvIndicatorReader.Read(new StringReader(csv), mapping ?? Full, options);

    [Fact]
    public void Golden_file_with_every_feature_of_rfc_4180_and_the_mapping()
    {
        var csv = "\uFEFFindicator;type;comment;tags;confidence;first_seen;last_seen;tlp\r\n"
            + "198.51.100.7;ip-dst;\"C2; says \"\"hello\"\"\";\"apt28|c2; c2 \";80;2024-05-01;2024-05-02T10:00:00Z;amber\r\n"
            + "hxxps://evil[.]example/gate.php;;\"two\r\nlines\";;;;;TLP:AMBER+STRICT\r\n"
            + "\r\n"
            + "'+4930123456789;phone;;;;;;\r\n"
            + "a.exe|d41d8cd98f00b204e9800998ecf8427e;filename|md5;;;;;;";

        var result = Read(csv);

        result.Issues.Should().BeEmpty();
        result.Value.Should().BeEquivalentTo(new[]
        {
            new ExchangeIndicator
            {
                Type = ObservableType.IPv4, Value = "198.51.100.7", Display = "198.51.100.7", Comment = "C2; says \"hello\"",
                Tags = ["apt28", "c2"], Confidence = 80, FirstSeen = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero),
                LastSeen = new DateTimeOffset(2024, 5, 2, 10, 0, 0, TimeSpan.Zero), Tlp = "tlp:amber", ForDetection = true, Line = 2,
            },
            new ExchangeIndicator { Type = ObservableType.Url, Value = "https://evil.example/gate.php", Display = "https://evil.example/gate.php", Comment = "two\r\nlines", Tlp = "tlp:amber+strict", ForDetection = true, Line = 3 },
            new ExchangeIndicator { Type = ObservableType.Phone, Value = "+4930123456789", Display = "+4930123456789", ForDetection = true, Line = 6 },
            new ExchangeIndicator { Type = ObservableType.FileName, Value = "a.exe", Display = "a.exe", ForDetection = true, Line = 7 },
            new ExchangeIndicator { Type = ObservableType.Md5, Value = "d41d8cd98f00b204e9800998ecf8427e", Display = "d41d8cd98f00b204e9800998ecf8427e", ForDetection = true, Line = 7 },
        }, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    public void The_delimiter_is_detected_from_the_header_line(char delimiter)
    {
        var csv = $"\"indicator{(delimiter == ',' ? ";" : ",")}x\"{delimiter}type\n198.51.100.7{delimiter}ipv4\n";

        var result = Read(csv, new CsvColumnMapping { ValueColumn = $"indicator{(delimiter == ',' ? ";" : ",")}x", TypeColumn = "type" });

        result.Value.Should().ContainSingle().Which.Value.Should().Be("198.51.100.7");
    }

    [Fact]
    public void A_given_delimiter_wins_over_detection()
    {
        var result = Read("indicator;x,y\n198.51.100.7;a,b\n", new CsvColumnMapping { ValueColumn = "indicator" }, new CsvReadOptions { Delimiter = ';' });

        result.Value.Should().ContainSingle();
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Line_numbers_are_right_for_every_line_ending(string eol)
    {
        var csv = string.Join(eol, "indicator,comment", "198.51.100.7,\"a" + eol + "b\"", "300.1.1.1,x", "evil.example,y") + eol;

        var result = Read(csv, new CsvColumnMapping { ValueColumn = "indicator", CommentColumn = "comment" });

        result.Value!.Select(i => i.Value).Should().Equal("198.51.100.7", "evil.example");
        result.Value![0].Comment.Should().Be("a" + eol + "b");
        result.Value!.Select(i => i.Line).Should().Equal([2, 5], "a record is named by the line it starts on");
        result.Issues.Should().ContainSingle().Which.Line.Should().Be(4);
    }

    [Fact]
    public void Every_bad_row_is_named_by_line_column_and_reason_and_good_rows_stay()
    {
        var csv = """
            indicator,type,comment,tags,confidence,first_seen,last_seen,tlp
            2001:db8::1,ipv4,,,,,,
            evil.example,planet,,,,,,
            evil.example,domain,a,b
            evil.example,domain,,,high,,,
            evil.example,domain,,,,01/05/2024,,
            evil.example,domain,,,,,,purple
            evil.example,domain,,,,2024-05-02,2024-05-01,
            ,domain,,,,,,
            good.example,domain,,,,,,
            """;

        var result = Read(csv);

        result.Value!.Select(i => i.Value).Should().Equal("good.example");
        result.Issues.Select(i => (i.Line, i.Column, i.Reason)).Should().Equal(
            (2, "indicator", "'2001:db8::1': not a valid IPv4 address: unexpected character ':'."),
            (3, "type", "unknown type 'planet': use a Ribat type (ipv4, domain, sha256, file-name...), a MISP type (ip-dst, filename|md5...), ip or hash."),
            (4, null, "the row has 4 fields where the header has 8; is a delimiter inside an unquoted value?"),
            (5, "confidence", "'high' is not a whole number from 0 to 100."),
            (6, "first_seen", "'01/05/2024' is not an ISO 8601 date (2024-05-01 or 2024-05-01T10:00:00Z)."),
            (7, "tlp", "'purple' is not a TLP level (clear, white, green, amber, amber+strict, red)."),
            (8, "first_seen", "first seen is after last seen."),
            (9, "indicator", "the value is empty."));
    }

    [Fact]
    public void An_unterminated_quote_is_reported_on_the_line_where_the_field_started()
    {
        var result = Read("indicator,comment\nevil.example,fine\nother.example,\"never closed\nmore text\nand more\n", new CsvColumnMapping { ValueColumn = "indicator", CommentColumn = "comment" });

        result.Value!.Select(i => i.Value).Should().Equal("evil.example");
        result.Issues.Should().ContainSingle().Which.Should().Be(
            new ImportIssue(3, "comment", "the quoted field opened on line 3 is never closed (the input ends inside it)."));
    }

    [Fact]
    public void Types_are_detected_by_shape_when_no_type_is_mapped()
    {
        var csv = "ioc\n198.51.100.7\n2001:db8::1\n203.0.113.0/24\nevil[.]example\nhxxp://evil.example/x\nboss@evil.example\n"
            + "d41d8cd98f00b204e9800998ecf8427e\nAS64500\ninvoice.pdf.exe\n+4930123456789\nDE89 3704 0044 0532 0130 00\n"
            + "t13d1516h2_8daaf6152771_02713d6af862\n0x52908400098527886E0F7030069857D2E4169EE7\ntelegram:evil_admin\n";

        var result = Read(csv, CsvIndicatorReader.SuggestMapping(["ioc"]));

        result.Issues.Should().BeEmpty();
        result.Value!.Select(i => i.Type).Should().Equal(
            ObservableType.IPv4, ObservableType.IPv6, ObservableType.Cidr, ObservableType.Domain, ObservableType.Url,
            ObservableType.Email, ObservableType.Md5, ObservableType.Asn, ObservableType.FileName, ObservableType.Phone,
            ObservableType.Iban, ObservableType.Ja4, ObservableType.EthereumAddress, ObservableType.UserAccount);
    }

    [Fact]
    public void A_fixed_type_applies_to_rows_without_a_type()
    {
        var result = Read("domain,kind\nevil.example,\n198.51.100.7,\n203.0.113.9,ipv4\n", new CsvColumnMapping { ValueColumn = "domain", TypeColumn = "kind", FixedType = ObservableType.Domain });

        result.Value!.Select(i => (i.Type, i.Value)).Should().Equal((ObservableType.Domain, "evil.example"), (ObservableType.IPv4, "203.0.113.9"));
        result.Issues.Should().ContainSingle().Which.Line.Should().Be(3);
    }

    [Fact]
    public void A_MISP_composite_type_keeps_the_part_Ribat_knows_and_lists_the_other()
    {
        var result = Read("value,type\na.exe|f34d5f2d4577ed6d9ceec516c1f5a744,filename|imphash\n", new CsvColumnMapping { ValueColumn = "value", TypeColumn = "type" });

        result.Value!.Select(i => (i.Type, i.Value)).Should().Equal((ObservableType.FileName, "a.exe"));
        result.Skipped.Should().ContainSingle().Which.Should().Be(new ImportIssue(2, "type", "type 'filename|imphash': the 'imphash' part has no Ribat observable type."));
    }

    [Fact]
    public void A_header_that_cannot_be_read_fails_on_its_line()
    {
        var result = Read("\n\n\"value\n", new CsvColumnMapping { ValueColumn = "value" });

        result.Succeeded.Should().BeFalse();
        result.Issues.Should().ContainSingle().Which.Should().Be(new ImportIssue(3, null,
            "the header row cannot be read: the quoted field opened on line 3 is never closed (the input ends inside it)."));
    }

    [Theory]
    [InlineData("value", "nope", "the type column 'nope' is not in the header ('value', 'x').")]
    [InlineData("missing", null, "the value column 'missing' is not in the header ('value', 'x').")]
    public void A_mapping_that_does_not_fit_the_header_fails_with_the_header_named(string value, string? type, string reason)
    {
        var result = Read("value,x\n1.2.3.4,y\n", new CsvColumnMapping { ValueColumn = value, TypeColumn = type });

        result.Succeeded.Should().BeFalse();
        result.Issues.Should().ContainSingle().Which.Reason.Should().Be(reason);
    }

    [Fact]
    public void A_duplicated_mapped_column_and_an_empty_file_fail_clearly()
    {
        Read("value,Value\n1.2.3.4,5.6.7.8\n", new CsvColumnMapping { ValueColumn = "value" }).Issues.Single().Reason
            .Should().Be("the value column 'value' appears 2 times in the header; rename one.");
        Read("").Issues.Single().Reason.Should().Be("the input is empty: a header row is expected.");
        Read("\n\n  \n").Issues.Single().Reason.Should().Be("the input is empty: a header row is expected.");
    }

    [Fact]
    public void Field_and_record_limits_name_the_row_and_reading_goes_on()
    {
        var options = new CsvReadOptions { MaxFieldLength = 100, MaxRecordLength = 1000 };
        var csv = $"indicator,comment\nevil.example,{new string('x', 101)}\nevil.example,{string.Concat(Enumerable.Repeat("\"y\",", 400))}\nok.example,fine\n";

        var result = Read(csv, new CsvColumnMapping { ValueColumn = "indicator", CommentColumn = "comment" }, options);

        result.Value!.Select(i => i.Value).Should().Equal("ok.example");
        result.Issues.Select(i => (i.Line, i.Column, i.Reason)).Should().Equal(
            (2, "comment", "the field is longer than 100 characters, the limit."),
            (3, null, "the record is longer than 1000 characters, the limit."));
    }

    [Fact]
    public void Reading_stops_at_the_row_limit_without_reading_the_rest()
    {
        var endless = new EndlessReader("indicator\n", n => $"198.51.{n / 256 % 256}.{n % 256}\n");

        var result = CsvIndicatorReader.Read(endless, new CsvColumnMapping { ValueColumn = "indicator" }, new CsvReadOptions { MaxRows = 1000 });

        result.Value.Should().HaveCount(1000);
        result.Issues.Should().ContainSingle().Which.Should().Be(new ImportIssue(1002, null, "stopped after 1000 rows, the limit: this row and the rest of the input were not read."));
        endless.LinesServed.Should().BeLessThan(5000);
    }

    [Fact]
    public void A_huge_line_without_any_line_break_is_refused_by_the_record_limit()
    {
        var endless = new EndlessReader("indicator\n", _ => new string('a', 4096));

        var options = new CsvReadOptions { MaxFieldLength = int.MaxValue };

        var result = CsvIndicatorReader.Read(new LimitedReader(endless, 50_000_000), new CsvColumnMapping { ValueColumn = "indicator" }, options);

        result.Issues.Should().ContainSingle().Which.Reason.Should().Be("the record is longer than 1048576 characters, the limit.");
    }

    [Fact]
    public void The_preview_shows_the_header_and_first_rows_and_reads_no_further()
    {
        var endless = new EndlessReader("Indicator\tType\tDescription\n", n => $"198.51.100.{n % 256}\tipv4\trow {n}\n");

        var preview = CsvIndicatorReader.Preview(endless, 3);

        preview.Delimiter.Should().Be('\t');
        preview.Header.Should().Equal("Indicator", "Type", "Description");
        preview.Rows.Should().HaveCount(3);
        preview.Rows[2].Should().Equal("198.51.100.2", "ipv4", "row 2");
        preview.SuggestedMapping.Should().BeEquivalentTo(new CsvColumnMapping { ValueColumn = "Indicator", TypeColumn = "Type", CommentColumn = "Description" });
        endless.LinesServed.Should().BeLessThan(2000);
    }

    [Fact]
    public async Task Reading_asynchronously_gives_the_same_result()
    {
        var csv = "indicator,type\n198.51.100.7,ipv4\nbad,ipv4\n";

        var result = await CsvIndicatorReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new CsvColumnMapping { ValueColumn = "indicator", TypeColumn = "type" });

        result.Should().BeEquivalentTo(Read(csv, new CsvColumnMapping { ValueColumn = "indicator", TypeColumn = "type" }));
    }

    private const string Alphabet = ",;\t\"\r\n.:/@ab1";

    [Fact]
    public void Random_bytes_never_throw_and_every_reason_is_one_line()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var bytes = new byte[random.Next(0, 5000)];
            random.NextBytes(bytes);
            if (round % 3 == 0)
            {
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)Alphabet[bytes[i] % Alphabet.Length];
                }
            }

            var result = CsvIndicatorReader.Read(new MemoryStream(bytes), new CsvColumnMapping { ValueColumn = "a" });

            result.Issues.Concat(result.Skipped).Should().AllSatisfy(i => i.ShouldBeOneLine());
        }
    }

    /// <summary>Ends another reader after a number of characters.</summary>
    private sealed class LimitedReader(TextReader inner, long limit) : TextReader
    {
        private long _served;

        public override int Read(char[] buffer, int index, int count)
        {
            var read = inner.Read(buffer, index, (int)Math.Min(count, limit - _served));
            _served += read;
            return read;
        }
    }
}
