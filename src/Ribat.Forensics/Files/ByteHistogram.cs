namespace Ribat.Forensics.Files;

/// <summary>Byte counts of a stream seen in pieces, and the Shannon entropy they give (bits per byte, 0 to 8).</summary>
public sealed class ByteHistogram
{
    private readonly long[] _counts = new long[256];

    public long Total { get; private set; }

    public void Add(ReadOnlySpan<byte> data)
    {
        var counts = _counts;
        foreach (var b in data)
        {
            counts[b]++;
        }

        Total += data.Length;
    }

    public double Entropy() => Entropy(_counts, Total);

    /// <summary>Entropy of one buffer, without keeping its counts.</summary>
    public static double Of(ReadOnlySpan<byte> data)
    {
        Span<long> counts = stackalloc long[256];
        foreach (var b in data)
        {
            counts[b]++;
        }

        return Entropy(counts, data.Length);
    }

    private static double Entropy(ReadOnlySpan<long> counts, long total)
    {
        if (total == 0)
        {
            return 0;
        }

        var entropy = 0.0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / total;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }
}
