namespace Ribat.Forensics.Ioc;

/// <summary>
/// One list's address blocks for one family, merged into sorted, non-overlapping inclusive ranges so that
/// "is this address (or block) inside" is a binary search.
/// </summary>
internal sealed class IpRangeSet
{
    private readonly UInt128[] _firsts;
    private readonly UInt128[] _lasts;

    public IpRangeSet(List<(UInt128 First, UInt128 Last)> ranges)
    {
        ranges.Sort((a, b) => a.First.CompareTo(b.First));
        var firsts = new List<UInt128>(ranges.Count);
        var lasts = new List<UInt128>(ranges.Count);
        foreach (var (first, last) in ranges)
        {
            // Merge overlapping and adjacent blocks; the guard avoids overflow at the top of the space.
            if (lasts.Count > 0 && (first <= lasts[^1] || (lasts[^1] != UInt128.MaxValue && first == lasts[^1] + 1)))
            {
                if (last > lasts[^1])
                {
                    lasts[^1] = last;
                }

                continue;
            }

            firsts.Add(first);
            lasts.Add(last);
        }

        _firsts = [.. firsts];
        _lasts = [.. lasts];
    }

    public int Count => _firsts.Length;

    /// <summary>True when the whole of [first, last] lies inside one merged range.</summary>
    public bool Contains(UInt128 first, UInt128 last)
    {
        var index = Array.BinarySearch(_firsts, first);
        if (index < 0)
        {
            index = ~index - 1; // the last range starting before 'first'
        }

        return index >= 0 && last <= _lasts[index];
    }
}
