using MimeKit.Utils;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// Reads one Received header (RFC 5321 §4.4): <c>from HOST (COMMENT) by HOST with PROTOCOL id ID for ADDR; DATE</c>.
/// Real servers bend the grammar (Exim's <c>(helo=x)</c>, Exchange's bare IPv6 in the comment, Postfix's
/// <c>(rdns [ip])</c>), so clauses are found by keyword at the top level and the sending address is taken from the
/// first bracketed literal, then from any address-shaped word, of the <c>from</c> clause.
/// </summary>
internal static class ReceivedParser
{
    private enum Clause
    {
        None,
        From,
        By,
        Via,
        With,
        Id,
        For,
    }

    public static ReceivedHop Parse(int position, string value)
    {
        var text = value.ReplaceLineEndings(" ");
        var split = LastTopLevelSemicolon(text);
        var clauses = split < 0 ? text : text[..split];
        DateTimeOffset? timestamp = null;
        if (split >= 0 && DateUtils.TryParse(text[(split + 1)..].Trim(), out var date))
        {
            timestamp = date.ToUniversalTime();
        }

        string? fromWord = null, byWord = null, withWord = null;
        var fromComments = new List<string>();
        var clause = Clause.None;
        var expectValue = false;
        foreach (var (token, isComment) in Tokens(clauses))
        {
            if (isComment)
            {
                if (clause == Clause.From)
                {
                    fromComments.Add(token);
                }

                continue;
            }

            var keyword = Keyword(token);
            if (keyword != Clause.None && !(expectValue && clause == Clause.For))
            {
                clause = keyword;
                expectValue = true;
                continue;
            }

            if (!expectValue)
            {
                continue;
            }

            expectValue = false;
            switch (clause)
            {
                case Clause.From:
                    fromWord = token;
                    break;
                case Clause.By:
                    byWord = token;
                    break;
                case Clause.With:
                    withWord = token;
                    break;
            }
        }

        var fromIp = AddressOf(fromWord, fromComments);
        var fromHost = HostOf(fromWord) ?? HeloOf(fromComments);
        return new ReceivedHop(position, fromHost, fromIp, HostOf(byWord), withWord, timestamp, null, value.Trim());
    }

    private static Clause Keyword(string token) => token.ToLowerInvariant() switch
    {
        "from" => Clause.From,
        "by" => Clause.By,
        "via" => Clause.Via,
        "with" => Clause.With,
        "id" => Clause.Id,
        "for" => Clause.For,
        _ => Clause.None,
    };

    /// <summary>The host word of a clause, or null when it is an address literal (<c>[192.0.2.1]</c>).</summary>
    private static string? HostOf(string? word)
    {
        if (string.IsNullOrEmpty(word) || word[0] == '[' || TryAddress(word, out _))
        {
            return null;
        }

        return word.TrimEnd('.').ToLowerInvariant();
    }

    private static string? HeloOf(List<string> comments)
    {
        foreach (var comment in comments)
        {
            var helo = comment.IndexOf("helo=", StringComparison.OrdinalIgnoreCase);
            if (helo >= 0)
            {
                var rest = comment.AsSpan(helo + 5);
                var end = rest.IndexOfAny(" )];,");
                return HostOf((end < 0 ? rest : rest[..end]).ToString());
            }
        }

        return null;
    }

    private static string? AddressOf(string? fromWord, List<string> comments)
    {
        if (fromWord is not null && fromWord.StartsWith('[') && TryLiteral(fromWord, out var literal))
        {
            return literal;
        }

        foreach (var comment in comments)
        {
            var open = comment.IndexOf('[');
            while (open >= 0)
            {
                var close = comment.IndexOf(']', open);
                if (close < 0)
                {
                    break;
                }

                if (TryLiteral(comment[open..(close + 1)], out literal))
                {
                    return literal;
                }

                open = comment.IndexOf('[', close);
            }
        }

        foreach (var comment in comments)
        {
            foreach (var word in comment.Split([' ', '\t', ',', '(', ')', '='], StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryAddress(word.Trim('[', ']', '.', ';'), out var address))
                {
                    return address;
                }
            }
        }

        return fromWord is not null && TryAddress(fromWord, out var bare) ? bare : null;
    }

    private static bool TryLiteral(string bracketed, out string address)
    {
        var inner = bracketed.AsSpan().Trim('[').TrimEnd(']').Trim();
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            inner = inner[5..];
        }

        return TryAddress(inner.ToString(), out address);
    }

    private static bool TryAddress(string text, out string address)
    {
        var kind = text.Contains(':') ? ObservableType.IPv6 : ObservableType.IPv4;
        if (text.Length is > 0 and <= 45 && Observables.TryCanonicalise(kind, text, out var value, out _))
        {
            address = value.Value;
            return true;
        }

        address = string.Empty;
        return false;
    }

    private static int LastTopLevelSemicolon(string text)
    {
        var depth = 0;
        var last = -1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')' when depth > 0:
                    depth--;
                    break;
                case ';' when depth == 0:
                    last = i;
                    break;
            }
        }

        return last;
    }

    /// <summary>Top-level words and comments (the text inside one outermost pair of parentheses).</summary>
    private static IEnumerable<(string Token, bool IsComment)> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '(')
            {
                var depth = 0;
                var start = i + 1;
                for (; i < text.Length; i++)
                {
                    if (text[i] == '(')
                    {
                        depth++;
                    }
                    else if (text[i] == ')' && --depth == 0)
                    {
                        break;
                    }
                }

                yield return (text[start..Math.Min(i, text.Length)], true);
                i++;
                continue;
            }

            var wordStart = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '(')
            {
                i++;
            }

            yield return (text[wordStart..i], false);
        }
    }
}
