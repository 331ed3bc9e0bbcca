using System.Globalization;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Dates in exchange files are ISO 8601 only (<c>2024-05-01</c>, <c>2024-05-01T10:00:00Z</c>, MISP's
/// <c>2019-06-13T15:56:56.000000+00:00</c>). <c>01/02/2024</c> is refused: it means different days in different
/// countries. A time without an offset is UTC.
/// </summary>
internal static class ExchangeDates
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out value);

    public static bool TryParseDate(string? text, out DateOnly value) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>UTC, seconds, and a fraction only when there is one: <c>2024-01-02T03:04:05Z</c>.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>MISP writes microseconds and an explicit offset.</summary>
    public static string FormatMisp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
