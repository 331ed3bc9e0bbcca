using System.Net;
using System.Text;

namespace Ribat.Forensics.Email;

/// <summary>One link target in HTML: the attribute value (entity-decoded) and, for an anchor, its visible text.</summary>
internal readonly record struct HtmlLink(string Target, string? Text);

/// <summary>
/// A forgiving, single-pass scan of HTML for link targets (<c>href</c>, <c>src</c>, <c>action</c>,
/// <c>formaction</c>, <c>background</c>) and the visible text of anchors. Mail HTML is routinely malformed, so this
/// is a tokenizer that never fails, not a DOM: an unclosed quote or tag ends the scan of that tag.
/// </summary>
internal static class HtmlLinks
{
    private const int MaxLinkText = 300;

    public static void Scan(string html, List<HtmlLink> links, int maxLinks)
    {
        var i = 0;
        while (links.Count < maxLinks)
        {
            i = html.IndexOf('<', i);
            if (i < 0 || i + 1 >= html.Length)
            {
                return;
            }

            var nameStart = ++i;
            while (i < html.Length && char.IsAsciiLetterOrDigit(html[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                continue; // '</x', '<!--', a stray '<'
            }

            var isAnchor = i - nameStart == 1 && (html[nameStart] | 0x20) == 'a';
            i = ReadAttributes(html, i, isAnchor, links, out var anchorTarget);
            if (anchorTarget is not null)
            {
                links.Add(new HtmlLink(anchorTarget, AnchorText(html, i)));
            }
        }
    }

    /// <summary>Reads the attributes of one tag up to its '&gt;'; returns the index after it.</summary>
    private static int ReadAttributes(string html, int i, bool isAnchor, List<HtmlLink> links, out string? anchorTarget)
    {
        anchorTarget = null;
        while (i < html.Length)
        {
            while (i < html.Length && (char.IsWhiteSpace(html[i]) || html[i] == '/'))
            {
                i++;
            }

            if (i >= html.Length || html[i] == '>')
            {
                return i + 1;
            }

            var nameStart = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>' or '/'))
            {
                i++;
            }

            var name = html.AsSpan(nameStart, i - nameStart);
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length || html[i] != '=')
            {
                continue;
            }

            i++;
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            var value = ReadValue(html, ref i);
            if (value is null || !IsLinkAttribute(name))
            {
                continue;
            }

            var decoded = WebUtility.HtmlDecode(value).Trim();
            if (isAnchor && name.Equals("href", StringComparison.OrdinalIgnoreCase))
            {
                anchorTarget = decoded;
            }
            else
            {
                links.Add(new HtmlLink(decoded, null));
            }
        }

        return i;
    }

    private static string? ReadValue(string html, ref int i)
    {
        if (i >= html.Length)
        {
            return null;
        }

        if (html[i] is '"' or '\'')
        {
            var close = html.IndexOf(html[i], i + 1);
            if (close < 0)
            {
                i = html.Length;
                return null;
            }

            var quoted = html[(i + 1)..close];
            i = close + 1;
            return quoted;
        }

        var start = i;
        while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
        {
            i++;
        }

        return html[start..i];
    }

    private static bool IsLinkAttribute(ReadOnlySpan<char> name) =>
        name.Equals("href", StringComparison.OrdinalIgnoreCase) || name.Equals("src", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("action", StringComparison.OrdinalIgnoreCase) || name.Equals("formaction", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("background", StringComparison.OrdinalIgnoreCase);

    /// <summary>The text a reader sees: tags dropped (each replaced by a space), entities decoded.</summary>
    public static string VisibleText(string html)
    {
        var text = new StringBuilder(html.Length);
        var inTag = false;
        foreach (var c in html)
        {
            if (c == '<')
            {
                inTag = true;
                text.Append(' ');
            }
            else if (c == '>' && inTag)
            {
                inTag = false;
            }
            else if (!inTag)
            {
                text.Append(c);
            }
        }

        return WebUtility.HtmlDecode(text.ToString());
    }

    /// <summary>The anchor's visible text: tags dropped, entities decoded, white space collapsed.</summary>
    private static string AnchorText(string html, int start)
    {
        var end = html.IndexOf("</a", start, StringComparison.OrdinalIgnoreCase);
        if (end < 0)
        {
            end = Math.Min(html.Length, start + 4 * MaxLinkText);
        }

        var text = new StringBuilder();
        var inTag = false;
        for (var i = start; i < end && text.Length < MaxLinkText * 2; i++)
        {
            var c = html[i];
            if (c == '<')
            {
                inTag = true;
            }
            else if (c == '>')
            {
                inTag = false;
            }
            else if (!inTag)
            {
                text.Append(c);
            }
        }

        var decoded = WebUtility.HtmlDecode(text.ToString());
        var collapsed = string.Join(' ', decoded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= MaxLinkText ? collapsed : collapsed[..MaxLinkText];
    }
}
