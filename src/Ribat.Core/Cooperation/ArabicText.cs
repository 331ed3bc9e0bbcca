using System.Text;

namespace Ribat.Core.Cooperation;

/// <summary>
/// Turns Arabic text into what a PDF must draw glyph by glyph, because PDFsharp neither joins Arabic letters nor
/// orders right-to-left text: each letter of U+0621–U+064A becomes its isolated, final, initial or medial
/// presentation form (Unicode block FE70–FEFF, lam-alef as its ligature), and a line is put in visual order
/// (right-to-left runs reversed, Latin words and numbers kept left to right inside them). Letters outside that
/// range (Persian and Urdu additions) are drawn in their isolated shape.
/// </summary>
internal static class ArabicText
{
    // Per letter from U+0621: isolated form and how many forms follow it (1 = right-joining: isolated, final;
    // 3 = dual-joining: isolated, final, initial, medial; 0 = does not join).
    private static readonly (char Isolated, byte Extra)[] Letters =
    [
        ('\uFE80', 0), ('\uFE81', 1), ('\uFE83', 1), ('\uFE85', 1), ('\uFE87', 1), ('\uFE89', 3), ('\uFE8D', 1), ('\uFE8F', 3),
        ('\uFE93', 1), ('\uFE95', 3), ('\uFE99', 3), ('\uFE9D', 3), ('\uFEA1', 3), ('\uFEA5', 3), ('\uFEA9', 1), ('\uFEAB', 1),
        ('\uFEAD', 1), ('\uFEAF', 1), ('\uFEB1', 3), ('\uFEB5', 3), ('\uFEB9', 3), ('\uFEBD', 3), ('\uFEC1', 3), ('\uFEC5', 3),
        ('\uFEC9', 3), ('\uFECD', 3),
    ];

    // U+0641–U+064A.
    private static readonly (char Isolated, byte Extra)[] LateLetters =
    [
        ('\uFED1', 3), ('\uFED5', 3), ('\uFED9', 3), ('\uFEDD', 3), ('\uFEE1', 3), ('\uFEE5', 3), ('\uFEE9', 3), ('\uFEED', 1),
        ('\uFEEF', 1), ('\uFEF1', 3),
    ];

    private const char Lam = '\u0644';
    private const char Tatweel = '\u0640';

    public static bool HasRightToLeft(string text)
    {
        foreach (var c in text)
        {
            if (IsRightToLeft(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A paragraph is right-to-left when its first letter is.</summary>
    public static bool StartsRightToLeft(string text)
    {
        foreach (var c in text)
        {
            if (IsRightToLeft(c))
            {
                return true;
            }

            if (char.IsLetter(c))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Replaces Arabic letters by their contextual presentation forms; the text stays in logical order.</summary>
    public static string Shape(string text)
    {
        if (!HasRightToLeft(text))
        {
            return text;
        }

        var shaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!TryForms(c, out var forms))
            {
                shaped.Append(c);
                continue;
            }

            var joinsBefore = JoinsForward(Previous(text, i));
            var next = Next(text, i, out var nextIndex);
            if (c == Lam && next is '\u0622' or '\u0623' or '\u0625' or '\u0627')
            {
                var ligature = next switch { '\u0622' => '\uFEF5', '\u0623' => '\uFEF7', '\u0625' => '\uFEF9', _ => '\uFEFB' };
                shaped.Append((char)(ligature + (joinsBefore ? 1 : 0)));
                shaped.Append(text, i + 1, nextIndex - i - 1); // marks between lam and alef stay
                i = nextIndex;
                continue;
            }

            var joinsAfter = forms.Extra == 3 && JoinsBackward(next);
            var form = forms.Extra switch
            {
                0 => 0,
                1 => joinsBefore ? 1 : 0,
                _ => (joinsBefore, joinsAfter) switch { (true, true) => 3, (false, true) => 2, (true, false) => 1, _ => 0 },
            };
            shaped.Append((char)(forms.Isolated + form));
        }

        return shaped.ToString();
    }

    /// <summary>
    /// One line in the order its glyphs are drawn from left to right. Runs of right-to-left text are reversed;
    /// runs of Latin letters and digits keep their order; spaces and punctuation between two runs of the same
    /// direction go with them, otherwise with the paragraph's direction.
    /// </summary>
    public static string Visual(string line, bool rightToLeft)
    {
        if (!HasRightToLeft(line))
        {
            return line;
        }

        var direction = new bool[line.Length]; // true: right to left
        for (var i = 0; i < line.Length; i++)
        {
            direction[i] = Strong(line[i]) ?? NeutralDirection(line, i, rightToLeft);
        }

        var runs = new List<string>();
        var start = 0;
        for (var i = 1; i <= line.Length; i++)
        {
            if (i == line.Length || direction[i] != direction[start])
            {
                var run = line[start..i];
                runs.Add(direction[start] ? Mirror(Reverse(run)) : run);
                start = i;
            }
        }

        if (rightToLeft)
        {
            runs.Reverse();
        }

        return string.Concat(runs);
    }

    private static bool? Strong(char c) =>
        IsRightToLeft(c) ? true : char.IsLetterOrDigit(c) ? false : null;

    private static bool NeutralDirection(string line, int i, bool paragraph)
    {
        bool? before = null, after = null;
        for (var j = i - 1; j >= 0 && before is null; j--)
        {
            before = Strong(line[j]);
        }

        for (var j = i + 1; j < line.Length && after is null; j++)
        {
            after = Strong(line[j]);
        }

        return before == after && before is { } same ? same : paragraph;
    }

    private static bool IsRightToLeft(char c) =>
        c is (>= '\u0590' and <= '\u08FF') or (>= '\uFB1D' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFF');

    private static bool IsMark(char c) => c is (>= '\u064B' and <= '\u065F') or '\u0670';

    private static bool TryForms(char c, out (char Isolated, byte Extra) forms)
    {
        if (c is >= '\u0621' and <= '\u063A')
        {
            forms = Letters[c - '\u0621'];
            return true;
        }

        if (c is >= '\u0641' and <= '\u064A')
        {
            forms = LateLetters[c - '\u0641'];
            return true;
        }

        forms = default;
        return false;
    }

    private static char? Previous(string text, int i)
    {
        for (var j = i - 1; j >= 0; j--)
        {
            if (!IsMark(text[j]))
            {
                return text[j];
            }
        }

        return null;
    }

    private static char? Next(string text, int i, out int index)
    {
        for (index = i + 1; index < text.Length; index++)
        {
            if (!IsMark(text[index]))
            {
                return text[index];
            }
        }

        return null;
    }

    /// <summary>Whether a letter connects to the one after it (dual-joining, or the joining stroke).</summary>
    private static bool JoinsForward(char? c) => c == Tatweel || (c is { } letter && TryForms(letter, out var f) && f.Extra == 3);

    /// <summary>Whether a letter accepts a connection from the one before it.</summary>
    private static bool JoinsBackward(char? c) => c == Tatweel || (c is { } letter && TryForms(letter, out var f) && f.Extra > 0);

    private static string Reverse(string run)
    {
        var chars = run.ToCharArray();
        Array.Reverse(chars);

        // A combining mark follows its letter in the font's drawing order too.
        for (var i = 0; i < chars.Length - 1; i++)
        {
            if (IsMark(chars[i]))
            {
                var j = i;
                while (j < chars.Length - 1 && IsMark(chars[j + 1]))
                {
                    j++;
                }

                if (j + 1 < chars.Length)
                {
                    (chars[i], chars[j + 1]) = (chars[j + 1], chars[i]);
                    Array.Reverse(chars, i + 1, j - i + 1);
                }

                i = j + 1;
            }
        }

        return new string(chars);
    }

    private static string Mirror(string run) =>
        string.Create(run.Length, run, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] switch { '(' => ')', ')' => '(', '[' => ']', ']' => '[', '<' => '>', '>' => '<', '{' => '}', '}' => '{', '«' => '»', '»' => '«', _ => source[i] };
            }
        });
}
