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
    // Each pair is a look-alike followed by the Latin letter it passes for.
    private const string CyrillicPairs = "аaвbеeёeоoрpсcуyхxіiїiјjѕsһhԁdԛqԝwкkмmнhтtьbӏlɡgոnսu";
    private const string GreekPairs = "αaβbεeιiκkνvοoρpτtυuχxϲcωwηnγyϳj";
    private const string LatinAndDigitPairs = "ıiłlɑaǀlßbøođdħh0o1l3e5s7t8b9g|l";

    private static readonly Dictionary<char, char> Table = BuildTable(CyrillicPairs + GreekPairs + LatinAndDigitPairs);

    /// <summary>Letter pairs that read as one letter in most fonts.</summary>
    private static readonly (string From, string To)[] Pairs = [("rn", "m"), ("vv", "w"), ("cl", "d"), ("nn", "m")];

    private static Dictionary<char, char> BuildTable(string pairs)
    {
        var table = new Dictionary<char, char>(pairs.Length / 2);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            table.Add(pairs[i], pairs[i + 1]);
        }

        return table;
    }

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
