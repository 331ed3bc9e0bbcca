using System.Diagnostics;
using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

public class IocExtractorTests
{
    // A made-up advisory in the style national CERTs publish: defanged, mixed with prose, versions and file names.
    private const string Advisory = """
        TLP:CLEAR — CERT-XX Advisory 2026-041: Phishing campaign "SilentInvoice"

        Since 12 March the actor sends e-mails from billing[@]invoices-secure[.]example with an attachment
        invoice_0412.docx (also seen as report.pdf). The macro downloads hxxps://cdn[.]invoices-secure[.]example/p/stage2.bin
        and beacons to 198.51.100.23:443 and 2001:db8:dead:beef::17. Infrastructure sits in 203.0.113.0/24 (AS64500).
        Victims running Office version 16.0.1.2 are affected; the loader is at C:\Users\Public\svchost32.exe.
        Hashes (SHA-256): 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
        MD5: 5D41402ABC4B2A76B9719D911017C592, SHA-1: aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d
        TLS fingerprints: JA3 e7d705a3286e19ea42f587b344ee6865, JA4 t13d1516h2_8daaf6152771_02713d6af862.
        ssdeep 96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO
        Ransom is paid to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4,
        USDT on TRON to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t, ETH to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.
        Money mules received funds on GB82 WEST 1234 5698 7654 32 and DE89370400440532013000.
        The "support line" is +44 20 7946 0958; the operator posts as @silent_invoice on Telegram.
        Contact the duty officer at soc@cert.example with questions. Also see evil dot example dot net.
        Domain repeated: cdn.invoices-secure.example and bücher.example; panel at panel.invoices-secure.example:8443.
        """;

    [Fact]
    public void Finds_every_indicator_in_a_defanged_advisory()
    {
        var result = IocExtractor.Extract(Advisory);
        var found = result.Observables.Select(o => (o.Type, o.Canonical)).ToList();

        found.Should().Contain(
        [
            (ObservableType.Email, "billing@invoices-secure.example"),
            (ObservableType.FileName, "invoice_0412.docx"),
            (ObservableType.FileName, "report.pdf"),
            (ObservableType.Url, "https://cdn.invoices-secure.example/p/stage2.bin"),
            (ObservableType.Hostname, "cdn.invoices-secure.example"),
            (ObservableType.IPv4, "198.51.100.23"),
            (ObservableType.IPv6, "2001:db8:dead:beef::17"),
            (ObservableType.Cidr, "203.0.113.0/24"),
            (ObservableType.Asn, "AS64500"),
            (ObservableType.FileName, "svchost32.exe"),
            (ObservableType.Sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            (ObservableType.Md5, "5d41402abc4b2a76b9719d911017c592"),
            (ObservableType.Sha1, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
            (ObservableType.Ja3, "e7d705a3286e19ea42f587b344ee6865"),
            (ObservableType.Ja4, "t13d1516h2_8daaf6152771_02713d6af862"),
            (ObservableType.Ssdeep, "96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO"),
            (ObservableType.BitcoinAddress, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            (ObservableType.BitcoinAddress, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            (ObservableType.TronAddress, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            (ObservableType.EthereumAddress, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            (ObservableType.Iban, "GB82WEST12345698765432"),
            (ObservableType.Iban, "DE89370400440532013000"),
            (ObservableType.Phone, "+442079460958"),
            (ObservableType.UserAccount, "silent_invoice"),
            (ObservableType.Email, "soc@cert.example"),
            (ObservableType.Hostname, "evil.example.net"),
            (ObservableType.Domain, "xn--bcher-kva.example"),
            (ObservableType.Hostname, "panel.invoices-secure.example"),
        ]);

        // No false positives: versions are not IPs, file names are not domains, digests are only digests.
        found.Should().NotContain(f => f.Canonical == "16.0.1.2");
        found.Should().NotContain(f => (f.Type == ObservableType.Domain || f.Type == ObservableType.Hostname) && (f.Canonical.EndsWith(".docx") || f.Canonical.EndsWith(".pdf")));
        found.Where(f => f.Canonical.Contains("9f86d081884c7d659a2feaa0c55ad015")).Should().ContainSingle();
        found.Should().OnlyHaveUniqueItems();
        result.Skipped.Should().BeEmpty();
    }

    [Fact]
    public void Reports_the_first_position_and_the_text_as_written()
    {
        var result = IocExtractor.Extract(Advisory);
        var url = result.Observables.Single(o => o.Type == ObservableType.Url);
        url.Original.Should().Be("hxxps://cdn[.]invoices-secure[.]example/p/stage2.bin");
        url.Line.Should().Be(4);
        Advisory.Split("\n")[3].Substring(url.Column - 1).Should().StartWith("hxxps://cdn[.]");

        // The host appears first as the URL's host (line 4), again bare near the end: one record, first position.
        var domain = result.Observables.Single(o => o.Type == ObservableType.Hostname && o.Canonical == "cdn.invoices-secure.example");
        domain.Line.Should().Be(4);
        domain.Original.Should().Be("cdn[.]invoices-secure[.]example");

        var idn = result.Observables.Single(o => o.Canonical == "xn--bcher-kva.example");
        idn.Display.Should().Be("bücher.example");
    }

    [Fact]
    public void Type_filter_limits_what_is_reported()
    {
        var result = IocExtractor.Extract(Advisory, new IocExtractorOptions { Types = new HashSet<ObservableType> { ObservableType.IPv4 } });
        result.Observables.Select(o => o.Canonical).Should().Equal("198.51.100.23");
    }

    [Fact]
    public void A_line_over_the_limit_is_skipped_and_reported_without_losing_the_next_line()
    {
        var text = "first 192.0.2.1\r\n" + new string('a', 5000) + " 192.0.2.2\n" + "third 192.0.2.3\rfourth 192.0.2.4";
        var result = IocExtractor.Extract(text, new IocExtractorOptions { MaxLineLength = 1000 });
        result.Observables.Select(o => (o.Canonical, o.Line)).Should().Equal(("192.0.2.1", 1L), ("192.0.2.3", 3L), ("192.0.2.4", 4L));
        result.Skipped.Should().ContainSingle().Which.Should().Be(new SkippedLine(2, 5010, "line is 5010 characters, longer than the 1000 allowed."));
        result.Lines.Should().Be(4);
    }

    [Fact]
    public void Prose_with_dotted_words_yields_nothing()
    {
        const string prose = "See e.g. the U.S. report, version 1.2.3.4 and v10.0.0.1, build 6.1.7601.2; ratio 1.5x; Mr.Smith wrote setup.exe.";
        var result = IocExtractor.Extract(prose);
        result.Observables.Select(o => (o.Type, o.Canonical)).Should().Equal((ObservableType.FileName, "setup.exe"));
    }

    [Fact]
    public void Truncated_input_never_throws()
    {
        for (var cut = 0; cut <= Advisory.Length; cut += 7)
        {
            var act = () => IocExtractor.Extract(Advisory[..cut]);
            act.Should().NotThrow();
        }
    }

    [Fact]
    public void Random_bytes_never_throw_or_hang()
    {
        var random = new Random(2026);
        var watch = Stopwatch.StartNew();
        var buffer = new byte[4096];
        var iterations = 0;
        while (iterations < 3000 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            random.NextBytes(buffer.AsSpan(0, random.Next(buffer.Length)));
            var length = random.Next(buffer.Length);

            // Mix raw bytes with IOC-ish fragments so the scanner's deeper paths are reached too.
            var text = Encoding.UTF8.GetString(buffer, 0, length) + " hxxp[://]x[.]y 1.2.3 ::: @@ +1 GB82 bc1 0x";
            var result = IocExtractor.Extract(new StringReader(text), new IocExtractorOptions { MaxLineLength = 2048 });
            result.Lines.Should().BeGreaterThan(0);
            iterations++;
        }

        iterations.Should().BeGreaterThan(500, "the extractor must be fast enough to fuzz");
    }
}
