namespace Ribat.Forensics.Finance;

/// <summary>
/// Guesses a <see cref="MoneyColumnMapping"/> from the header names exchanges, banks and block explorers use. A name
/// is compared with its letters and digits only, lower-cased ("Sender IBAN" is <c>senderiban</c>); an exact name wins
/// over a prefix ("Amount (BTC)" is an amount column by its prefix).
/// </summary>
internal static class MoneyHeaderGuess
{
    private static readonly string[] From =
    [
        "from", "fromaddress", "fromaccount", "fromwallet", "sender", "senderaddress", "senderaccount", "senderiban", "source",
        "sourceaccount", "sourceaddress", "payer", "payeraccount", "debtor", "debtoraccount", "debtoriban", "originator",
        "originatoraccount", "input", "inputaddress",
    ];

    private static readonly string[] To =
    [
        "to", "toaddress", "toaccount", "towallet", "recipient", "recipientaddress", "recipientaccount", "recipientiban",
        "receiver", "receiveraddress", "destination", "destinationaccount", "destinationaddress", "payee", "payeeaccount",
        "creditor", "creditoraccount", "creditoriban", "beneficiary", "beneficiaryaccount", "beneficiaryiban", "output",
        "outputaddress",
    ];

    private static readonly string[] Amount = ["amount", "value", "quantity", "sum", "amt", "transferamount", "amountsent"];

    private static readonly string[] Currency = ["currency", "currencycode", "asset", "coin", "token", "tokensymbol", "symbol", "ccy", "unit"];

    private static readonly string[] Date =
    [
        "date", "time", "timestamp", "datetime", "datetimeutc", "dateutc", "timeutc", "blocktime", "bookingdate", "valuedate",
        "createdat", "transactiondate", "executiondate", "unixtimestamp",
    ];

    private static readonly string[] TransactionId =
    [
        "txid", "txhash", "txnhash", "transactionid", "transactionhash", "hash", "tx", "reference", "transactionreference", "id",
    ];

    public static MoneyColumnMapping? Suggest(IReadOnlyList<string> header, out string missing)
    {
        var names = header.Select(Normalise).ToArray();
        var taken = new bool[names.Length];
        var from = Find(header, names, taken, From, prefix: false);
        var to = Find(header, names, taken, To, prefix: false);
        var amount = Find(header, names, taken, Amount, prefix: false) ?? Find(header, names, taken, ["amount"], prefix: true);
        var currency = Find(header, names, taken, Currency, prefix: false);
        var date = Find(header, names, taken, Date, prefix: false) ?? Find(header, names, taken, ["date", "time"], prefix: true);
        var id = Find(header, names, taken, TransactionId, prefix: false);
        missing = string.Join(", ", new[] { ("from", from), ("to", to), ("amount", amount) }.Where(r => r.Item2 is null).Select(r => r.Item1));
        if (from is null || to is null || amount is null)
        {
            return null;
        }

        return new MoneyColumnMapping
        {
            FromColumn = from,
            ToColumn = to,
            AmountColumn = amount,
            CurrencyColumn = currency,
            DateColumn = date,
            TransactionIdColumn = id,
        };
    }

    /// <summary>The first header, in the order of <paramref name="wanted"/>, not already used by another role.</summary>
    private static string? Find(IReadOnlyList<string> header, string[] names, bool[] taken, string[] wanted, bool prefix)
    {
        foreach (var candidate in wanted)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (!taken[i] && (prefix ? names[i].StartsWith(candidate, StringComparison.Ordinal) : names[i] == candidate))
                {
                    taken[i] = true;
                    return header[i].Trim();
                }
            }
        }

        return null;
    }

    private static string Normalise(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 128)];
        var length = 0;
        foreach (var c in name)
        {
            if (length < buffer.Length && char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return buffer[..length].ToString();
    }
}
