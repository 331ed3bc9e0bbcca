using System.Globalization;
using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// Finds host names that imitate a protected domain. The registrable label (the label left of the public suffix) is
/// decoded from punycode and compared by skeleton, so <c>xn--pypal-4ve.com</c> (Cyrillic 'а') and <c>paypa1.com</c>
/// match <c>paypal.com</c>; then by edit distance, by the protected label appearing inside a longer label, by the
/// protected domain appearing as subdomain labels of another domain, and by the same label under another suffix.
/// A host under the protected domain itself is never a look-alike.
/// </summary>
internal static class LookalikeDetector
{
    private static readonly IdnMapping Idn = new();

    public static Lookalike? Check(string host, string where, ProtectedDomains protectedDomains)
    {
        var registered = PublicSuffixList.Default.GetRegisteredDomain(host);
        if (registered is null)
        {
            return null;
        }

        var ascii = registered[..registered.IndexOf('.')];
        var suffix = registered[(ascii.Length + 1)..];
        var label = Unicode(ascii);
        var display = label == ascii ? registered : $"{label}.{suffix}";
        var skeleton = Confusables.Skeleton(label);
        foreach (var entry in protectedDomains.Entries)
        {
            if (registered == entry.Registered)
            {
                return null;
            }
        }

        foreach (var entry in protectedDomains.Entries)
        {
            if (Match(host, registered, label, suffix, skeleton, entry) is { } found)
            {
                return new Lookalike(registered, display, entry.Registered, found.Kind, found.Detail, where);
            }
        }

        var scripts = Confusables.Scripts(label);
        if ((scripts & (scripts - 1)) != 0)
        {
            return new Lookalike(registered, display, null, "mixed-script", $"the label '{label}' mixes {Confusables.ScriptNames(scripts)} letters.", where);
        }

        return null;
    }

    private static (string Kind, string Detail)? Match(string host, string registered, string label, string suffix, string skeleton, ProtectedDomain entry)
    {
        if (skeleton == entry.Skeleton)
        {
            if (label == entry.Label)
            {
                return ("tld-swap", $"the label of {entry.Registered} under .{suffix} instead of .{entry.Suffix}.");
            }

            return ("homoglyph", $"'{label}' looks like '{entry.Label}': {Substitutions(label, entry.Label)}.");
        }

        if (entry.MaxEdits > 0)
        {
            var distance = EditDistance.Bounded(skeleton, entry.Skeleton, entry.MaxEdits);
            if (distance <= entry.MaxEdits)
            {
                return ("typo", $"'{label}' is {distance} edit{(distance == 1 ? string.Empty : "s")} from '{entry.Label}'.");
            }
        }

        if (entry.Skeleton.Length >= 4 && skeleton.Contains(entry.Skeleton, StringComparison.Ordinal))
        {
            return ("added-words", $"'{label}' adds words to '{entry.Label}'.");
        }

        if (host.Length > registered.Length && host.Contains(entry.Registered + ".", StringComparison.Ordinal) &&
            (host.StartsWith(entry.Registered + ".", StringComparison.Ordinal) || host.Contains("." + entry.Registered + ".", StringComparison.Ordinal)))
        {
            return ("subdomain", $"{entry.Registered} is written as subdomain labels of {registered}.");
        }

        return null;
    }

    private static string Unicode(string ascii)
    {
        if (!ascii.StartsWith("xn--", StringComparison.Ordinal))
        {
            return ascii;
        }

        try
        {
            return Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return ascii; // undecodable punycode: compared as written
        }
    }

    /// <summary>Names the characters that differ from their Latin twins: <c>'а' (U+0430) for 'a'</c>.</summary>
    private static string Substitutions(string label, string genuine)
    {
        var text = new StringBuilder();
        foreach (var c in label)
        {
            var mapped = Confusables.TryLatin(c, out var latin);
            if (!mapped && c > '\u007f')
            {
                var bare = c.ToString().Normalize(NormalizationForm.FormD)[0];
                latin = bare < '\u0080' ? bare : '?';
            }

            if (mapped || c > '\u007f')
            {
                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(CultureInfo.InvariantCulture, $"'{c}' (U+{(int)c:X4}) for '{latin}'");
            }
        }

        return text.Length == 0 ? $"letters read as in '{genuine}'" : text.ToString();
    }
}
