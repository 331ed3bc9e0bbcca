namespace Ribat.Core.Cases.Money;

/// <summary>
/// The money one account or wallet of a case paid another, as one transaction export (an evidence item of the case)
/// shows it: totals per currency, how many transfers, the first and last date. Both ends are subjects of the case.
/// Importing the same item again replaces its flows, so the amounts of one export are never counted twice.
/// </summary>
public sealed class CaseMoneyFlow
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    /// <summary>The evidence item (a transaction export) the flow was read from.</summary>
    public Guid EvidenceId { get; set; }

    public Guid FromSubjectId { get; set; }

    public Guid ToSubjectId { get; set; }

    /// <summary>The totals per currency as JSON: <c>[{"currency":"BTC","amount":1.5,"count":2}]</c>, ordered by currency.</summary>
    public string TotalsJson { get; set; } = "[]";

    public int Count { get; set; }

    public DateTimeOffset? FirstAt { get; set; }

    public DateTimeOffset? LastAt { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
