using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Ribat.Core.Common;

namespace Ribat.Core.Prosecution;

/// <summary>What the verifier is told to trust besides the package: the node's published key or its fingerprint.</summary>
public sealed record PackageTrust(byte[]? PublicKey = null, string? Fingerprint = null);

/// <summary>The outcome: intact when <see cref="Problems"/> is empty; each problem names the file, item or entry.</summary>
public sealed record PackageVerification(
    Guid? CaseId,
    string? CaseTitle,
    int EvidenceFiles,
    int CustodyEntries,
    string? Fingerprint,
    bool KeyPinned,
    IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// Verifies a prosecution package offline, trusting nothing in it but what it proves (ADR 0010): the signature over
/// the manifest, every file's size and digests against the manifest, no file missing or added, every custody chain
/// recomputed, and the CASE/UCO hashes equal to the manifest's. Nothing is extracted to disk; a member with an
/// unsafe name, more bytes than its manifest size, or a compression ratio no package of ours has is refused unread.
/// </summary>
public static partial class PackageVerifier
{
    private const int MaxMembers = 100_000;
    private const long MaxRecordSize = 64L * 1024 * 1024;
    private const long BombRatio = 200;
    private const long BombFloor = 16L * 1024 * 1024;

    /// <summary>An error result only when the path is no readable zip; everything else is a problem in the answer.</summary>
    public static Result<PackageVerification> Verify(string path, PackageTrust trust)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Error.Validation("package", $"cannot read {path}: {ex.Message}");
        }

        using (file)
        {
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(file, ZipArchiveMode.Read);
                _ = zip.Entries.Count;
            }
            catch (InvalidDataException ex)
            {
                return Error.Validation("package", $"{path} is not a zip archive ({ex.Message.TrimEnd('.')}).");
            }

            using (zip)
            {
                try
                {
                    return Check(zip, trust);
                }
                catch (InvalidDataException ex)
                {
                    // Each member's read already turns damage into a named problem; this is damage outside any member.
                    return new PackageVerification(null, null, 0, 0, null, false, [$"the archive is damaged: {ex.Message.TrimEnd('.')}"]);
                }
            }
        }
    }

    private static PackageVerification Check(ZipArchive zip, PackageTrust trust)
    {
        var problems = new List<string>();
        var members = Members(zip, problems);
        if (members is null)
        {
            return new PackageVerification(null, null, 0, 0, null, false, problems);
        }

        var manifestBytes = ReadRecord(members, PackageFormat.ManifestPath, problems);
        var signatureBytes = ReadRecord(members, PackageFormat.SignaturePath, problems);
        var manifest = Complete(Parse<PackageManifest>(manifestBytes, PackageFormat.ManifestPath, problems), PackageFormat.ManifestPath, problems);
        var signature = Complete(Parse<PackageSignature>(signatureBytes, PackageFormat.SignaturePath, problems), PackageFormat.SignaturePath, problems);
        var (fingerprint, pinned) = signature is null || manifestBytes is null ? (null, false) : CheckSignature(manifestBytes, manifest, signature, trust, problems);
        if (manifest is null)
        {
            return new PackageVerification(null, null, 0, 0, fingerprint, pinned, problems);
        }

        var listed = new Dictionary<string, PackageFile>(StringComparer.Ordinal);
        foreach (var f in manifest.Files)
        {
            if (!listed.TryAdd(f.Path, f))
            {
                problems.Add($"the manifest lists {f.Path} twice");
            }
        }

        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var f in listed.Values)
        {
            CheckFile(members, f, contents, problems);
        }

        foreach (var name in members.Keys.Where(n => !listed.ContainsKey(n) && n is not (PackageFormat.ManifestPath or PackageFormat.SignaturePath)).Order(StringComparer.Ordinal))
        {
            problems.Add($"file {name} was added: the manifest does not list it");
        }

        var entries = CheckCustody(manifest, contents, problems);
        CheckCaseUco(manifest, contents, problems);
        var evidence = manifest.Files.Count(f => f.Role == PackageFormat.EvidenceRole);
        return new PackageVerification(manifest.CaseId, manifest.CaseTitle, evidence, entries, fingerprint, pinned, problems);
    }

    /// <summary>The members by name, or null (with the reason) when a name is unsafe, repeated, or there are too many.</summary>
    private static Dictionary<string, ZipArchiveEntry>? Members(ZipArchive zip, List<string> problems)
    {
        if (zip.Entries.Count > MaxMembers)
        {
            problems.Add($"refused: {zip.Entries.Count} members, more than any package holds ({MaxMembers})");
            return null;
        }

        var members = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            if (!IsSafeName(name))
            {
                problems.Add($"refused: member '{Printable(name)}' has an unsafe name (absolute path, '..' or backslash); nothing was extracted");
                return null;
            }

            if (!members.TryAdd(name, entry))
            {
                problems.Add($"refused: member {name} appears twice");
                return null;
            }

            if (entry.CompressedLength > 0 && entry.Length > BombFloor && entry.Length / entry.CompressedLength > BombRatio)
            {
                problems.Add($"refused: member {name} expands {entry.Length / entry.CompressedLength}-fold (a zip bomb); nothing was extracted");
                return null;
            }
        }

        return members;
    }

    internal static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 1024 && name[0] != '/' && !name.Contains('\\') && !name.Contains(':') && !name.Any(char.IsControl)
        && name.Split('/').All(part => part.Length > 0 && part is not ("." or ".."));

    private static byte[]? ReadRecord(Dictionary<string, ZipArchiveEntry> members, string path, List<string> problems)
    {
        if (!members.TryGetValue(path, out var entry))
        {
            problems.Add($"file {path} was removed");
            return null;
        }

        var read = ReadCapped(entry, MaxRecordSize);
        if (read.Error is { } error)
        {
            problems.Add($"file {path} {error.Message}");
        }

        return read.Value;
    }

    private static T? Parse<T>(byte[]? bytes, string path, List<string> problems)
        where T : class
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, PackageFormat.Json) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            problems.Add($"file {path} is not valid: {ex.Message}");
            return null;
        }
    }

    /// <summary>JSON may leave out what the records declare non-null; a record missing a field is refused whole.</summary>
    private static T? Complete<T>(T? parsed, string path, List<string> problems)
        where T : class
    {
        var complete = parsed switch
        {
            null => true,
            PackageManifest m => m.Format is not null && m.NodeFingerprint is not null && m.CaseTitle is not null && m.ExportedBy is not null && m.Files is not null
                && m.Files.All(f => f is { Path: not null, Role: not null, Md5: not null, Sha1: not null, Sha256: not null }),
            PackageSignature s => s is { Algorithm: not null, Encoding: not null, Signature: not null, PublicKey: not null, Fingerprint: not null },
            PackagedCustody c => c.Entries is not null && c.Entries.All(e => e is { Action: not null, Actor: not null, VerifiedSha256: not null, PreviousHash: not null, Hash: not null }),
            PackagedAcquisition a => a is { FileName: not null, Md5: not null, Sha1: not null, Sha256: not null, AcquiredByName: not null },
            _ => true,
        };
        if (complete)
        {
            return parsed;
        }

        problems.Add($"file {path} is not valid: a required field is missing");
        return null;
    }

    private static void CheckFile(Dictionary<string, ZipArchiveEntry> members, PackageFile listed, Dictionary<string, byte[]> contents, List<string> problems)
    {
        if (!members.TryGetValue(listed.Path, out var entry))
        {
            problems.Add($"file {listed.Path} was removed");
            return;
        }

        if (listed.Role != PackageFormat.EvidenceRole)
        {
            // Records are read even when changed: a custody log's chain then names the entry that was edited.
            var bytes = ReadCapped(entry, MaxRecordSize);
            if (bytes.Error is { } error)
            {
                problems.Add($"file {listed.Path} {error.Message}");
                return;
            }

            contents[listed.Path] = bytes.Value!;
            Compare(listed, Digest(new MemoryStream(bytes.Value!), listed.Size), problems);
            return;
        }

        if (entry.Length != listed.Size)
        {
            problems.Add($"file {listed.Path} changed: it holds {entry.Length} bytes, the manifest says {listed.Size}");
            return;
        }

        try
        {
            using var stream = entry.Open();
            Compare(listed, Digest(stream, listed.Size), problems);
        }
        catch (InvalidDataException ex)
        {
            problems.Add($"file {listed.Path} changed: its bytes are damaged ({ex.Message.TrimEnd('.')})");
        }
    }

    private static void Compare(PackageFile listed, (string Md5, string Sha1, string Sha256, long Size) found, List<string> problems)
    {
        if (found.Size != listed.Size)
        {
            problems.Add($"file {listed.Path} changed: it holds {(found.Size > listed.Size ? "more" : "fewer")} than the {listed.Size} bytes the manifest says");
        }
        else if (!Same(found.Sha256, listed.Sha256) || !Same(found.Sha1, listed.Sha1) || !Same(found.Md5, listed.Md5))
        {
            problems.Add($"file {listed.Path} changed: its SHA-256 is {found.Sha256}, the manifest says {listed.Sha256}");
        }
    }

    /// <summary>Digests at most <paramref name="limit"/> + 1 bytes, so a member that lies about its size is not read on.</summary>
    private static (string Md5, string Sha1, string Sha256, long Size) Digest(Stream stream, long limit)
    {
        using var digests = new Forensics.Files.FileDigests(Evidence.ContentStore.OneReadDigests);
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            int read;
            while (digests.Length <= limit && (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, limit + 1 - digests.Length))) > 0)
            {
                digests.Append(buffer, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var hashes = digests.Finish();
        return (hashes.Md5!, hashes.Sha1!, hashes.Sha256!, digests.Length);
    }

    private static Result<byte[]> ReadCapped(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit)
        {
            return Error.Validation("size", $"is larger ({entry.Length} bytes) than the {limit} expected; not read");
        }

        try
        {
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            return stream.ReadByte() < 0 ? bytes : Error.Validation("size", "holds more bytes than its zip header says; not read on");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            return Error.Validation("damaged", $"changed: its bytes are damaged ({ex.Message.TrimEnd('.')})");
        }
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Printable(string name) => new(name.Select(c => char.IsControl(c) ? '?' : c).Take(200).ToArray());
}
