namespace Ribat.Core.Cases.Money;

/// <summary>
/// The column mapping a person chose for a transaction export, by header name. A role left out (null) takes the
/// column the header names suggest; an empty optional role (currency, date, txid) means "no such column".
/// <c>defaultCurrency</c> is the currency of rows that name none.
/// </summary>
public sealed record MoneyMappingInput(
    string? From = null,
    string? To = null,
    string? Amount = null,
    string? Currency = null,
    string? Date = null,
    string? TransactionId = null,
    string? DefaultCurrency = null);

/// <summary>A mapping by role; optional roles are null when no column holds them.</summary>
public sealed record MoneyMappingDto(string From, string To, string Amount, string? Currency, string? Date, string? TransactionId);

public sealed record MoneyTotalDto(string Currency, decimal Amount, int Count);

/// <summary>An account or wallet as the export names it: its kind (<c>iban</c>, <c>btc-address</c> … or <c>account</c>) and canonical id.</summary>
public sealed record MoneyPartyDto(string Kind, string Id, string Display, string SubjectKind);

public sealed record MoneyFlowPreviewDto(MoneyPartyDto From, MoneyPartyDto To, IReadOnlyList<MoneyTotalDto> Totals, int Count, DateTimeOffset? First, DateTimeOffset? Last);

/// <summary>A refused row: the file, its 1-based line (0 for a note about the whole file), the column (null for the whole row) and why.</summary>
public sealed record MoneyIssueDto(string File, int Line, string? Column, string Reason);

public sealed record MoneySampleRowDto(int Line, IReadOnlyList<string> Cells);

/// <summary>
/// What importing an export with a mapping would do. <c>mapping</c> is null (and <c>problem</c> says why) when no
/// column could be found for from, to or amount; <c>problem</c> also names a limit the export passes, which an
/// import refuses.
/// </summary>
public sealed record MoneyPreviewDto(
    Guid EvidenceId,
    string FileName,
    IReadOnlyList<string> Header,
    IReadOnlyList<MoneySampleRowDto> Sample,
    MoneyMappingDto? Guessed,
    MoneyMappingDto? Mapping,
    string? DefaultCurrency,
    int Rows,
    int Transfers,
    int Refused,
    int Accounts,
    IReadOnlyList<MoneyFlowPreviewDto> Flows,
    int FlowCount,
    IReadOnlyList<MoneyIssueDto> Issues,
    string? Problem);

/// <summary>What an import stored: how many subjects it created and reused, and how many flows it wrote and replaced.</summary>
public sealed record MoneyImportDto(
    Guid EvidenceId,
    int Transfers,
    int Refused,
    int Accounts,
    int SubjectsCreated,
    int SubjectsReused,
    int Flows,
    int FlowsReplaced,
    IReadOnlyList<MoneyIssueDto> Issues);
