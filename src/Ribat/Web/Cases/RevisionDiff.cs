namespace Ribat.Web.Cases;

/// <summary>
/// The lines two revisions of a note have in common, and those only one has, in reading order (a longest common
/// subsequence of lines). Texts past <see cref="MaxLines"/> lines are compared as wholly replaced, which keeps a
/// comparison of two huge revisions from costing more than a few megabytes.
/// </summary>
internal static class RevisionDiff
{
    public const int MaxLines = 2000;

    public enum Change
    {
        Same,
        Removed,
        Added,
    }

    public static IReadOnlyList<(Change Change, string Line)> Lines(string older, string newer)
    {
        var a = older.ReplaceLineEndings("\n").Split('\n');
        var b = newer.ReplaceLineEndings("\n").Split('\n');
        if (a.Length > MaxLines || b.Length > MaxLines)
        {
            return [.. a.Select(l => (Change.Removed, l)), .. b.Select(l => (Change.Added, l))];
        }

        // common[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<(Change, string)>(a.Length + b.Length);
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                lines.Add((Change.Same, a[x]));
                (x, y) = (x + 1, y + 1);
            }
            else if (common[x + 1, y] >= common[x, y + 1])
            {
                lines.Add((Change.Removed, a[x++]));
            }
            else
            {
                lines.Add((Change.Added, b[y++]));
            }
        }

        lines.AddRange(a.Skip(x).Select(l => (Change.Removed, l)));
        lines.AddRange(b.Skip(y).Select(l => (Change.Added, l)));
        return lines;
    }
}
