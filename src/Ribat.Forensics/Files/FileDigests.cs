using System.Security.Cryptography;

namespace Ribat.Forensics.Files;

/// <summary>Which digests a <see cref="FileDigests"/> computes.</summary>
[Flags]
public enum DigestKinds
{
    None = 0,
    Md5 = 1,
    Sha1 = 2,
    Sha256 = 4,
    Sha512 = 8,
    Ssdeep = 16,
    All = Md5 | Sha1 | Sha256 | Sha512 | Ssdeep,
}

/// <summary>The digests of one file, lower-case hex (ssdeep in its own <c>blocksize:hash:hash</c> form); null when not asked for.</summary>
public sealed record FileHashes(string? Md5, string? Sha1, string? Sha256, string? Sha512, string? Ssdeep);

/// <summary>
/// MD5, SHA-1, SHA-256, SHA-512 and ssdeep fed from the same buffers, in one read. Large buffers are split across two
/// lanes (MD5 and SHA-512 on one, SHA-1, SHA-256 and ssdeep on the other) so a two-core machine hashes at roughly
/// the speed of its slowest lane instead of the sum of all.
/// </summary>
public sealed class FileDigests : IDisposable
{
    // Below this a second lane costs more in hand-over than it saves.
    private const int ParallelThreshold = 64 * 1024;

    private readonly IncrementalHash? _md5;
    private readonly IncrementalHash? _sha1;
    private readonly IncrementalHash? _sha256;
    private readonly IncrementalHash? _sha512;
    private readonly SsdeepHasher? _ssdeep;
    private readonly bool _twoLanes;

    public FileDigests(DigestKinds kinds = DigestKinds.All)
    {
        _md5 = kinds.HasFlag(DigestKinds.Md5) ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        _sha1 = kinds.HasFlag(DigestKinds.Sha1) ? IncrementalHash.CreateHash(HashAlgorithmName.SHA1) : null;
        _sha256 = kinds.HasFlag(DigestKinds.Sha256) ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        _sha512 = kinds.HasFlag(DigestKinds.Sha512) ? IncrementalHash.CreateHash(HashAlgorithmName.SHA512) : null;
        _ssdeep = kinds.HasFlag(DigestKinds.Ssdeep) ? new SsdeepHasher() : null;
        _twoLanes = (_md5 is not null || _sha512 is not null) && (_sha1 is not null || _sha256 is not null || _ssdeep is not null)
            && Environment.ProcessorCount > 1;
    }

    /// <summary>Bytes appended so far.</summary>
    public long Length { get; private set; }

    /// <summary>Feeds <paramref name="count"/> bytes of <paramref name="buffer"/> to every digest.</summary>
    /// <param name="sideWork">Optional work on the same bytes run on the first lane, beside its digests.</param>
    public void Append(byte[] buffer, int count, Action<byte[], int>? sideWork = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)buffer.Length, nameof(count));
        if (_twoLanes && count >= ParallelThreshold)
        {
            Parallel.Invoke(
                () => { FirstLane(buffer, count); sideWork?.Invoke(buffer, count); },
                () => SecondLane(buffer, count));
        }
        else
        {
            FirstLane(buffer, count);
            SecondLane(buffer, count);
            sideWork?.Invoke(buffer, count);
        }

        Length += count;
    }

    public FileHashes Finish() => new(
        Hex(_md5), Hex(_sha1), Hex(_sha256), Hex(_sha512), _ssdeep?.Digest());

    public void Dispose()
    {
        _md5?.Dispose();
        _sha1?.Dispose();
        _sha256?.Dispose();
        _sha512?.Dispose();
    }

    private void FirstLane(byte[] buffer, int count)
    {
        _md5?.AppendData(buffer, 0, count);
        _sha512?.AppendData(buffer, 0, count);
    }

    private void SecondLane(byte[] buffer, int count)
    {
        _sha1?.AppendData(buffer, 0, count);
        _sha256?.AppendData(buffer, 0, count);
        _ssdeep?.Append(buffer.AsSpan(0, count));
    }

    private static string? Hex(IncrementalHash? hash)
    {
        if (hash is null)
        {
            return null;
        }

        Span<byte> digest = stackalloc byte[64];
        var written = hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..written]);
    }
}
