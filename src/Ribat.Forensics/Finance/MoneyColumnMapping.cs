namespace Ribat.Forensics.Finance;

/// <summary>
/// Which CSV column holds what, by header name (matched without regard to case or surrounding spaces). From, to and
/// amount are needed. A row without a currency (no column, or an empty cell) takes the code written with its amount
/// ("0.5 BTC"), else <see cref="MoneyReadOptions.Currency"/>, else, when both accounts are addresses of one
/// single-asset chain (Bitcoin, Litecoin, Monero), that chain's coin.
/// </summary>
public sealed record MoneyColumnMapping
{
    public required string FromColumn { get; init; }

    public required string ToColumn { get; init; }

    public required string AmountColumn { get; init; }

    public string? CurrencyColumn { get; init; }

    public string? DateColumn { get; init; }

    public string? TransactionIdColumn { get; init; }

    /// <summary>The roles, as spelled in <c>--map</c>, with their columns.</summary>
    public IEnumerable<(string Role, string Column)> Columns()
    {
        yield return ("from", FromColumn);
        yield return ("to", ToColumn);
        yield return ("amount", AmountColumn);
        foreach (var (role, column) in new[] { ("currency", CurrencyColumn), ("date", DateColumn), ("txid", TransactionIdColumn) })
        {
            if (column is not null)
            {
                yield return (role, column);
            }
        }
    }

    public const string Roles = "from, to, amount, currency, date, txid";

    /// <summary>
    /// Reads <c>from=COL,to=COL,amount=COL[,currency=COL][,date=COL][,txid=COL]</c>. Roles not given are taken from
    /// <paramref name="guessed"/> when there is one, so a user names only the columns the guess got wrong.
    /// </summary>
    public static bool TryParse(string text, MoneyColumnMapping? guessed, out MoneyColumnMapping? mapping, out string reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        mapping = null;
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var role = equals < 0 ? part.ToLowerInvariant() : part[..equals].Trim().ToLowerInvariant();
            if (role == "tx" || role == "transaction")
            {
                role = "txid";
            }

            if (equals <= 0 || equals == part.Length - 1)
            {
                reason = $"'{part}' is not ROLE=COLUMN (roles: {Roles}).";
                return false;
            }

            if (!Roles.Split(", ").Contains(role))
            {
                reason = $"'{role}' is not a role (roles: {Roles}).";
                return false;
            }

            if (!given.TryAdd(role, part[(equals + 1)..].Trim()))
            {
                reason = $"the role '{role}' is given twice.";
                return false;
            }
        }

        string? Pick(string role, string? fallback) => given.TryGetValue(role, out var column) ? column : fallback;
        var from = Pick("from", guessed?.FromColumn);
        var to = Pick("to", guessed?.ToColumn);
        var amount = Pick("amount", guessed?.AmountColumn);
        var missing = new[] { ("from", from), ("to", to), ("amount", amount) }.Where(r => r.Item2 is null).Select(r => r.Item1).ToList();
        if (missing.Count > 0)
        {
            reason = $"no column is given or recognised for {string.Join(", ", missing)}.";
            return false;
        }

        mapping = new MoneyColumnMapping
        {
            FromColumn = from!,
            ToColumn = to!,
            AmountColumn = amount!,
            CurrencyColumn = Pick("currency", guessed?.CurrencyColumn),
            DateColumn = Pick("date", guessed?.DateColumn),
            TransactionIdColumn = Pick("txid", guessed?.TransactionIdColumn),
        };
        reason = string.Empty;
        return true;
    }
}
