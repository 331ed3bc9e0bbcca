using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

public sealed partial class IocSet
{
    /// <summary>Lines longer than this are reported and skipped (a URL is the longest indicator).</summary>
    public const int MaxIndicatorLineLength = Observables.MaxInputLength + 1024;

    /// <summary>
    /// Reads an indicator file: one indicator per line, its type found from its shape, defanged spellings accepted
    /// (<c>hxxp://evil[.]example</c>); anything after the first whitespace is the indicator's label. Blank lines and
    /// lines starting with <c>#</c> are skipped. A line that is no indicator is reported with its number and the
    /// reason, and the others are kept. Each indicator's id is <c>line N</c>.
    /// </summary>
    public static IocSetLoad Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new BoundedLineReader(reader, MaxIndicatorLineLength);
        var indicators = new List<IocIndicator>();
        var problems = new List<IocSetProblem>();
        while (lines.TryReadLine(out var line, out var skippedLength))
        {
            if (line is null)
            {
                problems.Add(new IocSetProblem(lines.LineNumber, string.Empty,
                    $"line is {skippedLength} characters, longer than the {MaxIndicatorLineLength} allowed."));
                continue;
            }

            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#')
            {
                continue;
            }

            var split = text.IndexOfAny(' ', '\t');
            var value = split < 0 ? text : text[..split];
            var label = split < 0 ? ReadOnlySpan<char>.Empty : text[split..].Trim().TrimStart('#').Trim();
            if (TryType(Defang.Refang(value.ToString()), out var canonical, out var reason))
            {
                indicators.Add(new IocIndicator(canonical.Type, canonical.Value, $"line {lines.LineNumber}", label.IsEmpty ? null : label.ToString()));
            }
            else
            {
                problems.Add(new IocSetProblem(lines.LineNumber, value.ToString(), reason));
            }
        }

        var load = FromIndicators(indicators);
        return problems.Count == 0 ? load : load with { Problems = [.. problems, .. load.Problems] };
    }

    /// <summary>Reads an indicator file from UTF-8 bytes (a byte-order mark is skipped; invalid bytes become U+FFFD).</summary>
    public static IocSetLoad Parse(Stream utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        using var reader = new StreamReader(utf8, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Parse(reader);
    }

    /// <summary>
    /// The type of one indicator, from its shape, canonicalised by <see cref="Observables"/>. A name that is its own
    /// registered domain (or a public suffix) is a domain, a longer one a host name, as the extractor decides.
    /// </summary>
    internal static bool TryType(string value, out Canonical canonical, out string reason)
    {
        canonical = default;
        var span = value.AsSpan();
        if (span.IndexOf("://") >= 0)
        {
            return Observables.TryCanonicalise(ObservableType.Url, value, out canonical, out reason);
        }

        if (span.Contains('@'))
        {
            return Observables.TryCanonicalise(ObservableType.Email, value, out canonical, out reason);
        }

        if (span.Contains('/'))
        {
            return Observables.TryCanonicalise(ObservableType.Cidr, value, out canonical, out reason);
        }

        if (span.Contains(':'))
        {
            return Observables.TryCanonicalise(ObservableType.IPv6, value, out canonical, out reason);
        }

        if (!span.ContainsAnyExcept(DigitsAndDots))
        {
            return Observables.TryCanonicalise(ObservableType.IPv4, value, out canonical, out reason);
        }

        if (span.Length >= 32 && !span.ContainsAnyExcept(AnyHex))
        {
            var type = span.Length switch { 32 => ObservableType.Md5, 40 => ObservableType.Sha1, 64 => ObservableType.Sha256, 128 => ObservableType.Sha512, _ => (ObservableType?)null };
            if (type is null)
            {
                reason = $"{span.Length} hex digits: not an MD5 (32), SHA-1 (40), SHA-256 (64) or SHA-512 (128) digest.";
                return false;
            }

            return Observables.TryCanonicalise(type.Value, value, out canonical, out reason);
        }

        if (!Observables.TryCanonicalise(ObservableType.Hostname, value, out canonical, out reason))
        {
            return false;
        }

        if (canonical.Value.Contains('.')
            && (PublicSuffixList.Default.IsRegisteredDomain(canonical.Value) || PublicSuffixList.Default.IsPublicSuffix(canonical.Value)))
        {
            canonical = canonical with { Type = ObservableType.Domain };
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<char> DigitsAndDots = System.Buffers.SearchValues.Create("0123456789.");
    private static readonly System.Buffers.SearchValues<char> AnyHex = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
