using System.Buffers;

namespace Ribat.Forensics.Hunting;

public sealed partial class IocMatcher
{
    private const string ChunkBreakText =
        " \t\r\n\v\f\"<>`\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000E\u000F\u0010\u0011\u0012\u0013"
        + "\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F\u00A0\uFFFD";

    private const string TokenCharText = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:@+";

    private const byte Break = 1;
    private const byte Token = 2;

    /// <summary>'.', a token character that separates the parts of an address or a name.</summary>
    private const byte Dot = 4;

    /// <summary>':', '@' and '+', token characters that join the parts of an e-mail, an IPv6 address or <c>host:port</c>.</summary>
    private const byte Joint = 8;

    /// <summary>
    /// What each ASCII character is to the tokeniser: a chunk break (white space, controls, quotes and angle brackets,
    /// never part of a URL), a token character (letters and digits and the punctuation of addresses, names and
    /// e-mails, with '.' and the joints ':', '@' and '+' marked), or neither. Outside ASCII only U+00A0 and U+FFFD break, and
    /// nothing is a token character. Values are walked once, by hand: most are short, and a vectorised search per word
    /// costs more than it saves on them.
    /// </summary>
    private static readonly byte[] AsciiKinds = MakeKinds();

    private static byte[] MakeKinds()
    {
        var kinds = new byte[128];
        foreach (var c in ChunkBreakText)
        {
            if (c < 128)
            {
                kinds[c] = Break;
            }
        }

        foreach (var c in TokenCharText)
        {
            kinds[c] = c switch { '.' => Token | Dot, ':' or '@' or '+' => Token | Joint, _ => Token };
        }

        return kinds;
    }

    private static byte KindOf(char c) => c < 128 ? AsciiKinds[c] : (byte)0;

    /// <summary>The chunk breaks, and those of them in ASCII, which a vectorised search finds faster in ASCII text.</summary>
    private static readonly SearchValues<char> ChunkBreaks = SearchValues.Create(ChunkBreakText);

    private static readonly SearchValues<char> AsciiChunkBreaks = SearchValues.Create(ChunkBreakText.Replace("\u00A0", "").Replace("\uFFFD", ""));

    private void ScanValue(ref Sink sink)
    {
        var value = sink.Value.AsSpan();
        var breaks = System.Text.Ascii.IsValid(value) ? AsciiChunkBreaks : ChunkBreaks;
        var i = 0;
        while (i < value.Length)
        {
            var skip = value[i..].IndexOfAnyExcept(breaks);
            if (skip < 0)
            {
                break;
            }

            i += skip;
            var length = value[i..].IndexOfAny(breaks);
            var end = length < 0 ? value.Length : i + length;
            ScanChunk(ref sink, i, end);
            i = end;
        }
    }

    /// <summary>A chunk holding <c>scheme://</c> is a URL from the scheme on; what precedes it is words.</summary>
    private void ScanChunk(ref Sink sink, int start, int end)
    {
        var value = sink.Value;
        var scheme = value.AsSpan(start, end - start).IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var schemeStart = start + scheme;
            while (schemeStart > start && IsSchemeChar(value[schemeStart - 1]))
            {
                schemeStart--;
            }

            if (schemeStart < start + scheme && char.IsAsciiLetter(value[schemeStart]))
            {
                ScanWords(ref sink, start, schemeStart);
                MatchUrl(ref sink, schemeStart, TrimUrlEnd(value, schemeStart, end));
                return;
            }
        }

        ScanWords(ref sink, start, end);
    }

    private void ScanWords(ref Sink sink, int start, int end)
    {
        var text = sink.Value.AsSpan(0, end);
        var anyLabel = Set.HasSingleLabelHosts;
        var digests = Set.HasDigests;
        var i = start;
        while (i < text.Length)
        {
            while (i < text.Length && (KindOf(text[i]) & Token) == 0)
            {
                i++;
            }

            if (i == text.Length)
            {
                return;
            }

            var wordStart = i;
            var kinds = 0;
            while (i < text.Length)
            {
                var kind = KindOf(text[i]);
                if ((kind & Token) == 0)
                {
                    break;
                }

                kinds |= kind;
                i++;
            }

            var (s, e) = TrimWord(text, wordStart, i);

            // Without '.', ':', '@' or '+' a word is no address, e-mail or name of two labels: unless the set holds
            // single-label names or it may be a digest, there is nothing to look up.
            if ((kinds & (Dot | Joint)) == 0 && !anyLabel && !(digests && (e - s) is 32 or 40 or 64 or 128))
            {
                continue;
            }

            if (e > s && e - s <= MaxTokenLength)
            {
                if ((kinds & Joint) == 0)
                {
                    MatchPlainWord(ref sink, s, e);
                }
                else
                {
                    MatchWord(ref sink, s, e);
                }
            }
        }
    }

    /// <summary>
    /// One word, by shape: an e-mail address, an IPv6 address, a digest, an IPv4 address or a host name. A word
    /// joined by ':' or '+' that is none of these (<c>host:port</c>, <c>user:evil.example</c>) is split there.
    /// </summary>
    private void MatchWord(ref Sink sink, int start, int end)
    {
        var word = sink.Value.AsSpan(start, end - start);
        var at = word.IndexOf('@');
        if (at > 0 && at < word.Length - 1 && word[(at + 1)..].IndexOfAny(':', '@', '+') < 0)
        {
            MatchEmail(ref sink, start, end, start + at);
            return;
        }

        var joint = word.IndexOfAny(':', '+', '@');
        if (joint >= 0)
        {
            if (word.Contains(':') && IpText.TryParseIPv6(word, out var v6))
            {
                MatchAddress(ref sink, v6, isV6: true, start, end);
                return;
            }

            SplitAtJoints(ref sink, start, end);
            return;
        }

        MatchPlainWord(ref sink, start, end);
    }

    private void SplitAtJoints(ref Sink sink, int start, int end)
    {
        var value = sink.Value.AsSpan();
        var i = start;
        while (i <= end)
        {
            var length = value[i..end].IndexOfAny(':', '+', '@');
            var partEnd = length < 0 ? end : i + length;
            var (s, e) = TrimWord(value, i, partEnd);
            if (e > s)
            {
                MatchPlainWord(ref sink, s, e);
            }

            i = partEnd + 1;
        }
    }

    /// <summary>A word of letters, digits, '.', '-' and '_': a digest, an IPv4 address or a host name.</summary>
    private void MatchPlainWord(ref Sink sink, int start, int end)
    {
        var word = sink.Value.AsSpan(start, end - start);
        if (word.Length is 32 or 40 or 64 or 128 && Set.HasDigests && !word.ContainsAnyExcept(HexDigits))
        {
            MatchDigest(ref sink, start, end);
            return;
        }

        if (IpText.TryParseIPv4(word, out var v4))
        {
            MatchAddress(ref sink, v4, isV6: false, start, end);
            return;
        }

        if (Set.HasHosts)
        {
            MatchHost(ref sink, word, start, end);
        }
    }

    /// <summary>Drops leading and trailing punctuation, but keeps a "::" that starts or ends an IPv6 address.</summary>
    private static (int Start, int End) TrimWord(ReadOnlySpan<char> value, int start, int end)
    {
        while (start < end && IsTrimmed(value[start]) && !(value[start] == ':' && start + 1 < end && value[start + 1] == ':'))
        {
            start++;
        }

        while (end > start && IsTrimmed(value[end - 1]) && !(value[end - 1] == ':' && end - 2 >= start && value[end - 2] == ':'))
        {
            end--;
        }

        return (start, end);
    }

    private static bool IsTrimmed(char c) => c is '.' or '-' or '_' or ':' or '+' or '@';

    /// <summary>Trailing sentence punctuation and an unbalanced closing bracket are not part of a URL.</summary>
    private static int TrimUrlEnd(string value, int start, int end)
    {
        while (end > start && (value[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or '\''
            || (value[end - 1] is ')' or ']' && value.AsSpan(start, end - start).IndexOfAny('(', '[') < 0)))
        {
            end--;
        }

        return end;
    }

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.';

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
}
