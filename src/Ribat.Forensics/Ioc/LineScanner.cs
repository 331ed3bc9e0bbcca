namespace Ribat.Forensics.Ioc;

/// <summary>A candidate found in one (refanged) line: its canonical value and its [Start, End) character range.</summary>
internal readonly record struct LineHit(Canonical Value, int Start, int End);

/// <summary>
/// Splits one line into candidate tokens with a hand-written scanner (no regular expressions, so no
/// backtracking) and asks <see cref="Observables"/> to validate each. Classification is by shape first, so a hex
/// digest is only ever a digest and never also a domain or an address.
/// </summary>
internal sealed partial class LineScanner
{
    private const int MaxTokenLength = 4096;
    private readonly List<LineHit> _hits = [];

    public List<LineHit> Scan(string line, bool includeUrlHosts)
    {
        _hits.Clear();
        ScanPhones(line);
        ScanIbans(line);
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSeparator(line[i]))
            {
                i++;
            }

            var start = i;
            while (i < line.Length && !IsSeparator(line[i]))
            {
                i++;
            }

            if (i > start && i - start <= MaxTokenLength)
            {
                ScanChunk(line, start, i, includeUrlHosts);
            }
        }

        return _hits;
    }

    /// <summary>A whitespace-delimited chunk: a URL takes the rest of it; otherwise it is split on punctuation.</summary>
    private void ScanChunk(string line, int start, int end, bool includeUrlHosts)
    {
        var scheme = line.AsSpan(start, end - start).IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var schemeStart = start + scheme;
            while (schemeStart > start && IsSchemeChar(line[schemeStart - 1]))
            {
                schemeStart--;
            }

            if (schemeStart < start + scheme && char.IsAsciiLetter(line[schemeStart]))
            {
                ScanWords(line, start, schemeStart);
                ScanUrl(line, schemeStart, end, includeUrlHosts);
                return;
            }
        }

        ScanWords(line, start, end);
    }

    private void ScanWords(string line, int start, int end)
    {
        var i = start;
        while (i < end)
        {
            while (i < end && IsWordBreak(line[i]))
            {
                i++;
            }

            var wordStart = i;
            while (i < end && !IsWordBreak(line[i]))
            {
                i++;
            }

            var (s, e) = Trim(line, wordStart, i);
            if (e > s)
            {
                Classify(line, s, e);
            }
        }
    }

    private void ScanUrl(string line, int start, int end, bool includeUrlHosts)
    {
        // Trailing sentence punctuation and an unbalanced closing bracket are not part of the URL.
        while (end > start && (".,;:!?'\"".Contains(line[end - 1])
            || (line[end - 1] is ')' or ']' && !line.AsSpan(start, end - start).ContainsAny("([".AsSpan()))))
        {
            end--;
        }

        if (!Observables.TryCanonicalise(ObservableType.Url, line[start..end], out var url, out _))
        {
            return;
        }

        Add(url, start, end);
        if (!includeUrlHosts)
        {
            return;
        }

        var hostStart = line.IndexOf("://", start, StringComparison.Ordinal) + 3;
        var authorityEnd = line.AsSpan(hostStart, end - hostStart).IndexOfAny("/?#");
        var authorityLast = authorityEnd < 0 ? end : hostStart + authorityEnd;
        var at = line.AsSpan(hostStart, authorityLast - hostStart).LastIndexOf('@');
        if (at >= 0)
        {
            hostStart += at + 1;
        }

        var host = line.AsSpan(hostStart, authorityLast - hostStart);
        var hostEnd = host.StartsWith("[") ? host.IndexOf(']') + 1 : host.IndexOf(':');
        var (s, e) = (hostStart, hostEnd <= 0 ? authorityLast : hostStart + hostEnd);
        if (line[s] == '[' && e - s > 2)
        {
            (s, e) = (s + 1, e - 1);
        }

        Classify(line, s, e);
    }

    private void Add(Canonical value, int start, int end) => _hits.Add(new LineHit(value, start, end));

    private bool TryAdd(ObservableType type, string line, int start, int end)
    {
        if (!Observables.TryCanonicalise(type, line[start..end], out var value, out _))
        {
            return false;
        }

        Add(value, start, end);
        return true;
    }

    private static (int Start, int End) Trim(string line, int start, int end)
    {
        while (start < end && ".:!?*~^".Contains(line[start]))
        {
            start++;
        }

        while (end > start && ".:!?*~^-".Contains(line[end - 1]))
        {
            end--;
        }

        return (start, end);
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '<' or '>' or '`' or '\uFFFD';

    private static bool IsWordBreak(char c) => c is '(' or ')' or '[' or ']' or '{' or '}' or ',' or ';' or '|' or '\'' or '=' or '\\';

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.';
}
