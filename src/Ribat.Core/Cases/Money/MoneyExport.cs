using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases.Subjects;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Finance;

namespace Ribat.Core.Cases.Money;

/// <summary>
/// Reading one evidence item of a case as a transaction export, shared by the preview and the import: the item is
/// found through the case's audience, its file re-hashed against its acquisition, then read twice by streaming (the
/// head for the mapping step, then every row into a money-flow graph, which holds accounts and flows, not rows).
/// </summary>
internal static class MoneyExport
{
    public const int MaxColumnName = 200;

    /// <summary>What reading the export gave: the graph is null when no mapping could be found; <c>Problem</c> names a limit passed or an empty result.</summary>
    public sealed record Read(
        EvidenceItem Item,
        MoneySample Sample,
        MoneyColumnMapping? Mapping,
        string? DefaultCurrency,
        MoneyImport? Import,
        MoneyFlowGraph? Graph,
        string? Problem);

    /// <summary>The evidence item of the case, when the viewer's organisation owns it.</summary>
    public static async Task<Result<EvidenceItem>> ItemAsync(ContentSession session, Guid caseId, Guid evidenceId, CancellationToken cancellationToken)
    {
        if (!await session.Db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return Error.NotFound("The case");
        }

        var item = await session.Db.EvidenceItems.AsNoTracking().FirstOrDefaultAsync(e => e.Id == evidenceId && e.CaseId == caseId, cancellationToken);
        if (item is null)
        {
            return Error.NotFound("The evidence item");
        }

        return item.OwnerOrganisationId != session.Organisation?.Id
            ? Error.Forbidden("Only the organisation that owns a case reads its transaction exports into money flows.")
            : item;
    }

    public static async Task<Result<Read>> ReadAsync(
        ContentStore store, AuditTrail audit, MoneyImportOptions limits, Actor actor, EvidenceItem item, MoneyMappingInput input, CancellationToken cancellationToken)
    {
        var v = new Validation();
        string? currency = null;
        if (!string.IsNullOrWhiteSpace(input.DefaultCurrency))
        {
            if (MoneyReadOptions.TryCurrency(input.DefaultCurrency, out var code, out var reason))
            {
                currency = code;
            }
            else
            {
                v.Add("defaultCurrency", reason);
            }
        }

        foreach (var (field, column) in Given(input))
        {
            v.Require(column.Length <= MaxColumnName, field, $"A column name is at most {MaxColumnName} characters.")
                .Require(!column.Any(char.IsControl), field, "A column name has no control characters.");
        }

        if (item.Size > limits.MaxFileBytes)
        {
            v.Add("evidenceId", $"The export is {item.Size:N0} bytes; at most {limits.MaxFileBytes:N0} are read into money flows. Split it into several items.");
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        var verified = await CustodyLog.ReverifyAsync(store, audit, actor, item, cancellationToken);
        if (verified.Error is { } tampered)
        {
            return tampered;
        }

        var options = new MoneyReadOptions { Currency = currency, MaxRows = limits.MaxRows, MaxIssues = limits.MaxListed };
        MoneySample sample;
        await using (var head = store.OpenRead(item.Sha256))
        {
            sample = TransferReader.Sample(head, limits.SampleRows, options);
        }

        if (sample.Problem is { } unreadable)
        {
            return Error.Validation("evidenceId", $"{item.FileName} is not a transaction export: {unreadable}");
        }

        var mapping = Resolve(input, sample, v);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (mapping is null)
        {
            return new Read(item, sample, null, currency, null, null,
                $"No column is recognised for {sample.Missing}: choose the columns holding from, to and amount.");
        }

        var builder = new MoneyFlowBuilder();
        MoneyImport import;
        await using (var content = store.OpenRead(item.Sha256))
        {
            import = TransferReader.Read(content, item.FileName, mapping, options, builder.Add);
        }

        if (!import.Succeeded)
        {
            return Error.Validation("mapping", import.Issues[0].Reason);
        }

        var graph = builder.Build();
        return new Read(item, sample, mapping, currency, import, graph, Limit(import, graph, limits));
    }

    private static string? Limit(MoneyImport import, MoneyFlowGraph graph, MoneyImportOptions limits)
    {
        if (import.RowLimitReached)
        {
            return $"The export has more than {limits.MaxRows:N0} rows; split it into several items.";
        }

        if (graph.Nodes.Count > limits.MaxAccounts)
        {
            return $"The export names {graph.Nodes.Count:N0} accounts and wallets; at most {limits.MaxAccounts:N0} become subjects of a case at once. Split it into several items.";
        }

        if (graph.Flows.Count > limits.MaxFlows)
        {
            return $"The export makes {graph.Flows.Count:N0} flows; at most {limits.MaxFlows:N0} are imported at once. Split it into several items.";
        }

        if (graph.Flows.FirstOrDefault(f => f.Totals.Count > limits.MaxCurrenciesPerFlow) is { } wide)
        {
            return $"The flow from {wide.From.Display} to {wide.To.Display} carries {wide.Totals.Count} currencies; at most {limits.MaxCurrenciesPerFlow} are kept per flow.";
        }

        return import.Kept == 0
            ? (import.RefusedRows == 0 ? "The export holds no rows." : $"No row could be read ({import.RefusedRows:N0} refused): check the mapping and the default currency.")
            : null;
    }

    private static IEnumerable<(string Field, string Column)> Given(MoneyMappingInput input)
    {
        foreach (var (field, column) in new[]
                 {
                     ("from", input.From), ("to", input.To), ("amount", input.Amount), ("currency", input.Currency), ("date", input.Date),
                     ("transactionId", input.TransactionId),
                 })
        {
            if (column is not null)
            {
                yield return (field, column);
            }
        }
    }

    /// <summary>The mapping: each role as given, else as guessed; every column must be in the header, and serve one role.</summary>
    private static MoneyColumnMapping? Resolve(MoneyMappingInput input, MoneySample sample, Validation v)
    {
        var guessed = sample.Guessed;
        string? Pick(string field, string? given, string? guess, bool required)
        {
            if (given is null)
            {
                return guess;
            }

            var name = given.Trim();
            if (name.Length == 0)
            {
                v.Require(!required, field, $"The {field} column is needed.");
                return null;
            }

            var match = sample.Header.FirstOrDefault(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            v.Require(match is not null, field, $"The column '{name}' is not in the export's header ({Excerpt(string.Join(", ", sample.Header), 300)}).");
            return match;
        }

        var from = Pick("from", input.From, guessed?.FromColumn, true);
        var to = Pick("to", input.To, guessed?.ToColumn, true);
        var amount = Pick("amount", input.Amount, guessed?.AmountColumn, true);
        var currency = Pick("currency", input.Currency, guessed?.CurrencyColumn, false);
        var date = Pick("date", input.Date, guessed?.DateColumn, false);
        var id = Pick("transactionId", input.TransactionId, guessed?.TransactionIdColumn, false);
        if (!v.IsValid)
        {
            return null;
        }

        var used = new[] { ("from", from), ("to", to), ("amount", amount), ("currency", currency), ("date", date), ("transactionId", id) }
            .Where(r => r.Item2 is not null).ToList();
        foreach (var twice in used.GroupBy(r => r.Item2!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            v.Add(twice.Last().Item1, $"The column '{twice.Key}' is chosen for {string.Join(" and ", twice.Select(r => r.Item1))}: a column serves one role.");
        }

        if (from is null || to is null || amount is null || !v.IsValid)
        {
            return null;
        }

        return new MoneyColumnMapping { FromColumn = from, ToColumn = to, AmountColumn = amount, CurrencyColumn = currency, DateColumn = date, TransactionIdColumn = id };
    }

    /// <summary>
    /// The subject an account or wallet becomes: a crypto-wallet or bank-account when its text validates as one;
    /// otherwise (an exchange user id, a domestic account number) an online-account, its value the text without
    /// white space, so "12 3456 78" and "12345678" are one account.
    /// </summary>
    public static (SubjectKind Kind, CanonicalIndicator? Value) SubjectOf(MoneyParty party)
    {
        if (party.Kind == MoneyParty.OpaqueKind)
        {
            var compact = string.Concat(party.Id.Where(c => !char.IsWhiteSpace(c)));
            return IndicatorTypes.TryCanonicalise("user-account", compact, out var account, out _)
                ? (SubjectKind.OnlineAccount, account! with { Display = party.Display })
                : (SubjectKind.OnlineAccount, null);
        }

        return SubjectKinds.TryKindOf(party.Kind, out var kind) && IndicatorTypes.TryCanonicalise(party.Kind, party.Id, out var value, out _)
            ? (kind, value)
            : (SubjectKind.OnlineAccount, null);
    }

    public static MoneyPartyDto ToDto(MoneyParty party) => new(party.Kind, party.Id, party.Display, SubjectOf(party).Kind.Spell());

    public static MoneyMappingDto? ToDto(MoneyColumnMapping? mapping) => mapping is null
        ? null
        : new MoneyMappingDto(mapping.FromColumn, mapping.ToColumn, mapping.AmountColumn, mapping.CurrencyColumn, mapping.DateColumn, mapping.TransactionIdColumn);

    public static List<MoneyIssueDto> Issues(MoneyImport? import, int most) =>
        import?.Issues.Take(most).Select(i => new MoneyIssueDto(i.File, i.Line, i.Column, i.Reason)).ToList() ?? [];

    private static string Excerpt(string text, int most) => text.Length <= most ? text : text[..most] + "…";
}
