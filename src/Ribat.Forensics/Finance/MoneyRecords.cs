using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Finance;

/// <summary>
/// One side of a transfer. <see cref="Kind"/> is an observable type name (<c>iban</c>, <c>btc-address</c>,
/// <c>eth-address</c>, <c>tron-address</c>, <c>ltc-address</c>, <c>xmr-address</c>) when the text validates as one,
/// with <see cref="Id"/> its canonical form; otherwise <c>account</c> (an exchange user id, a domestic account number)
/// with the text as written.
/// </summary>
public readonly record struct MoneyParty(string Kind, string Id, string Display)
{
    public const string OpaqueKind = "account";

    public const int MaxLength = 256;

    public override string ToString() => $"{Kind}:{Id}";
}

/// <summary>One transfer as read from an export. <see cref="Amount"/> is positive (a negative amount swaps the sides).</summary>
public sealed record MoneyTransfer(
    MoneyParty From,
    MoneyParty To,
    decimal Amount,
    string Currency,
    DateTimeOffset? Date,
    string? TransactionId,
    string File,
    int Line);

/// <summary>A row, or a whole file, that was not read, and why: the file, the 1-based line, the column name (null for the whole row).</summary>
public sealed record MoneyIssue(string File, int Line, string? Column, string Reason)
{
    public override string ToString() => Column is null ? $"{File}:{Line}: {Reason}" : $"{File}:{Line}, {Column}: {Reason}";
}

/// <summary>
/// What one export yielded: the good transfers (none listed when they were handed to a callback as read), how many
/// were kept, every refused row named, and the mapping used. When nothing could be read at all (no header, an
/// unknown column, no mapping) <see cref="Mapping"/> is null and the one issue says why.
/// </summary>
public sealed record MoneyImport(
    IReadOnlyList<MoneyTransfer> Transfers,
    IReadOnlyList<MoneyIssue> Issues,
    MoneyColumnMapping? Mapping,
    int Rows,
    int Kept)
{
    public bool Succeeded => Mapping is not null;

    /// <summary>The file had more data rows than <see cref="MoneyReadOptions.MaxRows"/>: the rest was not read.</summary>
    public bool RowLimitReached { get; init; }

    /// <summary>How many rows were refused, listed or not.</summary>
    public int RefusedRows { get; init; }
}

/// <summary>Limits for reading exports.</summary>
public sealed record MoneyReadOptions
{
    public static MoneyReadOptions Default { get; } = new();

    /// <summary><c>,</c> <c>;</c> or tab; <c>null</c> detects it from the header line.</summary>
    public char? Delimiter { get; init; }

    public int MaxFieldLength { get; init; } = 4096;

    public int MaxRecordLength { get; init; } = 64 * 1024;

    /// <summary>Data rows read per file; the rest is left unread and that is reported.</summary>
    public int MaxRows { get; init; } = 1_000_000;

    /// <summary>Issues listed per file; the count of the rest is reported.</summary>
    public int MaxIssues { get; init; } = 1_000;

    /// <summary>The currency of rows that name none (e.g. <c>BTC</c> for a block explorer's export of one wallet).</summary>
    public string? Currency { get; init; }

    /// <summary>Whether a code is usable as <see cref="Currency"/>: 1–16 letters, digits, <c>-</c>, <c>.</c>, <c>_</c>; upper-cased.</summary>
    public static bool TryCurrency(string text, out string currency, out string reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        return MoneyText.TryCurrency(text, out currency, out reason);
    }
}

/// <summary>Recognises what an account or wallet text is, trying the payment types in a fixed order.</summary>
internal static class MoneyParties
{
    private static readonly ObservableType[] Order =
    [
        ObservableType.Iban, ObservableType.BitcoinAddress, ObservableType.EthereumAddress, ObservableType.TronAddress,
        ObservableType.LitecoinAddress, ObservableType.MoneroAddress,
    ];

    public static bool TryRead(string text, out MoneyParty party, out string reason)
    {
        party = default;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            reason = "the account is empty.";
            return false;
        }

        if (trimmed.Length > MoneyParty.MaxLength)
        {
            reason = $"the account is longer than {MoneyParty.MaxLength} characters.";
            return false;
        }

        foreach (var c in trimmed)
        {
            if (char.IsControl(c))
            {
                reason = "the account holds a control character.";
                return false;
            }
        }

        foreach (var type in Order)
        {
            if (Observables.TryCanonicalise(type, trimmed, out var value, out _))
            {
                party = new MoneyParty(type.ToName(), value.Value, value.Display);
                reason = string.Empty;
                return true;
            }
        }

        // Text shaped like an IBAN or an address that fails its checksum is a typo or a forgery, not another account.
        if (LooksLike(trimmed) is { } likely)
        {
            Observables.TryCanonicalise(likely, trimmed, out _, out reason);
            reason = $"'{Exchange.IssueText.Excerpt(trimmed, 60)}' looks like {likely.ToName()} but is {reason}";
            return false;
        }

        party = new MoneyParty(MoneyParty.OpaqueKind, trimmed, trimmed);
        reason = string.Empty;
        return true;
    }

    private static ObservableType? LooksLike(string text)
    {
        var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact.Length is >= 15 and <= 34 && char.IsAsciiLetterUpper(compact[0]) && char.IsAsciiLetterUpper(compact[1])
            && char.IsAsciiDigit(compact[2]) && char.IsAsciiDigit(compact[3]) && IbanCanonicaliser.ExpectedLength(compact.AsSpan(0, 2)) > 0
            && compact.AsSpan(4).IndexOfAnyExcept(Alphanumerics) < 0)
        {
            return ObservableType.Iban;
        }

        if (text.Length == 42 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ObservableType.EthereumAddress;
        }

        if (text.StartsWith("bc1", StringComparison.OrdinalIgnoreCase) && text.Length >= 14)
        {
            return ObservableType.BitcoinAddress;
        }

        if (text.StartsWith("ltc1", StringComparison.OrdinalIgnoreCase) && text.Length >= 14)
        {
            return ObservableType.LitecoinAddress;
        }

        if (text.AsSpan().IndexOfAnyExcept(Base58) >= 0)
        {
            return null;
        }

        return (text.Length, text[0]) switch
        {
            ( >= 25 and <= 35, '1' or '3') => ObservableType.BitcoinAddress,
            (34, 'T') => ObservableType.TronAddress,
            ( >= 26 and <= 35, 'L' or 'M') => ObservableType.LitecoinAddress,
            (CryptoAddressCanonicaliser.MoneroStandardLength or CryptoAddressCanonicaliser.MoneroIntegratedLength, '4' or '8') => ObservableType.MoneroAddress,
            _ => null,
        };
    }

    private static readonly System.Buffers.SearchValues<char> Alphanumerics =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly System.Buffers.SearchValues<char> Base58 =
        System.Buffers.SearchValues.Create("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");

    /// <summary>The coin of a chain that carries one asset only, when both sides are its addresses.</summary>
    public static string? NativeCoin(MoneyParty from, MoneyParty to)
    {
        if (from.Kind != to.Kind)
        {
            return null;
        }

        return from.Kind switch
        {
            "btc-address" => "BTC",
            "ltc-address" => "LTC",
            "xmr-address" => "XMR",
            _ => null,
        };
    }
}
