using System.Buffers;
using Microsoft.Extensions.Options;
using Ribat.Core.Common;

namespace Ribat.Core.Evidence;

/// <summary>Where the evidence files live: <c>evidence/</c> in the data directory unless configured otherwise.</summary>
public sealed class EvidenceStoreOptions
{
    public string Directory { get; set; } = string.Empty;
}

/// <summary>A file's three digests (lower-case hex) and length, computed in one pass over its bytes.</summary>
public sealed record FileDigests(string Md5, string Sha1, string Sha256, long Size);

/// <summary>
/// The content-addressed evidence store: <c>sha256/ab/cd/abcd…</c> under its root. A file is streamed into
/// <c>incoming/*.part</c> with its digests computed as it arrives, flushed to disk, and only then moved to its
/// address, so an interrupted write never leaves anything at an address; the database row naming it commits after.
/// Nothing under <c>incoming/</c> is evidence.
/// </summary>
public sealed class ContentStore(IOptions<EvidenceStoreOptions> options)
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>The digests an acquisition records, shared with the package verifier.</summary>
    internal const Forensics.Files.DigestKinds OneReadDigests = Forensics.Files.DigestKinds.Md5 | Forensics.Files.DigestKinds.Sha1 | Forensics.Files.DigestKinds.Sha256;

    public string Root => options.Value.Directory;

    public string IncomingDirectory => Path.Combine(Root, "incoming");

    public string PathOf(string sha256) => Path.Combine(Root, "sha256", sha256[..2], sha256[2..4], sha256);

    /// <summary>
    /// Streams <paramref name="source"/> into the store. A failure to read the source (the client went away, the
    /// body was too large) is rethrown after the partial file is removed; a full disk is an error result.
    /// </summary>
    public async Task<Result<FileDigests>> IngestAsync(Stream source, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(IncomingDirectory);
        var part = Path.Combine(IncomingDirectory, $"{Guid.CreateVersion7():N}.part");
        var moved = false;
        try
        {
            FileDigests digests;
            await using (var target = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                var copied = await CopyHashingAsync(source, target, cancellationToken);
                if (copied.Error is { } full)
                {
                    return full;
                }

                digests = copied.Value!;
                if (Written(() => target.Flush(flushToDisk: true)) is { } flushFailed)
                {
                    return flushFailed;
                }
            }

            var address = PathOf(digests.Sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(address)!);
            if (!File.Exists(address))
            {
                // Identical content is stored once; an existing file keeps its bytes, and verification checks them.
                File.Move(part, address, overwrite: false);
                moved = true;
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(address, UnixFileMode.UserRead | UnixFileMode.GroupRead);
                }
            }

            return digests;
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            return DiskFull(ex);
        }
        finally
        {
            if (!moved)
            {
                TryDelete(part);
            }
        }
    }

    /// <summary>Copies while hashing: each chunk is read once and fed to MD5, SHA-1 and SHA-256 (the analysers' one-read digests).</summary>
    internal static async Task<Result<FileDigests>> CopyHashingAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        using var digests = new Forensics.Files.FileDigests(OneReadDigests);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                digests.Append(buffer, read);
                try
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (IOException ex) when (IsDiskFull(ex))
                {
                    return DiskFull(ex);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var hashes = digests.Finish();
        return new FileDigests(hashes.Md5!, hashes.Sha1!, hashes.Sha256!, digests.Length);
    }

    /// <summary>The stored file's digests now, or null when it is missing.</summary>
    public async Task<FileDigests?> DigestAsync(string sha256, CancellationToken cancellationToken)
    {
        Stream file;
        try
        {
            file = OpenRead(sha256);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        await using (file)
        {
            return (await CopyHashingAsync(file, Stream.Null, cancellationToken)).Value;
        }
    }

    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Removes a stored file that no evidence row names (its row failed to commit).</summary>
    internal void Discard(string sha256) => TryDelete(PathOf(sha256));

    private static Error? Written(Action write)
    {
        try
        {
            write();
            return null;
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            return DiskFull(ex);
        }
    }

    /// <summary>ENOSPC (28) on Unix; ERROR_HANDLE_DISK_FULL (39) or ERROR_DISK_FULL (112) on Windows.</summary>
    internal static bool IsDiskFull(IOException ex)
    {
        var code = ex.HResult & 0xFFFF;
        return OperatingSystem.IsWindows() ? code is 39 or 112 : code == 28;
    }

    private static Error DiskFull(IOException ex) =>
        new(ErrorKind.InsufficientStorage, "evidence-store-full",
            $"The evidence store is full ({ex.Message.TrimEnd('.')}); nothing was stored. Free space in the data directory and upload again.");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A part file left behind lies under incoming/, which is never evidence.
        }
    }
}

/// <summary>Where a node keeps evidence in its data directory.</summary>
public static class EvidenceStore
{
    public const string FolderName = "evidence";

    public static string DirectoryIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FolderName);
}
