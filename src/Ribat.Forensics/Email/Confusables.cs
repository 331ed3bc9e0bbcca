using System.Globalization;
using System.Text;

namespace Ribat.Forensics.Email;

/// <summary>
/// A small confusables table (after Unicode TS #39, limited to what phishing domains use: Cyrillic and Greek letters
/// that look Latin, digits that look like letters, accented Latin letters) and the "skeleton" built from it: two
/// labels that look alike in a browser's address bar have the same skeleton.
/// </summary>
internal static class Confusables
{
    private static readonly Dictionary<char, char> Table = new()
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x',
        ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['ѕ'] = 's', ['һ'] = 'h', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['к'] = 'k',
        ['м'] = 'm', ['н'] = 'h', ['т'] = 't', ['ь'] = 'b', ['ӏ'] = 'l', ['ɡ'] = 'g', ['ո'] = 'n', ['ս'] = 'u',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p', ['τ'] = 't',
        ['υ'] = 'u', ['χ'] = 'x', ['ϲ'] = 'c', ['ω'] = 'w', ['η'] = 'n', ['γ'] = 'y', ['ϳ'] = 'j',
        // Latin look-alikes and digits
        ['ı'] = 'i', ['ł'] = 'l', ['ɑ'] = 'a', ['ǀ'] = 'l', ['ß'] = 'b', ['ø'] = 'o', ['đ'] = 'd', ['ħ'] = 'h',
        ['0'] = 'o', ['1'] = 'l', ['3'] = 'e', ['5'] = 's', ['7'] = 't', ['8'] = 'b', ['9'] = 'g', ['|'] = 'l',
    };

    /// <summary>Letter pairs that read as one letter in most fonts.</summary>
    private static readonly (string From, string To)[] Pairs = [("rn", "m"), ("vv", "w"), ("cl", "d"), ("nn", "m")];

    /// <summary>The label's skeleton: lower case, accents dropped, confusables mapped to their Latin letter.</summary>
    public static string Skeleton(string label)
    {
        var decomposed = label.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(Table.TryGetValue(c, out var latin) ? latin : c);
        }

        foreach (var (from, to) in Pairs)
        {
            builder.Replace(from, to);
        }

        return builder.ToString();
    }

    /// <summary>True when <paramref name="c"/> is mapped by the table (for naming the substitution).</summary>
    public static bool TryLatin(char c, out char latin) => Table.TryGetValue(char.ToLowerInvariant(c), out latin);

    /// <summary>The scripts of the letters in a label, as a set of flags: 1 Latin, 2 Cyrillic, 4 Greek, 8 other.</summary>
    public static int Scripts(string label)
    {
        var scripts = 0;
        foreach (var c in label)
        {
            if (!char.IsLetter(c))
            {
                continue;
            }

            scripts |= c switch
            {
                < '\u0250' => 1,
                >= '\u0370' and < '\u0400' => 4,
                >= '\u1F00' and < '\u2000' => 4,
                >= '\u0400' and < '\u0530' => 2,
                _ => 8,
            };
        }

        return scripts;
    }

    public static string ScriptNames(int scripts)
    {
        var names = new List<string>(4);
        if ((scripts & 1) != 0)
        {
            names.Add("Latin");
        }

        if ((scripts & 2) != 0)
        {
            names.Add("Cyrillic");
        }

        if ((scripts & 4) != 0)
        {
            names.Add("Greek");
        }

        if ((scripts & 8) != 0)
        {
            names.Add("other");
        }

        return string.Join(" and ", names);
    }
}
