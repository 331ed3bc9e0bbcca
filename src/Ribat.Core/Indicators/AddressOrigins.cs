using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Core.Jobs;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

/// <summary>An address's network, AS and place as the node's GeoIP databases say; a field is null when they do not know it.</summary>
public sealed record IndicatorOrigin(long? Asn, string? AsOrganization, string? CountryCode, string? CountryName, string? City, string? Network);

/// <summary>What the node can say of an address: whether databases are set up, open, and what they hold for it.</summary>
public enum OriginStatus
{
    /// <summary>The value is no IPv4, IPv6 or CIDR indicator.</summary>
    NotAnAddress,

    /// <summary>No GeoIP database is configured on this node.</summary>
    NotConfigured,

    /// <summary>A configured database is missing or unreadable; the reason is in the node's log.</summary>
    Unavailable,

    /// <summary>The databases hold nothing for the address.</summary>
    NotFound,
    Found,
}

public sealed record OriginAnswer(OriginStatus Status, IndicatorOrigin? Origin);

/// <summary>
/// The node's GeoIP databases (<see cref="JobOptions"/> paths), opened once on first use and shared by every request.
/// Each look-up checks the files' size and time of last change, so a database replaced while the node runs (GeoLite is
/// published monthly) is used from the next look-up on. A file that cannot be opened is logged once per change and
/// answers <see cref="OriginStatus.Unavailable"/>; pages still show. Nothing is stored: origins are looked up when shown.
/// </summary>
public sealed class AddressOrigins(IOptions<JobOptions> options, ILogger<AddressOrigins> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private Opened? _current;

    /// <summary>Held by every look-up while it uses an enricher; a replaced enricher is disposed only under the write side.</summary>
    private readonly ReaderWriterLockSlim _inUse = new();

    /// <summary>Enrichers replaced and not yet disposed: a look-up that read one before the replacement may still use it.</summary>
    private readonly List<AddressEnricher> _retired = [];

    public OriginAnswer Lookup(string type, string value)
    {
        if (!TryAddress(type, value, out var address))
        {
            return new OriginAnswer(OriginStatus.NotAnAddress, null);
        }

        var o = options.Value;
        if (!o.HasGeoDatabases)
        {
            return new OriginAnswer(OriginStatus.NotConfigured, null);
        }

        _inUse.EnterReadLock();
        OriginAnswer answer;
        try
        {
            answer = Answer(Current(o), address);
        }
        finally
        {
            _inUse.ExitReadLock();
        }

        DisposeRetired();
        return answer;
    }

    private static OriginAnswer Answer(AddressEnricher? enricher, IPAddress address)
    {
        if (enricher is null)
        {
            return new OriginAnswer(OriginStatus.Unavailable, null);
        }

        var found = enricher.Lookup(address);
        if (found.Asn is null && found.AsOrganization is null && found.CountryCode is null && found.CountryName is null && found.City is null)
        {
            return new OriginAnswer(OriginStatus.NotFound, null);
        }

        return new OriginAnswer(OriginStatus.Found,
            new IndicatorOrigin(found.Asn, found.AsOrganization, found.CountryCode, found.CountryName, found.City, found.Network?.ToString()));
    }

    /// <summary>An IPv4 or IPv6 indicator's address, or a CIDR indicator's network address.</summary>
    private static bool TryAddress(string type, string value, out IPAddress address)
    {
        address = IPAddress.None;
        if (!ObservableTypeNames.TryParse(type, out var observable))
        {
            return false;
        }

        switch (observable)
        {
            case ObservableType.IPv4 or ObservableType.IPv6 when IPAddress.TryParse(value, out var parsed):
                address = parsed;
                return true;
            case ObservableType.Cidr when IPNetwork.TryParse(value, out var network):
                address = network.BaseAddress;
                return true;
            default:
                return false;
        }
    }

    private AddressEnricher? Current(JobOptions o)
    {
        var stamp = Stamp.Of(o);
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Stamp == stamp)
        {
            return current.Enricher;
        }

        lock (_gate)
        {
            if (_current is not null && _current.Stamp == stamp)
            {
                return _current.Enricher;
            }

            var opened = AddressEnricher.Open(o.AsnDatabase, o.CountryDatabase, o.CityDatabase);
            if (opened.Error is not null)
            {
                logger.LogError("GeoIP databases could not be opened, so indicators are shown without their origin: {Problem}", opened.Error);
            }
            else if (_current is not null)
            {
                logger.LogInformation("GeoIP databases changed on disk and were opened again.");
            }

            if (_current?.Enricher is { } replaced)
            {
                _retired.Add(replaced);
            }

            Volatile.Write(ref _current, new Opened(stamp, opened.Enricher));
            return opened.Enricher;
        }
    }

    /// <summary>Disposes the replaced enrichers once no look-up is using one (the write side waits for them to finish).</summary>
    private void DisposeRetired()
    {
        lock (_gate)
        {
            if (_retired.Count == 0)
            {
                return;
            }
        }

        Release(current: false);
    }

    public void Dispose() => Release(current: true);

    /// <summary>Under the write side, so no look-up still uses them: disposes the replaced enrichers, and the current one too when asked.</summary>
    private void Release(bool current)
    {
        _inUse.EnterWriteLock();
        try
        {
            lock (_gate)
            {
                foreach (var retired in _retired)
                {
                    retired.Dispose();
                }

                _retired.Clear();
                if (current)
                {
                    _current?.Enricher?.Dispose();
                    _current = null;
                }
            }
        }
        finally
        {
            _inUse.ExitWriteLock();
        }
    }

    private sealed record Opened(Stamp Stamp, AddressEnricher? Enricher);

    /// <summary>Each configured file's path, size and time of last change; a difference means a file was replaced.</summary>
    private readonly record struct Stamp(FileStamp Asn, FileStamp Country, FileStamp City)
    {
        public static Stamp Of(JobOptions o) => new(FileStamp.Of(o.AsnDatabase), FileStamp.Of(o.CountryDatabase), FileStamp.Of(o.CityDatabase));
    }

    private readonly record struct FileStamp(string? Path, long Length, DateTime Written)
    {
        public static FileStamp Of(string? path)
        {
            if (path is null)
            {
                return default;
            }

            var file = new FileInfo(path);
            return file.Exists ? new FileStamp(path, file.Length, file.LastWriteTimeUtc) : new FileStamp(path, -1, default);
        }
    }
}
