using System.IO.Compression;

namespace Ribat.Forensics.Logs;

public sealed partial class LogSources
{
    /// <summary>
    /// A zip's members, each named <c>archive!member</c>. Sizes a member declares are checked before it is opened and
    /// the bytes it really gives while it is read.
    /// </summary>
    private IEnumerable<LogInput> FromZip(Stream content, Stream original, string name, int depth, ExpansionBudget budget)
    {
        var seekable = Seekable(content, original, name);
        if (seekable is null)
        {
            yield break;
        }

        using var archive = OpenZip(seekable, name);
        if (archive is null)
        {
            yield break;
        }

        foreach (var entry in archive.Entries)
        {
            var member = $"{name}!{entry.FullName}";
            if (entry.FullName.EndsWith('/') || !Admissible(entry, member, budget))
            {
                continue;
            }

            var stream = OpenEntry(entry, member);
            if (stream is null)
            {
                continue;
            }

            using var guarded = Guard(stream, member, entry.CompressedLength, budget);
            foreach (var input in FromStream(guarded, member, entry.Length, entry.LastWriteTime, depth + 1, budget))
            {
                yield return input;
            }
        }

        if (!ReferenceEquals(seekable, original))
        {
            seekable.Dispose();
        }
    }

    /// <summary>The file itself when it can seek; otherwise (a zip inside an archive) its bytes in memory, within the cap.</summary>
    private Stream? Seekable(Stream content, Stream original, string name)
    {
        if (original.CanSeek && original is not ExpansionGuardStream)
        {
            original.Position = 0;
            return original;
        }

        try
        {
            var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (copy.Length + read > _options.MaxNestedArchiveBytes)
                {
                    Problem(name, $"a nested archive larger than {_options.MaxNestedArchiveBytes:N0} bytes, the cap for reading it into memory; not opened.");
                    return null;
                }

                copy.Write(buffer, 0, read);
            }

            copy.Position = 0;
            return copy;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            if (e is not InvalidDataException || !_problems.Exists(p => p.Name == name))
            {
                Problem(name, "could not be read: " + e.Message);
            }

            return null;
        }
    }

    private ZipArchive? OpenZip(Stream stream, string name)
    {
        ZipArchive? archive = null;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);

            // The central directory is read on first use: a damaged one must fail here, not in the loop over members.
            _ = archive.Entries.Count;
            return archive;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            archive?.Dispose();
            Problem(name, "a damaged zip archive: " + e.Message);
            return null;
        }
    }

    private bool Admissible(ZipArchiveEntry entry, string member, ExpansionBudget budget)
    {
        if (entry.Length > budget.Max - budget.Used)
        {
            Problem(member, $"declares {entry.Length:N0} bytes, past what is left of the archive's expansion cap; not read (a zip bomb?).");
            return false;
        }

        if (entry.Length > 1024 * 1024 && entry.Length > Math.Max(entry.CompressedLength, 1) * _options.MaxRatio)
        {
            Problem(member, $"declares {entry.Length:N0} bytes from {entry.CompressedLength:N0}, more than {_options.MaxRatio} times; not read (a zip bomb?).");
            return false;
        }

        return true;
    }

    private Stream? OpenEntry(ZipArchiveEntry entry, string member)
    {
        try
        {
            return entry.Open();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            Problem(member, "could not be opened: " + e.Message);
            return null;
        }
    }
}
