using Ribat.Forensics.Exchange;

namespace Ribat.Forensics.Finance;

/// <summary>
/// Receives CSV records: the first is the header, against which the mapping is resolved (or guessed); every later
/// record becomes a transfer or named issues. A row with any bad cell is refused whole.
/// </summary>
internal sealed class TransferRows(string file, MoneyColumnMapping? mapping, MoneyReadOptions options, Action<MoneyTransfer>? onTransfer) : ICsvRecordSink
{
    private readonly List<MoneyTransfer> _transfers = [];
    private readonly List<MoneyIssue> _issues = [];
    private readonly List<MoneyIssue> _rowIssues = [];
    private int _unlisted;
    private string[] _header = [];
    private MoneyColumnMapping? _mapping = mapping;
    private int _from = -1, _to = -1, _amount = -1, _currency = -1, _date = -1, _id = -1;
    private int _rows;
    private int _kept;
    private int _refused;
    private int _lastMapped;
    private string? _fatal;
    private bool _sawHeader;

    public MoneyImport Result()
    {
        if (!_sawHeader && _fatal is null)
        {
            _fatal = "the file is empty: a header row naming the columns is needed.";
        }

        if (_fatal is not null)
        {
            return new MoneyImport([], [new MoneyIssue(file, 1, null, _fatal)], null, 0, 0);
        }

        if (_unlisted > 0)
        {
            _issues.Add(new MoneyIssue(file, 0, null, $"{_unlisted} more refused rows not listed: only the first {options.MaxIssues} are."));
        }

        return new MoneyImport(_transfers, _issues, _mapping, Math.Min(_rows, options.MaxRows), _kept) { RowLimitReached = _rows > options.MaxRows, RefusedRows = _refused };
    }

    public bool Record(List<string> fields, int line, CsvRecordError? error)
    {
        if (!_sawHeader)
        {
            _sawHeader = true;
            return Header(fields, line, error);
        }

        if (error is { } bad)
        {
            _refused++;
            Issue(bad.Line, ColumnName(bad.Field), bad.Reason);
            return true;
        }

        if (fields.Count == 1 && fields[0].Length == 0)
        {
            return true; // a blank line
        }

        if (++_rows > options.MaxRows)
        {
            Issue(line, null, $"more than {options.MaxRows:N0} rows: this row and the rest of the file are not read.");
            return false;
        }

        Row(fields, line);
        return true;
    }

    private bool Header(List<string> fields, int line, CsvRecordError? error)
    {
        if (error is { } bad)
        {
            _fatal = $"the header row cannot be read: {bad.Reason}";
            return false;
        }

        _header = fields.Select(f => f.Trim()).ToArray();
        if (_mapping is null)
        {
            _mapping = MoneyHeaderGuess.Suggest(_header, out var missing);
            if (_mapping is null)
            {
                _fatal = $"no column is recognised for {missing}; name them with --map from=COL,to=COL,amount=COL " +
                    $"(the header on line {line} is: {IssueText.Excerpt(string.Join(", ", _header), 300)}).";
                return false;
            }
        }

        foreach (var (role, column) in _mapping.Columns())
        {
            var index = Array.FindIndex(_header, h => string.Equals(h, column.Trim(), StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                _fatal = $"the {role} column '{IssueText.Excerpt(column, 60)}' is not in the header ({IssueText.Excerpt(string.Join(", ", _header), 300)}).";
                return false;
            }

            switch (role)
            {
                case "from": _from = index; break;
                case "to": _to = index; break;
                case "amount": _amount = index; break;
                case "currency": _currency = index; break;
                case "date": _date = index; break;
                default: _id = index; break;
            }
        }

        _lastMapped = new[] { _from, _to, _amount, _currency, _date, _id }.Max();
        if (options.Currency is { } fixedCurrency && !MoneyText.TryCurrency(fixedCurrency, out _, out var reason))
        {
            _fatal = $"the currency given for the whole file is not usable: {reason}";
            return false;
        }

        return true;
    }

    private void Row(List<string> fields, int line)
    {
        _rowIssues.Clear();
        if (fields.Count <= _lastMapped)
        {
            _refused++;
            Issue(line, ColumnName(fields.Count), $"the row has {fields.Count} fields, the header {_header.Length}: it ends before this column.");
            return;
        }

        var fromOk = MoneyParties.TryRead(Cell(fields, _from), out var from, out var fromReason);
        Check(fromOk, line, _from, fromReason);
        var toOk = MoneyParties.TryRead(Cell(fields, _to), out var to, out var toReason);
        Check(toOk, line, _to, toReason);
        var amountOk = MoneyText.TryAmount(Cell(fields, _amount), out var amount, out var amountCurrency, out var amountReason);
        Check(amountOk, line, _amount, amountReason);

        string? currency = null;
        if (_currency >= 0 && Cell(fields, _currency).Trim().Length > 0)
        {
            Check(MoneyText.TryCurrency(Cell(fields, _currency), out var named, out var currencyReason), line, _currency, currencyReason);
            currency = named;
        }

        currency ??= amountCurrency ?? options.Currency?.Trim().ToUpperInvariant() ?? (fromOk && toOk ? MoneyParties.NativeCoin(from, to) : null);
        if (currency is null && fromOk && toOk && amountOk)
        {
            _rowIssues.Add(new MoneyIssue(file, line, _currency >= 0 ? _header[_currency] : null,
                "no currency: map a currency column, write it with the amount, or give one for the whole file (--currency)."));
        }

        DateTimeOffset? date = null;
        if (_date >= 0 && Cell(fields, _date).Trim().Length > 0)
        {
            Check(MoneyText.TryDate(Cell(fields, _date), out var when, out var dateReason), line, _date, dateReason);
            date = when;
        }

        var id = _id >= 0 ? Cell(fields, _id).Trim() : string.Empty;
        if (id.Length > MoneyParty.MaxLength)
        {
            Check(false, line, _id, $"the transaction id is longer than {MoneyParty.MaxLength} characters.");
        }

        if (_rowIssues.Count > 0)
        {
            _refused++;
            foreach (var issue in _rowIssues)
            {
                Issue(issue.Line, issue.Column, issue.Reason);
            }

            return;
        }

        // A negative amount is money going the other way, as bank statements write a debit.
        var (payer, payee) = amount < 0 ? (to, from) : (from, to);
        var transfer = new MoneyTransfer(payer, payee, Math.Abs(amount), currency!, date, id.Length == 0 ? null : id, file, line);
        _kept++;
        if (onTransfer is null)
        {
            _transfers.Add(transfer);
        }
        else
        {
            onTransfer(transfer);
        }
    }

    private void Check(bool ok, int line, int column, string reason)
    {
        if (!ok)
        {
            _rowIssues.Add(new MoneyIssue(file, line, ColumnName(column), reason));
        }
    }

    private static string Cell(List<string> fields, int index) => index < fields.Count ? fields[index] : string.Empty;

    private string? ColumnName(int index) => index >= 0 && index < _header.Length ? _header[index] : null;

    private void Issue(int line, string? column, string reason)
    {
        if (_issues.Count < options.MaxIssues)
        {
            _issues.Add(new MoneyIssue(file, line, column is null ? null : IssueText.Excerpt(column, 100), IssueText.Excerpt(reason, 400)));
        }
        else
        {
            _unlisted++;
        }
    }
}
