using System.Buffers;

namespace Ribat.Forensics.Hunting;

public sealed partial class IocMatcher
{
    /// <summary>What ends a chunk: white space, controls, quotes and angle brackets (never part of a URL).</summary>
    private static readonly SearchValues<char> ChunkBreaks = SearchValues.Create(
        " \t\r\n\v\f\"<>`\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000E\u000F\u0010\u0011\u0012\u0013"
        + "\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F\u00A0\uFFFD");

    /// <summary>What a token may hold: letters and digits and the punctuation of addresses, names and e-mails.</summary>
    private static readonly SearchValues<char> TokenChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:@+");

    private void ScanValue(ref Sink sink)
    {
        var value = sink.Value.AsSpan();
        var i = 0;
        while (i < value.Length)
        {
            var skip = value[i..].IndexOfAnyExcept(ChunkBreaks);
            if (skip < 0)
            {
                break;
            }

            i += skip;
            var length = value[i..].IndexOfAny(ChunkBreaks);
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
        var value = sink.Value.AsSpan();
        var i = start;
        while (i < end)
        {
            var skip = value[i..end].IndexOfAny(TokenChars);
            if (skip < 0)
            {
                return;
            }

            i += skip;
            var length = value[i..end].IndexOfAnyExcept(TokenChars);
            var wordEnd = length < 0 ? end : i + length;
            var (s, e) = TrimWord(value, i, wordEnd);
            if (e > s && e - s <= MaxTokenLength)
            {
                MatchWord(ref sink, s, e);
            }

            i = wordEnd;
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
