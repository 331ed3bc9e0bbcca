using System.Net;
using MaxMind.Db;

namespace Ribat.Forensics.Enrichment;

/// <summary>One opened MaxMind-format database and the role it was checked for.</summary>
internal sealed class GeoDatabase : IDisposable
{
    private readonly Reader _reader;
    private long _failures;

    private GeoDatabase(string path, GeoDatabaseRole role, Reader reader)
    {
        Path = path;
        Role = role;
        _reader = reader;
    }

    public string Path { get; }

    public GeoDatabaseRole Role { get; }

    /// <summary>Opens <paramref name="path"/> and checks its type; the error is one line naming the file.</summary>
    public static (GeoDatabase? Database, string? Error) Open(string path, GeoDatabaseRole role)
    {
        if (!File.Exists(path))
        {
            return (null, $"{path} does not exist.");
        }

        Reader reader;
        string type;
        try
        {
            reader = new Reader(path, FileAccessMode.MemoryMapped);
            type = reader.Metadata.DatabaseType ?? string.Empty;
        }
        catch (Exception ex) when (IsDamage(ex) || ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"{path} is not a readable MaxMind database: {ex.Message}");
        }

        if (!GeoDatabaseRoles.Fits(role, type))
        {
            reader.Dispose();
            return (null, $"{path} is a '{type}' database, not one that answers {GeoDatabaseRoles.Name(role)}.");
        }

        return (new GeoDatabase(path, role, reader), null);
    }

    /// <summary>
    /// The record for <paramref name="address"/> and the prefix length of the network it was stored under, or null.
    /// Damage found only now (past the search tree) counts as "nothing known" rather than ending an analysis.
    /// </summary>
    public T? Find<T>(IPAddress address, out int prefixLength)
        where T : class
    {
        try
        {
            return _reader.Find<T>(address, out prefixLength);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            prefixLength = 0;
            Interlocked.Increment(ref _failures);
            return null;
        }
    }

    /// <summary>Lookups that met a damaged record.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public void Dispose() => _reader.Dispose();

    /// <summary>
    /// What the MaxMind reader throws on damaged bytes: its own exceptions, and the runtime's when a corrupt length or
    /// pointer sends it past a buffer or into a value of the wrong type (found by feeding it mutated databases).
    /// </summary>
    private static bool IsDamage(Exception ex) =>
        ex is InvalidDatabaseException or DeserializationException or ArgumentException or InvalidCastException
            or IndexOutOfRangeException or OverflowException or FormatException or KeyNotFoundException or InvalidOperationException;
}
