using System.Collections.Concurrent;
using System.Net;
using Ribat.Forensics.Pcap;

namespace Ribat.Forensics.Enrichment;

/// <summary>
/// Answers an address's AS, country and city from up to three MaxMind-format databases (ASN, country, city). A City
/// database answers country too, when no Country database is given or it knows nothing of the address. Safe to share
/// between threads.
/// </summary>
public sealed class AddressEnricher : IDisposable
{
    /// <summary>
    /// Answers kept. When full the cache is emptied and refilled: an attack's reflectors come back at once, and a
    /// capture with millions of spoofed sources must not grow it without end.
    /// </summary>
    public const int MaxCached = 65_536;

    private readonly GeoDatabase? _asn;
    private readonly GeoDatabase? _country;
    private readonly GeoDatabase? _city;
    private readonly ConcurrentDictionary<NetworkAddress, AddressOrigin> _cache = new();

    private AddressEnricher(GeoDatabase? asn, GeoDatabase? country, GeoDatabase? city)
    {
        _asn = asn;
        _country = country;
        _city = city;
    }

    /// <summary>
    /// Opens the databases given (null paths are skipped); at least one is needed. The first that is missing, not a
    /// MaxMind database or of the wrong type gives the error, and none stays open.
    /// </summary>
    public static AddressEnricherOpenResult Open(string? asnPath = null, string? countryPath = null, string? cityPath = null)
    {
        if (asnPath is null && countryPath is null && cityPath is null)
        {
            return AddressEnricherOpenResult.Failed("no ASN, country or city database was given.");
        }

        var opened = new List<GeoDatabase>();
        GeoDatabase? Take(string? path, GeoDatabaseRole role, ref string? error)
        {
            if (path is null || error is not null)
            {
                return null;
            }

            var (database, failure) = GeoDatabase.Open(path, role);
            error = failure;
            if (database is not null)
            {
                opened.Add(database);
            }

            return database;
        }

        string? error = null;
        var asn = Take(asnPath, GeoDatabaseRole.Asn, ref error);
        var country = Take(countryPath, GeoDatabaseRole.Country, ref error);
        var city = Take(cityPath, GeoDatabaseRole.City, ref error);
        if (error is not null)
        {
            opened.ForEach(d => d.Dispose());
            return AddressEnricherOpenResult.Failed(error);
        }

        return AddressEnricherOpenResult.Opened(new AddressEnricher(asn, country, city));
    }

    /// <summary>Lookups that met a damaged database record and were answered as unknown.</summary>
    public long Failures => (_asn?.Failures ?? 0) + (_country?.Failures ?? 0) + (_city?.Failures ?? 0);

    internal int CachedCount => _cache.Count;

    /// <summary>An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>) is looked up as the IPv4 address it carries.</summary>
    public AddressOrigin Lookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Lookup(Addresses.ToNetworkAddress(address));
    }

    public AddressOrigin Lookup(NetworkAddress address)
    {
        address = Addresses.Unmap(address);
        if (_cache.TryGetValue(address, out var known))
        {
            return known;
        }

        var found = Find(address);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[address] = found;
        return found;
    }

    private AddressOrigin Find(NetworkAddress address)
    {
        var ip = Addresses.ToIPAddress(address);
        var narrowest = -1;
        var asn = _asn?.Find<AsnRecord>(ip, out var asnPrefix) is { } asnRecord ? Keep(asnRecord, asnPrefix, ref narrowest) : null;

        LocationRecord? fromCountry = null;
        if (_country is not null && _country.Find<LocationRecord>(ip, out var countryPrefix) is { } countryRecord)
        {
            fromCountry = Keep(countryRecord, countryPrefix, ref narrowest);
        }

        LocationRecord? fromCity = null;
        if (_city is not null && _city.Find<LocationRecord>(ip, out var cityPrefix) is { } cityRecord)
        {
            fromCity = Keep(cityRecord, cityPrefix, ref narrowest);
        }

        var country = fromCountry?.Country ?? fromCity?.Country;
        return new AddressOrigin(
            asn?.Number,
            asn?.Organization,
            country?.IsoCode,
            country?.EnglishName,
            fromCity?.City?.EnglishName,
            narrowest < 0 ? null : Addresses.NetworkOf(address, narrowest));
    }

    private static T Keep<T>(T record, int prefixLength, ref int narrowest)
    {
        narrowest = Math.Max(narrowest, prefixLength);
        return record;
    }

    public void Dispose()
    {
        _asn?.Dispose();
        _country?.Dispose();
        _city?.Dispose();
    }
}
