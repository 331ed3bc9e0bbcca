using System.Globalization;

namespace Ribat.Forensics.Files;

/// <summary>
/// Context-triggered piecewise hash (Kornblum's CTPH, the <c>ssdeep</c> 2.14 digest), fed incrementally so a file
/// is hashed in the same read as its other digests. No dependency on libfuzzy.
/// </summary>
/// <remarks>
/// spamsum picks a block size from the input length, hashes, and if the first part came out shorter than half its
/// 64 characters, halves the block size and hashes again. Reading twice is not an option here, so every candidate
/// block size (3·2ⁿ) is hashed at once and the retry becomes a walk down the finished candidates; the ones that can
/// no longer be chosen are dropped as the input grows, which keeps the per-byte work to a few candidates.
/// </remarks>
public sealed class SsdeepHasher
{
    private const int RollingWindow = 7;
    private const uint MinBlockSize = 3;
    private const int SpamsumLength = 64;
    private const int BlockHashCount = 31;

    // The FNV-style piece hash only ever contributes its low six bits to the digest, so it is kept modulo 64:
    // ((h * 0x01000193) ^ c) mod 64 depends only on h mod 64 and c mod 64.
    private const byte HashInit = 0x27;

    private static readonly byte[] SumTable = BuildSumTable();

    private const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly byte[] _digests = new byte[BlockHashCount * SpamsumLength];
    private readonly int[] _length = new int[BlockHashCount];
    private readonly byte[] _h = new byte[BlockHashCount];
    private readonly byte[] _halfH = new byte[BlockHashCount];
    private readonly byte[] _window = new byte[RollingWindow];
    private uint _h1, _h2, _h3, _n;
    private int _start;
    private int _end = 1;
    private ulong _total;

    public SsdeepHasher()
    {
        _h[0] = HashInit;
        _halfH[0] = HashInit;
    }

    /// <summary>Bytes hashed so far.</summary>
    public ulong Length => _total;

    public void Append(ReadOnlySpan<byte> data)
    {
        // Counted before the bytes, as ssdeep does; dropping candidates early is safe because the total only grows.
        _total += (ulong)data.Length;
        var window = _window;
        var table = SumTable;
        uint h1 = _h1, h2 = _h2, h3 = _h3, n = _n;
        foreach (var c in data)
        {
            h2 = h2 - h1 + (RollingWindow * (uint)c);
            h1 = h1 + c - window[n];
            window[n] = c;
            n = n == RollingWindow - 1 ? 0 : n + 1;
            h3 = (h3 << 5) ^ c;

            var low = c & 0x3F;
            for (var i = _start; i < _end; i++)
            {
                _h[i] = table[(_h[i] << 6) | low];
                _halfH[i] = table[(_halfH[i] << 6) | low];
            }

            var sum = h1 + h2 + h3;
            if (sum % MinBlockSize == MinBlockSize - 1)
            {
                Trigger(sum);
            }
        }

        _h1 = h1;
        _h2 = h2;
        _h3 = h3;
        _n = n;
    }

    /// <summary>The digest of everything appended: <c>blocksize:hash:hash</c>, as <c>ssdeep</c> prints it.</summary>
    public string Digest()
    {
        var rollSum = _h1 + _h2 + _h3;
        var bi = _start;
        while (BlockSize(bi) * SpamsumLength < _total && bi < BlockHashCount - 1)
        {
            bi++;
        }

        if (bi >= _end)
        {
            bi = _end - 1;
        }

        while (bi > _start && _length[bi] < SpamsumLength / 2)
        {
            bi--;
        }

        var text = new System.Text.StringBuilder(BlockHashCount + (2 * SpamsumLength) + 4);
        text.Append(BlockSize(bi).ToString(CultureInfo.InvariantCulture)).Append(':');
        AppendDigest(text, bi, _length[bi]);
        if (rollSum != 0)
        {
            text.Append(Base64[_h[bi]]);
        }

        text.Append(':');
        if (bi < _end - 1)
        {
            var next = bi + 1;
            AppendDigest(text, next, Math.Min(_length[next], (SpamsumLength / 2) - 1));
            if (rollSum != 0)
            {
                text.Append(Base64[_halfH[next]]);
            }
        }
        else if (rollSum != 0)
        {
            text.Append(Base64[_h[bi]]);
        }

        return text.ToString();
    }

    /// <summary>The digest of a whole buffer.</summary>
    public static string Hash(ReadOnlySpan<byte> data)
    {
        var hasher = new SsdeepHasher();
        hasher.Append(data);
        return hasher.Digest();
    }

    private static ulong BlockSize(int index) => (ulong)MinBlockSize << index;

    private void AppendDigest(System.Text.StringBuilder text, int index, int length)
    {
        var offset = index * SpamsumLength;
        for (var i = 0; i < length; i++)
        {
            text.Append((char)_digests[offset + i]);
        }
    }

    // A boundary for block size 3·2ⁱ is one for every smaller block size too, so the walk up stops at the first miss.
    private void Trigger(uint sum)
    {
        for (var i = _start; i < _end; i++)
        {
            var size = (uint)BlockSize(i);
            if (sum % size != size - 1)
            {
                break;
            }

            if (_length[i] == 0)
            {
                Fork();
            }

            _digests[(i * SpamsumLength) + _length[i]] = (byte)Base64[_h[i]];
            if (_length[i] < SpamsumLength - 1)
            {
                _length[i]++;
                _h[i] = HashInit;
                if (_length[i] < SpamsumLength / 2)
                {
                    _halfH[i] = HashInit;
                }
            }
            else
            {
                Reduce();
            }
        }
    }

    private void Fork()
    {
        if (_end >= BlockHashCount)
        {
            return;
        }

        _h[_end] = _h[_end - 1];
        _halfH[_end] = _halfH[_end - 1];
        _length[_end] = 0;
        _end++;
    }

    // The smallest candidate can no longer be chosen once the input is past its range and the next one already
    // holds half a digest: the digest walk would stop above it.
    private void Reduce()
    {
        if (_end - _start < 2
            || BlockSize(_start) * SpamsumLength >= _total
            || _length[_start + 1] < SpamsumLength / 2)
        {
            return;
        }

        _start++;
    }

    private static byte[] BuildSumTable()
    {
        var table = new byte[64 * 64];
        for (uint h = 0; h < 64; h++)
        {
            for (uint c = 0; c < 64; c++)
            {
                table[(h << 6) | c] = (byte)(((h * 0x01000193u) ^ c) & 0x3F);
            }
        }

        return table;
    }
}
