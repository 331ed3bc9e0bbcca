using System.Text;
using System.Text.Json;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Exchange;

public class MispEventWriterTests
{
    private static byte[] Write(ExchangeReport report)
    {
        using var stream = new MemoryStream();
        MispEventWriter.Write(report, stream);
        return stream.ToArray();
    }

    private static ExchangeReport ReadBack(byte[] json)
    {
        var result = MispEventReader.Read(json);
        result.Issues.Should().BeEmpty();
        result.Skipped.Should().BeEmpty("everything Ribat writes it can read");
        return result.Value!.Single();
    }

    private static ExchangeIndicator Indicator(ObservableType type, string value, Action<ExchangeIndicator>? check = null)
    {
        Observables.TryCanonicalise(type, value, out var canonical, out var reason).Should().BeTrue(reason);
        return new ExchangeIndicator { Type = type, Value = canonical.Value, Display = canonical.Display, ForDetection = true };
    }

    /// <summary>Everything but the source id, which the writer invents (name-based) when the input had none.</summary>
    private static object Key(ExchangeIndicator i) => new
    {
        i.Type,
        i.Value,
        i.Comment,
        Tags = string.Join("|", i.Tags),
        i.ForDetection,
        i.Category,
        i.ObjectName,
        i.ObjectRelation,
        i.Tlp,
        i.Pap,
        i.FirstSeen,
        i.LastSeen,
    };

    public static TheoryData<string> Files() => [.. ExchangeCorpus.EventFiles()];

    [Theory]
    [MemberData(nameof(Files))]
    public void A_corpus_event_written_and_read_again_has_the_same_indicators_tags_and_markings(string file)
    {
        var original = MispEventReader.Read(ExchangeCorpus.Bytes(file)).Value!.Single();

        var again = ReadBack(Write(original));

        again.Indicators.Select(Key).Should().Equal(original.Indicators.Select(Key));
        again.Indicators.Zip(original.Indicators).Where(p => p.Second.SourceId is not null && p.First.SourceId != p.Second.SourceId)
            .Should().BeEmpty("a source uuid is kept");
        again.Should().BeEquivalentTo(original, o => o.Excluding(r => r.Indicators).Excluding(r => r.SourceId));
        again.SourceId.Should().Be(original.SourceId ?? again.SourceId, "an event uuid is kept");
    }

    [Fact]
    public void Golden_event_with_objects_composites_markings_and_galaxies()
    {
        const string file = "8b3e4d5c-3333-4444-8555-666677778888";
        var report = new ExchangeReport
        {
            Title = "Phishing wave against regional banks",
            Date = new DateOnly(2024, 5, 1),
            SourceId = "0d3b9f7e-6a51-4c0e-9f3a-2f6f4c1b7a10",
            Organisation = "CERT-Example",
            Tags = ["kill-chain:Delivery", "misp-galaxy:threat-actor=\"Sofacy\""],
            Tlp = "tlp:amber",
            Pap = "PAP:GREEN",
            ThreatActor = "Sofacy",
            MalwareFamily = "Emotet",
            AttackTechniques = ["T1566.001"],
            ThreatLevel = 2,
            Analysis = 1,
            Indicators =
            [
                Indicator(ObservableType.Domain, "login-bank.example") with { Comment = "landing page", Tags = ["phishing"], SourceId = "6f1c2b3a-1111-4222-8333-444455556666", FirstSeen = new DateTimeOffset(2024, 4, 30, 8, 0, 0, TimeSpan.Zero) },
                Indicator(ObservableType.IPv4, "198.51.100.7") with { Tlp = "tlp:red", Category = "Network activity" },
                Indicator(ObservableType.FileName, "invoice.pdf.exe") with { SourceId = "7a2d3c4b-2222-4333-8444-555566667777", ObjectName = "file", ObjectRelation = "malware-sample", ObjectId = file },
                Indicator(ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e") with { SourceId = "7a2d3c4b-2222-4333-8444-555566667777", ObjectName = "file", ObjectRelation = "malware-sample", ObjectId = file },
                Indicator(ObservableType.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") with { ObjectName = "file", ObjectRelation = "sha256", ObjectId = file },
                Indicator(ObservableType.EthereumAddress, "0x52908400098527886E0F7030069857D2E4169EE7") with { Comment = "ransom wallet" },
                Indicator(ObservableType.Ja4, "t13d1516h2_8daaf6152771_02713d6af862"),
                Indicator(ObservableType.UserAccount, "telegram:evil_admin"),
                Indicator(ObservableType.UserAccount, "github:evil-dev"),
            ],
        };

        Encoding.UTF8.GetString(Write(report)).Should().Be(ExchangeCorpus.Golden("report.misp.json"));
        ReadBack(Write(report)).Indicators.Select(i => (i.Type, i.Value)).Should().BeEquivalentTo(report.Indicators.Select(i => (i.Type, i.Value)));
    }

    [Fact]
    public void Every_observable_type_survives_the_round_trip()
    {
        var indicators = new[]
        {
            Indicator(ObservableType.IPv4, "198.51.100.7"), Indicator(ObservableType.IPv6, "2001:db8::7"),
            Indicator(ObservableType.Cidr, "203.0.113.0/24"), Indicator(ObservableType.Domain, "evil.example"),
            Indicator(ObservableType.Hostname, "mail.evil.example"), Indicator(ObservableType.Url, "https://evil.example/gate.php?id=1"),
            Indicator(ObservableType.Email, "boss@evil.example"), Indicator(ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e"),
            Indicator(ObservableType.Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            Indicator(ObservableType.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            Indicator(ObservableType.Sha512, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
            Indicator(ObservableType.Ssdeep, "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C"), Indicator(ObservableType.Asn, "AS64500"),
            Indicator(ObservableType.FileName, "invoice.pdf.exe"), Indicator(ObservableType.BitcoinAddress, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
            Indicator(ObservableType.EthereumAddress, "0x52908400098527886E0F7030069857D2E4169EE7"),
            Indicator(ObservableType.TronAddress, "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"), Indicator(ObservableType.Iban, "DE89370400440532013000"),
            Indicator(ObservableType.Phone, "+4915112345678"), Indicator(ObservableType.UserAccount, "github:evil-dev"),
            Indicator(ObservableType.UserAccount, "twitter:EvilHandle"), Indicator(ObservableType.UserAccount, "jabber:evil@jabber.example"),
            Indicator(ObservableType.UserAccount, "telegram:evil_admin"), Indicator(ObservableType.UserAccount, "bare_handle"),
            Indicator(ObservableType.Ja3, "e7d705a3286e19ea42f587b344ee6865"), Indicator(ObservableType.Ja4, "t13d1516h2_8daaf6152771_02713d6af862"),
            Indicator(ObservableType.LitecoinAddress, "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9"),
            Indicator(ObservableType.MoneroAddress, "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"),
        };
        indicators.Select(i => i.Type).Distinct().Should().HaveCount(ObservableTypeNames.All.Count, "the list covers every type");

        var again = ReadBack(Write(new ExchangeReport { Title = "all types", Indicators = indicators }));

        again.Indicators.Select(i => (i.Type, i.Value)).Should().BeEquivalentTo(indicators.Select(i => (i.Type, i.Value)),
            "values MISP keeps in objects come after the plain attributes");
    }

    [Theory]
    [InlineData(ObservableType.IPv4, "198.51.100.7", "ip-dst", "198.51.100.7", "Network activity", null)]
    [InlineData(ObservableType.Cidr, "203.0.113.0/24", "ip-dst", "203.0.113.0/24", "Network activity", null)]
    [InlineData(ObservableType.Asn, "AS64500", "AS", "AS64500", "Network activity", null)]
    [InlineData(ObservableType.FileName, "a.exe", "filename", "a.exe", "Payload delivery", null)]
    [InlineData(ObservableType.Phone, "+4915112345678", "phone-number", "+4915112345678", "Other", null)]
    [InlineData(ObservableType.UserAccount, "github:evil-dev", "github-username", "evil-dev", "Social network", null)]
    [InlineData(ObservableType.Ja3, "e7d705a3286e19ea42f587b344ee6865", "ja3-fingerprint-md5", "e7d705a3286e19ea42f587b344ee6865", "Network activity", null)]
    [InlineData(ObservableType.EthereumAddress, "0x52908400098527886e0f7030069857d2e4169ee7", "text", "0x52908400098527886e0f7030069857d2e4169ee7", "Financial fraud", "coin-address")]
    [InlineData(ObservableType.Ja4, "t13d1516h2_8daaf6152771_02713d6af862", "text", "t13d1516h2_8daaf6152771_02713d6af862", "Network activity", "ja4-plus")]
    [InlineData(ObservableType.UserAccount, "telegram:evil_admin", "text", "evil_admin", "Social network", "user-account")]
    public void Each_type_is_written_as_the_MISP_type_MISP_knows(ObservableType type, string value, string mispType, string mispValue, string category, string? objectName)
    {
        using var json = JsonDocument.Parse(Write(new ExchangeReport { Title = "t", Indicators = [Indicator(type, value)] }));
        var @event = json.RootElement.GetProperty("Event");

        var attribute = objectName is null
            ? @event.GetProperty("Attribute").EnumerateArray().Single()
            : @event.GetProperty("Object").EnumerateArray().Single(o => o.GetProperty("name").GetString() == objectName)
                .GetProperty("Attribute").EnumerateArray().First();
        attribute.GetProperty("type").GetString().Should().Be(mispType);
        attribute.GetProperty("value").GetString().Should().Be(mispValue);
        attribute.GetProperty("category").GetString().Should().Be(category);
        attribute.GetProperty("to_ids").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public void The_event_has_the_fields_MISP_requires_and_markings_as_machine_tags()
    {
        var report = new ExchangeReport
        {
            Title = "Phishing wave",
            Date = new DateOnly(2024, 5, 1),
            ThreatLevel = 2,
            Analysis = 1,
            Organisation = "CERT-X",
            Tlp = "TLP:AMBER+STRICT",
            Pap = "pap:green",
            Tags = ["kill-chain:Delivery"],
            ThreatActor = "APT28",
            MalwareFamily = "Emotet",
            AttackTechniques = ["T1566.001"],
            Indicators = [Indicator(ObservableType.Domain, "evil.example") with { Tlp = "red", Comment = "C2" }],
        };

        using var json = JsonDocument.Parse(Write(report));
        var @event = json.RootElement.GetProperty("Event");

        @event.GetProperty("info").GetString().Should().Be("Phishing wave");
        @event.GetProperty("date").GetString().Should().Be("2024-05-01");
        @event.GetProperty("threat_level_id").GetString().Should().Be("2");
        @event.GetProperty("analysis").GetString().Should().Be("1");
        Guid.TryParse(@event.GetProperty("uuid").GetString(), out _).Should().BeTrue();
        @event.GetProperty("Tag").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Should().Equal(
            "tlp:amber+strict", "PAP:GREEN", "misp-galaxy:threat-actor=\"APT28\"", "misp-galaxy:malpedia=\"Emotet\"",
            "misp-galaxy:mitre-attack-pattern=\"T1566.001\"", "kill-chain:Delivery");
        var attribute = @event.GetProperty("Attribute")[0];
        attribute.GetProperty("Tag")[0].GetProperty("name").GetString().Should().Be("tlp:red");
        attribute.GetProperty("comment").GetString().Should().Be("C2");

        var again = ReadBack(Write(report));
        again.Should().BeEquivalentTo(report with { Tlp = "tlp:amber+strict", Pap = "PAP:GREEN" }, o => o
            .Excluding(r => r.Indicators).Excluding(r => r.SourceId).Excluding(r => r.Tags));
        again.Tags.Should().Contain("kill-chain:Delivery");
        again.Indicators.Single().Tlp.Should().Be("tlp:red");
    }

    [Fact]
    public void Exporting_twice_gives_the_same_bytes_and_the_same_value_keeps_its_uuid_across_reports()
    {
        var domain = Indicator(ObservableType.Domain, "evil.example");
        var first = new ExchangeReport { Title = "one", Indicators = [domain] };
        var second = new ExchangeReport { Title = "two", Indicators = [Indicator(ObservableType.IPv4, "198.51.100.7"), domain] };

        Write(first).Should().Equal(Write(first));
        string Uuid(ExchangeReport report) => ReadBack(Write(report)).Indicators.Single(i => i.Value == "evil.example").SourceId!;
        Uuid(first).Should().Be(Uuid(second));
        Guid.Parse(Uuid(first)).Version.Should().Be(5, "a name-based UUID");
    }

    [Fact]
    public void Uuids_are_unique_in_an_event_even_when_sources_repeat()
    {
        const string shared = "11111111-2222-4333-8444-555555555555";
        var report = new ExchangeReport
        {
            Title = "t",
            Indicators =
            [
                Indicator(ObservableType.Domain, "a.example") with { SourceId = shared },
                Indicator(ObservableType.Domain, "b.example") with { SourceId = shared },
                Indicator(ObservableType.Domain, "a.example"),
                Indicator(ObservableType.Domain, "a.example"),
            ],
        };

        var uuids = ReadBack(Write(report)).Indicators.Select(i => i.SourceId).ToList();

        uuids.Should().OnlyHaveUniqueItems().And.HaveCount(4);
        uuids[0].Should().Be(shared);
    }

    [Fact]
    public void The_two_parts_of_a_composite_attribute_are_written_as_one_again()
    {
        var json = Encoding.UTF8.GetBytes(ExchangeCorpus.EventWith("""
            {"type": "domain|ip", "value": "evil.example|198.51.100.7", "uuid": "11111111-2222-4333-8444-555555555555"},
            {"type": "filename|sha256", "value": "a.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "uuid": "21111111-2222-4333-8444-555555555555"}
            """));

        using var written = JsonDocument.Parse(Write(MispEventReader.Read(json).Value!.Single()));

        written.RootElement.GetProperty("Event").GetProperty("Attribute").EnumerateArray()
            .Select(a => (a.GetProperty("type").GetString(), a.GetProperty("value").GetString())).Should().Equal(
                ("domain|ip", "evil.example|198.51.100.7"),
                ("filename|sha256", "a.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    [Fact]
    public void A_category_MISP_would_refuse_for_the_type_is_replaced_by_the_usual_one()
    {
        var report = new ExchangeReport
        {
            Title = "t",
            Indicators = [Indicator(ObservableType.IPv4, "198.51.100.7") with { Category = "Financial fraud" }, Indicator(ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e") with { Category = "Artifacts dropped" }],
        };

        ReadBack(Write(report)).Indicators.Select(i => i.Category).Should().Equal("Network activity", "Artifacts dropped");
    }

    [Fact]
    public async Task Writing_asynchronously_never_writes_synchronously_and_gives_the_same_bytes()
    {
        var report = MispEventReader.Read(ExchangeCorpus.Bytes("existing_event.json")).Value!.Single();
        var stream = new AsyncOnlyStream();

        await MispEventWriter.WriteAsync(report, stream);

        stream.ToArray().Should().Equal(Write(report));
    }

    [Fact]
    public void Name_based_uuids_follow_rfc_9562_version_5()
    {
        // RFC 9562 / Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
        NameBasedUuid.Create(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org")
            .Should().Be(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
    }

    /// <summary>Like a response body under Kestrel's default: synchronous writes throw.</summary>
    internal sealed class AsyncOnlyStream : Stream
    {
        private readonly MemoryStream _written = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte[] ToArray() => _written.ToArray();

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous write");

        public override void Flush() => throw new InvalidOperationException("synchronous flush");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
