using System.Globalization;
using Ribat.Forensics.Exchange;

namespace Ribat.Forensics.Finance;

/// <summary>
/// Amounts, currencies and dates as exports write them. Amounts: an optional sign, digits with '.' or ',' as the
/// decimal mark, grouping by ',', '.', ' ', '\'' or '_' (when both marks appear the later one is the decimal mark; a
/// mark that repeats is grouping), and an optional currency code before or after. A lone '.' is a decimal mark
/// ("12.345 ETH"); a lone ',' is one too ("1,5") unless it could as well be grouping ("1,234"), which is refused as
/// ambiguous rather than read a thousand times wrong. Dates: ISO 8601, <c>dd.MM.yyyy</c> (with a time),
/// <c>yyyy/MM/dd</c>, or Unix seconds or milliseconds; <c>01/02/2024</c> is refused, since it means different days in
/// different countries.
/// </summary>
internal static class MoneyText
{
    /// <summary>No real transfer comes near this; the cap keeps every total far from decimal's range.</summary>
    public const decimal MaxAmount = 100_000_000_000_000_000_000m;

    private const int MaxCurrencyLength = 16;

    public static bool TryAmount(string text, out decimal amount, out string? currency, out string reason)
    {
        amount = 0;
        currency = null;
        var span = text.AsSpan().Trim();
        var letters = TrailingOrLeadingCode(ref span);
        if (letters is { Length: > MaxCurrencyLength })
        {
            reason = $"'{IssueText.Excerpt(text, 40)}' is not an amount.";
            return false;
        }

        currency = letters;
        var negative = false;
        if (span.Length > 0 && (span[0] is '-' or '+' or '\u2212'))
        {
            negative = span[0] != '+';
            span = span[1..].TrimStart();
        }

        if (span.IsEmpty || span.Length > 64)
        {
            reason = span.IsEmpty ? "the amount is empty." : $"'{IssueText.Excerpt(text, 40)}' is not an amount.";
            return false;
        }

        if (span.IndexOfAnyInRange('0', '9') < 0)
        {
            reason = $"'{IssueText.Excerpt(text, 40)}' is not an amount.";
            return false;
        }

        if (!TryNormalise(span, out var normal, out reason)
            || !decimal.TryParse(normal, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount))
        {
            reason = reason.Length > 0 ? reason : $"'{IssueText.Excerpt(text, 40)}' is not an amount.";
            return false;
        }

        if (amount >= MaxAmount)
        {
            reason = $"the amount {IssueText.Excerpt(text, 40)} is larger than any real transfer (10^20).";
            return false;
        }

        amount = negative ? -amount : amount;
        reason = string.Empty;
        return true;
    }

    /// <summary>Removes a currency code (letters) written before or after the number, and returns it upper-cased.</summary>
    private static string? TrailingOrLeadingCode(ref ReadOnlySpan<char> span)
    {
        var end = span.Length;
        while (end > 0 && char.IsAsciiLetter(span[end - 1]))
        {
            end--;
        }

        if (end < span.Length && end > 0)
        {
            var code = span[end..].ToString().ToUpperInvariant();
            span = span[..end].TrimEnd();
            return code;
        }

        var start = 0;
        while (start < span.Length && char.IsAsciiLetter(span[start]))
        {
            start++;
        }

        if (start > 0 && start < span.Length)
        {
            var code = span[..start].ToString().ToUpperInvariant();
            span = span[start..].TrimStart();
            return code;
        }

        return null;
    }

    private static bool TryNormalise(ReadOnlySpan<char> span, out string normal, out string reason)
    {
        normal = string.Empty;
        var lastDot = span.LastIndexOf('.');
        var lastComma = span.LastIndexOf(',');
        char? mark = (lastDot, lastComma) switch
        {
            ( < 0, < 0) => null,
            (_, < 0) => span.Count('.') > 1 ? null : '.',
            ( < 0, _) => span.Count(',') > 1 ? null : ',',
            _ => lastDot > lastComma ? '.' : ',',
        };

        if (mark == ',' && lastDot < 0)
        {
            var at = lastComma;
            if (span.Length - at - 1 == 3 && at is > 0 and <= 3 && span[..at].IndexOfAnyExceptInRange('0', '9') < 0 && span[0] != '0')
            {
                reason = $"'{span}' is ambiguous: ',' may be a decimal mark or a thousands separator; write it with both marks or neither.";
                return false;
            }
        }

        var builder = new System.Text.StringBuilder(span.Length);
        foreach (var c in span)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (c == mark)
            {
                builder.Append('.');
            }
            else if (c is not (',' or '.' or ' ' or '\'' or '\u00A0' or '\u202F' or '_'))
            {
                reason = $"'{c}' does not belong in an amount.";
                return false;
            }
        }

        normal = builder.ToString();
        reason = string.Empty;
        return normal.Length > 0 && normal != ".";
    }

    /// <summary>Upper-case letters, digits, '-' and '.', 1 to 16 characters (ISO 4217 codes, tickers, "USDT-TRC20").</summary>
    public static bool TryCurrency(string text, out string currency, out string reason)
    {
        currency = text.Trim().ToUpperInvariant();
        if (currency.Length is 0 or > MaxCurrencyLength)
        {
            reason = currency.Length == 0 ? "the currency is empty." : $"'{IssueText.Excerpt(currency, 40)}' is not a currency code (1 to {MaxCurrencyLength} characters).";
            return false;
        }

        foreach (var c in currency)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_'))
            {
                reason = $"'{IssueText.Excerpt(currency, 40)}' is not a currency code ('{IssueText.Excerpt(c.ToString(), 8)}' is not a letter or digit).";
                return false;
            }
        }

        reason = string.Empty;
        return true;
    }

    private static readonly string[] DayFirst = ["dd.MM.yyyy", "dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss", "yyyy/MM/dd", "yyyy/MM/dd HH:mm:ss"];

    public static bool TryDate(string text, out DateTimeOffset value, out string reason)
    {
        var trimmed = text.Trim();
        reason = string.Empty;
        if (ExchangeDates.TryParse(trimmed, out value)
            || DateTimeOffset.TryParseExact(trimmed, DayFirst, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        if (trimmed.Length is >= 9 and <= 13 && long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            // Ten digits or fewer are seconds (until 2286), thirteen are milliseconds.
            value = trimmed.Length == 13 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
            return trimmed.Length is <= 10 or 13 || Fail(text, out reason);
        }

        return Fail(text, out reason);
    }

    private static bool Fail(string text, out string reason)
    {
        reason = $"'{IssueText.Excerpt(text, 40)}' is not a date (ISO 8601 such as 2024-05-01T10:00:00Z, dd.MM.yyyy, or Unix seconds).";
        return false;
    }
}
