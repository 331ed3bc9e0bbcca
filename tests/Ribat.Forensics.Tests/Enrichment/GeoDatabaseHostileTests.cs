using System.Net;
using Ribat.Forensics.Enrichment;

namespace Ribat.Forensics.Tests.Enrichment;

/// <summary>Damaged databases: refused at open with a line naming the file, or answered as unknown and counted.</summary>
public sealed class GeoDatabaseHostileTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-geo-hostile-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData(GeoCorpus.AsnDatabase, "GeoLite2-ASN-Test.json")]
    [InlineData(GeoCorpus.CityDatabase, "GeoIP2-City-Test.json")]
    public async Task Mutated_databases_never_throw_or_hang_and_damage_is_counted(string database, string source)
    {
        var original = File.ReadAllBytes(GeoCorpus.PathOf(database));
        var addresses = GeoCorpus.Networks(source).Select(n => n.Network.BaseAddress).Take(40)
            .Append(IPAddress.Parse("8.8.8.8")).Append(IPAddress.Parse("2001:db8::1")).ToList();
        var random = new Random(20261122);
        int refused = 0, answered = 0;
        long failures = 0;
        for (var round = 0; round < 150; round++)
        {
            var bytes = (byte[])original.Clone();
            // Flip a few bytes anywhere: the search tree, the data section or the metadata.
            for (var flips = random.Next(1, 12); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var path = Path.Combine(_scratch, $"mutated-{round}.mmdb");
            File.WriteAllBytes(path, bytes);
            var work = Task.Run(() =>
            {
                var opened = database == GeoCorpus.AsnDatabase ? AddressEnricher.Open(asnPath: path) : AddressEnricher.Open(cityPath: path);
                if (opened.Enricher is null)
                {
                    opened.Error.Should().Contain(path);
                    return (Refused: true, Failures: 0L);
                }

                using var enricher = opened.Enricher;
                foreach (var address in addresses)
                {
                    enricher.Lookup(address);
                }

                return (Refused: false, enricher.Failures);
            });

            var (wasRefused, counted) = await work.WaitAsync(TimeSpan.FromSeconds(10));
            refused += wasRefused ? 1 : 0;
            answered += wasRefused ? 0 : 1;
            failures += counted;
        }

        (refused + answered).Should().Be(150);
        answered.Should().BePositive("most flips leave a database that opens and answers");
        failures.Should().BePositive("some flips land in records and are counted, not thrown");
    }

    [Fact]
    public async Task Random_bytes_with_or_without_a_metadata_marker_are_refused_naming_the_file_or_answered_as_unknown()
    {
        var random = new Random(20261123);
        var marker = new byte[] { 0xAB, 0xCD, 0xEF }.Concat("MaxMind.com"u8.ToArray()).ToArray();
        for (var round = 0; round < 60; round++)
        {
            var bytes = new byte[random.Next(0, 5_000)];
            random.NextBytes(bytes);
            if (round % 2 == 1)
            {
                // A marker followed by garbage: the reader finds "metadata" that is no metadata.
                var tail = new byte[random.Next(0, 200)];
                random.NextBytes(tail);
                bytes = [.. bytes, .. marker, .. tail];
            }

            var path = Path.Combine(_scratch, $"random-{round}.mmdb");
            File.WriteAllBytes(path, bytes);
            var outcome = await Task.Run(() =>
            {
                var opened = AddressEnricher.Open(asnPath: path, cityPath: path);
                if (opened.Enricher is null)
                {
                    return opened.Error;
                }

                using var enricher = opened.Enricher;
                enricher.Lookup(IPAddress.Parse("8.8.8.8"));
                enricher.Lookup(IPAddress.Parse("2001:db8::1"));
                return null;
            }).WaitAsync(TimeSpan.FromSeconds(10));
            if (outcome is not null)
            {
                outcome.Should().Contain(path, "a refusal names the file");
                outcome.Should().NotContain("   at ", "a refusal is a sentence, not a stack trace");
            }
        }
    }
}
