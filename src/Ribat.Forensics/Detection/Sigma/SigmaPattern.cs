using System.Text;

namespace Ribat.Forensics.Detection;

/// <summary>
/// A Sigma string value compiled once: <c>*</c> any run, <c>?</c> one character, <c>\*</c> <c>\?</c> <c>\\</c> the
/// character itself, any other backslash kept as written (so <c>C:\Windows\</c> means what it says). Case is folded
/// once here; event values are compared ordinally ignoring case, never copied.
/// </summary>
internal sealed class SigmaPattern
{
    private readonly string _literal;
    private readonly char[]? _glob;
    private readonly byte[]? _kinds;

    private SigmaPattern(PatternShape shape, string literal, char[]? glob, byte[]? kinds, bool cased)
    {
        Shape = shape;
        _literal = literal;
        _glob = glob;
        _kinds = kinds;
        Cased = cased;
    }

    private enum PatternShape : byte
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Glob,
    }

    private const byte Literal = 0;
    private const byte Star = 1;
    private const byte AnyOne = 2;

    private PatternShape Shape { get; }

    public bool Cased { get; }

    /// <summary>The longest run of plain characters (case-folded unless cased): every value this pattern matches holds it.</summary>
    public string Atom { get; private init; } = "";

    /// <summary>True for the empty pattern, which only an empty value matches.</summary>
    public bool MatchesOnlyEmpty => Shape == PatternShape.Exact && _literal.Length == 0;

    /// <summary>The wildcards contains/startswith/endswith add are added here, after escapes are read, so that a value
    /// ending in a backslash (<c>C:\Windows\</c>) keeps it rather than escaping the added star.</summary>
    public static SigmaPattern Compile(string text, bool cased, SigmaFieldPart part = SigmaFieldPart.Whole)
    {
        var chars = new List<char>(text.Length + 2);
        var kinds = new List<byte>(text.Length + 2);
        if (part is SigmaFieldPart.Contains or SigmaFieldPart.EndsWith)
        {
            chars.Add('*');
            kinds.Add(Star);
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '*' or '?' or '\\')
            {
                chars.Add(text[++i]);
                kinds.Add(Literal);
            }
            else if (c is '*' or '?')
            {
                if (c == '*' && kinds.Count > 0 && kinds[^1] == Star)
                {
                    continue;
                }

                chars.Add(c);
                kinds.Add(c == '*' ? Star : AnyOne);
            }
            else
            {
                chars.Add(cased ? c : SigmaAtomAutomaton.Fold(c));
                kinds.Add(Literal);
            }
        }

        if (part is SigmaFieldPart.Contains or SigmaFieldPart.StartsWith && (kinds.Count == 0 || kinds[^1] != Star))
        {
            chars.Add('*');
            kinds.Add(Star);
        }

        return Build(chars, kinds, cased);
    }

    /// <summary>A pattern matching exactly <paramref name="literal"/> (already unescaped), as encoders produce.</summary>
    public static string Escape(string literal)
    {
        var builder = new StringBuilder(literal.Length + 4);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The literal a pattern stands for, or null when it holds a wildcard (encoders cannot encode those).</summary>
    public static string? Unescape(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '*' or '?' or '\\')
            {
                builder.Append(text[++i]);
            }
            else if (c is '*' or '?')
            {
                return null;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static SigmaPattern Build(List<char> chars, List<byte> kinds, bool cased)
    {
        var inner = 0;
        for (var i = 1; i < kinds.Count - 1; i++)
        {
            inner += kinds[i] == Literal ? 0 : 1;
        }

        var leading = kinds.Count > 0 && kinds[0] == Star;
        var trailing = kinds.Count > 1 && kinds[^1] == Star;
        var anyOne = kinds.Contains(AnyOne);
        var atom = LongestLiteral(chars, kinds);
        if (!anyOne && inner == 0 && !(kinds.Count == 1 && leading))
        {
            var from = leading ? 1 : 0;
            var to = chars.Count - (trailing ? 1 : 0);
            var literal = new string(chars.GetRange(from, Math.Max(0, to - from)).ToArray());
            var shape = (leading, trailing) switch
            {
                (true, true) => PatternShape.Contains,
                (true, false) => PatternShape.Suffix,
                (false, true) => PatternShape.Prefix,
                _ => PatternShape.Exact,
            };
            return new SigmaPattern(shape, literal, null, null, cased) { Atom = atom };
        }

        return new SigmaPattern(PatternShape.Glob, "", [.. chars], [.. kinds], cased) { Atom = atom };
    }

    private static string LongestLiteral(List<char> chars, List<byte> kinds)
    {
        int best = 0, bestStart = 0, run = 0;
        for (var i = 0; i < kinds.Count; i++)
        {
            run = kinds[i] == Literal ? run + 1 : 0;
            if (run > best)
            {
                best = run;
                bestStart = i - run + 1;
            }
        }

        var atom = chars.GetRange(bestStart, best).ToArray();
        for (var i = 0; i < atom.Length; i++)
        {
            atom[i] = SigmaAtomAutomaton.Fold(atom[i]);
        }

        return new string(atom);
    }

    /// <summary>Case is ignored by ordinal case-insensitive comparison (vectorised for ASCII), so event values are
    /// never copied to be lower-cased.</summary>
    public bool IsMatch(string value)
    {
        var comparison = Cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return Shape switch
        {
            PatternShape.Exact => string.Equals(value, _literal, comparison),
            PatternShape.Prefix => value.StartsWith(_literal, comparison),
            PatternShape.Suffix => value.EndsWith(_literal, comparison),
            PatternShape.Contains => value.Contains(_literal, comparison),
            _ => GlobMatch(value),
        };
    }

    /// <summary>Iterative glob match remembering the last star: O(pattern × text) at worst, no recursion.</summary>
    private bool GlobMatch(ReadOnlySpan<char> text)
    {
        var glob = _glob!;
        var kinds = _kinds!;
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < glob.Length && kinds[p] == Star)
            {
                star = p++;
                mark = t;
            }
            else if (p < glob.Length && (kinds[p] == AnyOne || glob[p] == (Cased ? text[t] : SigmaAtomAutomaton.Fold(text[t]))))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < glob.Length && kinds[p] == Star)
        {
            p++;
        }

        return p == glob.Length;
    }
}
