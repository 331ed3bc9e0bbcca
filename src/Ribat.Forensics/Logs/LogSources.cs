using System.IO.Compression;

namespace Ribat.Forensics.Logs;

/// <summary>
/// Turns what a user names (files, folders searched recursively, zip and gzip archives recognised by their magic,
/// archives inside archives up to <see cref="LogSourceOptions.MaxDepth"/>) into one <see cref="LogInput"/> per log.
/// Nothing here is fatal: an unreadable file, a damaged archive or one past its expansion caps is recorded in
/// <see cref="Problems"/> and the enumeration goes on. Members are streamed; only a zip nested in another archive is
/// read into memory, within <see cref="LogSourceOptions.MaxNestedArchiveBytes"/>.
/// </summary>
public sealed partial class LogSources
{
    private readonly LogSourceOptions _options;
    private readonly List<LogSourceProblem> _problems = [];

    public LogSources(LogSourceOptions? options = null)
    {
        _options = options ?? new LogSourceOptions();
        if (_options.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(options));
        }
    }

    public IReadOnlyList<LogSourceProblem> Problems => _problems;

    /// <summary>The logs under <paramref name="paths"/>, in the order given, folders' files in ordinal name order.</summary>
    public IEnumerable<LogInput> Enumerate(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            foreach (var file in FilesOf(path))
            {
                foreach (var input in FromFile(file))
                {
                    yield return input;
                }
            }
        }
    }

    private IEnumerable<string> FilesOf(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            Problem(path, "no such file or folder.");
            return [];
        }

        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
            var files = Directory.GetFiles(path, "*", options);
            Array.Sort(files, StringComparer.Ordinal);
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Problem(path, "the folder could not be listed: " + e.Message);
            return [];
        }
    }

    private IEnumerable<LogInput> FromFile(string path)
    {
        var stream = OpenFile(path, out var modified);
        if (stream is null)
        {
            yield break;
        }

        using (stream)
        {
            var budget = new ExpansionBudget(_options.MaxExpandedBytes);
            foreach (var input in FromStream(stream, path, stream.Length, modified, depth: 0, budget))
            {
                yield return input;
            }
        }
    }

    private FileStream? OpenFile(string path, out DateTimeOffset? modified)
    {
        modified = null;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
            modified = File.GetLastWriteTimeUtc(path);
            return stream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Problem(path, "could not be opened: " + e.Message);
            return null;
        }
    }

    /// <summary>A log, a gzip or a zip, told apart by their first bytes.</summary>
    private IEnumerable<LogInput> FromStream(Stream stream, string name, long compressedLength, DateTimeOffset? modified, int depth, ExpansionBudget budget)
    {
        var head = new byte[4];
        var length = ReadHead(stream, name, head);
        if (length < 0)
        {
            yield break;
        }

        var content = new PrefixedStream(head, length, stream);
        var kind = ArchiveKind(head.AsSpan(0, length));
        if (kind == Archive.None)
        {
            yield return new LogInput(name, content, modified);
            yield break;
        }

        if (depth + 1 > _options.MaxDepth)
        {
            Problem(name, $"an archive nested deeper than {_options.MaxDepth}; not opened.");
            yield break;
        }

        var inner = kind == Archive.Gzip ? FromGzip(content, name, compressedLength, modified, depth, budget) : FromZip(content, stream, name, depth, budget);
        foreach (var input in inner)
        {
            yield return input;
        }
    }

    private IEnumerable<LogInput> FromGzip(Stream content, string name, long compressedLength, DateTimeOffset? modified, int depth, ExpansionBudget budget)
    {
        using var expanded = Guard(new GZipStream(content, CompressionMode.Decompress, leaveOpen: true), name, compressedLength, budget);
        foreach (var input in FromStream(expanded, name, compressedLength, modified, depth + 1, budget))
        {
            yield return input;
        }
    }

    private ExpansionGuardStream Guard(Stream inner, string name, long compressedLength, ExpansionBudget budget) =>
        new(inner, name, compressedLength, budget, _options.MaxRatio, Problem);

    private int ReadHead(Stream stream, string name, byte[] head)
    {
        try
        {
            return PrefixedStream.ReadAtMost(stream, head);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            if (e is not InvalidDataException || !_problems.Exists(p => p.Name == name))
            {
                Problem(name, "could not be read: " + e.Message);
            }

            return -1;
        }
    }

    private enum Archive
    {
        None,
        Gzip,
        Zip,
    }

    private static Archive ArchiveKind(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) ? Archive.Gzip
        : head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8) ? Archive.Zip
        : Archive.None;

    private void Problem(string name, string reason) => _problems.Add(new LogSourceProblem(name, reason));
}
