using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Decides the type of one value written alone (a CSV cell, a line of a list) by its shape. It asks the IOC extractor,
/// which already knows the shapes and their trade-offs (a 32-hex token is MD5, <c>name.exe</c> is a file name, not a
/// domain), and accepts the answer only when one observable covers the whole value.
/// </summary>
internal static class ShapeDetector
{
    private static readonly IocExtractorOptions Options = new() { IncludeUrlHosts = false, MaxObservables = 2, MaxLineLength = Observables.MaxInputLength };

    public static bool TryDetect(string input, out Canonical value, out string reason)
    {
        var text = input.Trim();
        value = default;
        if (text.Length == 0)
        {
            reason = "the value is empty.";
            return false;
        }

        if (text.Length > Observables.MaxInputLength)
        {
            reason = $"the value is longer than {Observables.MaxInputLength} characters.";
            return false;
        }

        if (text.AsSpan().ContainsAny('\r', '\n'))
        {
            reason = "the value spans more than one line.";
            return false;
        }

        var found = IocExtractor.Extract(text, Options).Observables;
        if (found.Count == 1 && found[0].Column == 1 && found[0].Original.Length == text.Length)
        {
            value = new Canonical(found[0].Type, found[0].Canonical, found[0].Display);
            reason = string.Empty;
            return true;
        }

        if (found.Count > 0)
        {
            reason = found.Count > 1
                ? $"'{Excerpt(text)}' holds more than one observable ({found[0].Type.ToName()} '{Excerpt(found[0].Original)}', {found[1].Type.ToName()} '{Excerpt(found[1].Original)}'); expected one."
                : $"'{Excerpt(text)}' holds the {found[0].Type.ToName()} '{Excerpt(found[0].Original)}' and other text; expected the value alone.";
            return false;
        }

        return TryFallback(text, out value, out reason);
    }

    /// <summary>
    /// Shapes the extractor leaves out of prose on purpose but which are unambiguous alone: a lower-case ASN
    /// (<c>as64500</c>) and a user account written <c>platform:handle</c>. Anything else is refused with the reason
    /// of the type it most looks like.
    /// </summary>
    private static bool TryFallback(string text, out Canonical value, out string reason)
    {
        if (text.Length > 2 && text.StartsWith("as", StringComparison.OrdinalIgnoreCase) && char.IsAsciiDigit(text[^1]))
        {
            return Observables.TryCanonicalise(ObservableType.Asn, text, out value, out reason);
        }

        var colon = text.IndexOf(':');
        if (colon > 0 && colon < text.Length - 1 && char.IsAsciiLetter(text[0])
            && !text.AsSpan(0, colon).ContainsAnyExcept(PlatformChars) && !text.Contains("//", StringComparison.Ordinal))
        {
            return Observables.TryCanonicalise(ObservableType.UserAccount, text, out value, out reason);
        }

        value = default;
        if (text.Length >= 24 && !ContainsNonHex(text))
        {
            reason = $"'{Excerpt(text)}' is not a digest: {text.Length} hex digits, where MD5, SHA-1, SHA-256 and SHA-512 have 32, 40, 64 and 128.";
            return false;
        }

        var likely = LikelyType(text);
        if (likely is { } type && !Observables.TryCanonicalise(type, text, out _, out var why))
        {
            reason = $"'{Excerpt(text)}' is {why}";
            return false;
        }

        reason = $"'{Excerpt(text)}' is not a recognisable observable.";
        return false;
    }

    private static readonly System.Buffers.SearchValues<char> PlatformChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

    private static bool ContainsNonHex(ReadOnlySpan<char> text) => text.ContainsAnyExcept(HexChars);

    private static readonly System.Buffers.SearchValues<char> HexChars =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static ObservableType? LikelyType(string text)
    {
        var span = text.AsSpan();
        if (span.Contains("://", StringComparison.Ordinal))
        {
            return ObservableType.Url;
        }

        if (span.Contains('@'))
        {
            return ObservableType.Email;
        }

        if (span.Contains('/') && span.IndexOfAnyExcept("0123456789./:abcdefABCDEF") < 0)
        {
            return ObservableType.Cidr;
        }

        if (span.IndexOfAnyExcept("0123456789.") < 0 && span.Count('.') == 3)
        {
            return ObservableType.IPv4;
        }

        if (span.Contains(':') && span.IndexOfAnyExcept("0123456789abcdefABCDEF:.") < 0)
        {
            return ObservableType.IPv6;
        }

        return null;
    }

    private static string Excerpt(string text) => IssueText.Excerpt(text);
}
