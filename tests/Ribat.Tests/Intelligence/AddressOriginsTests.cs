using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Core.Indicators;
using Ribat.Core.Jobs;

namespace Ribat.Tests.Intelligence;

/// <summary>The node's GeoIP databases as indicators use them: opened once, reopened when replaced, honest when absent.</summary>
public sealed class AddressOriginsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ribat-origins-").FullName;
    private readonly RecordingLog _log = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Copy(string corpusFile, string name)
    {
        var path = Path.Combine(_folder, name);
        File.Copy(SharedCorpus.Path("geoip", corpusFile), path, overwrite: true);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 1000)));
        return path;
    }

    private AddressOrigins Origins(string? asn = null, string? country = null, string? city = null) =>
        new(Options.Create(new JobOptions { AsnDatabase = asn, CountryDatabase = country, CityDatabase = city }), _log);

    [Theory]
    [InlineData("ipv4", "214.78.120.1", "214.78.120.1")]
    [InlineData("ipv4", "214.0.0.7", "214.0.0.7")]
    [InlineData("ipv6", "2001:1c00::1", "2001:1c00::1")]
    [InlineData("cidr", "214.78.120.0/22", "214.78.120.0")]
    [InlineData("cidr", "2001:2000::/20", "2001:2000::")]
    public void Every_shown_field_is_what_the_database_source_holds(string type, string value, string address)
    {
        using var origins = Origins(asn: Copy("GeoLite2-ASN-Test.mmdb", "asn.mmdb"), city: Copy("GeoIP2-City-Test.mmdb", "city.mmdb"));
        var asn = GeoIpSource.Asn.Find(address);
        var place = GeoIpSource.City.Find(address);
        (asn ?? place).Should().NotBeNull("the test picks addresses the source knows");

        var answer = origins.Lookup(type, value);

        answer.Status.Should().Be(OriginStatus.Found);
        var origin = answer.Origin!;
        origin.Asn.Should().Be(asn?["autonomous_system_number"]?.GetValue<long>());
        origin.AsOrganization.Should().Be(asn?["autonomous_system_organization"]?.GetValue<string>());
        origin.CountryCode.Should().Be(place?["country"]?["iso_code"]?.GetValue<string>());
        origin.CountryName.Should().Be(place?["country"]?["names"]?["en"]?.GetValue<string>());
        origin.City.Should().Be(place?["city"]?["names"]?["en"]?.GetValue<string>());
        System.Net.IPNetwork.Parse(origin.Network!).Contains(System.Net.IPAddress.Parse(address)).Should().BeTrue();
    }

    [Fact]
    public void The_corpus_addresses_cover_a_city_and_an_as_together()
    {
        using var origins = Origins(asn: Copy("GeoLite2-ASN-Test.mmdb", "asn.mmdb"), city: Copy("GeoIP2-City-Test.mmdb", "city.mmdb"));
        var origin = origins.Lookup("ipv4", "214.78.120.1").Origin!;
        origin.Asn.Should().NotBeNull();
        origin.City.Should().NotBeNull();
        origin.CountryCode.Should().NotBeNull();
    }

    [Fact]
    public void Without_a_configured_database_the_answer_says_so_and_non_addresses_are_not_looked_up()
    {
        using var none = Origins();
        none.Lookup("ipv4", "214.78.120.1").Should().Be(new OriginAnswer(OriginStatus.NotConfigured, null));

        using var origins = Origins(asn: Copy("GeoLite2-ASN-Test.mmdb", "asn.mmdb"));
        origins.Lookup("domain", "evil.example").Status.Should().Be(OriginStatus.NotAnAddress);
        origins.Lookup("ipv4", "not an address").Status.Should().Be(OriginStatus.NotAnAddress);
        origins.Lookup("ipv4", "198.51.100.7").Should().Be(new OriginAnswer(OriginStatus.NotFound, null));
    }

    [Fact]
    public void A_database_replaced_while_the_node_runs_answers_from_the_next_look_up_on()
    {
        // The Country test database knows nothing of 214.78.120.1; the City one, which also answers country, does.
        var path = Copy("GeoLite2-Country-Test.mmdb", "country.mmdb");
        using var origins = Origins(country: path);
        origins.Lookup("ipv4", "214.78.120.1").Status.Should().Be(OriginStatus.NotFound);

        Copy("GeoIP2-City-Test.mmdb", "next.mmdb");
        File.Move(Path.Combine(_folder, "next.mmdb"), path, overwrite: true);

        var answer = origins.Lookup("ipv4", "214.78.120.1");
        answer.Status.Should().Be(OriginStatus.Found);
        answer.Origin!.CountryCode.Should().Be(GeoIpSource.City.Find("214.78.120.1")!["country"]!["iso_code"]!.GetValue<string>());
        _log.Lines.Should().ContainSingle(l => l.Contains("opened again"));
    }

    [Fact]
    public void A_corrupt_database_is_logged_once_answers_unavailable_and_a_good_copy_brings_it_back()
    {
        var path = Copy("GeoLite2-ASN-Test.mmdb", "asn.mmdb");
        using var origins = Origins(asn: path);
        origins.Lookup("ipv4", "214.78.120.1").Status.Should().Be(OriginStatus.Found);

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path + ".new", bytes[..(bytes.Length / 3)]);
        File.Move(path + ".new", path, overwrite: true);

        origins.Lookup("ipv4", "214.78.120.1").Should().Be(new OriginAnswer(OriginStatus.Unavailable, null));
        origins.Lookup("ipv6", "2001:1c00::1").Status.Should().Be(OriginStatus.Unavailable);
        _log.Lines.Should().ContainSingle(l => l.StartsWith("Error:") && l.Contains(path) && l.Contains("not a readable MaxMind database"));

        File.Delete(path);
        origins.Lookup("ipv4", "214.78.120.1").Status.Should().Be(OriginStatus.Unavailable);
        _log.Lines.Should().Contain(l => l.Contains(path) && l.Contains("does not exist"));

        Copy("GeoLite2-ASN-Test.mmdb", "asn.mmdb");
        origins.Lookup("ipv4", "214.78.120.1").Status.Should().Be(OriginStatus.Found);
    }

    [Fact]
    public void Look_ups_from_many_threads_while_the_file_is_replaced_all_get_an_honest_answer()
    {
        var path = Copy("GeoLite2-ASN-Test.mmdb", "asn.mmdb");
        using var origins = Origins(asn: path);
        var answers = new System.Collections.Concurrent.ConcurrentBag<OriginStatus>();
        Parallel.For(0, 4_000, i =>
        {
            if (i % 1_000 == 500)
            {
                Copy("GeoLite2-ASN-Test.mmdb", $"next{i}.mmdb");
                File.Move(Path.Combine(_folder, $"next{i}.mmdb"), path, overwrite: true);
            }

            answers.Add(origins.Lookup("ipv4", "214.78.120.1").Status);
        });
        answers.Should().OnlyContain(s => s == OriginStatus.Found);
    }

    private sealed class RecordingLog : ILogger<AddressOrigins>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
