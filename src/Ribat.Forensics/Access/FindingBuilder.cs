namespace Ribat.Forensics.Access;

/// <summary>A finding while it still grows: later attempts of the same burst extend it instead of adding another.</summary>
internal sealed class FindingBuilder(AccessFindingKind kind, string? account, string source, DateTimeOffset first, string detail, int maxEvidence)
{
    private const int MaxAccountsNamed = 100;

    private readonly List<AccessEvidence> _evidence = [];
    private readonly HashSet<string> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _accountOrder = [];

    private readonly DateTimeOffset _first = first;

    public DateTimeOffset Last { get; private set; } = first;

    public long Count { get; private set; }

    public string Detail { get; set; } = detail;

    public void Add(DateTimeOffset time, string attemptAccount, AccessEvidence evidence)
    {
        Count++;
        if (time > Last)
        {
            Last = time;
        }

        if (_evidence.Count < maxEvidence)
        {
            _evidence.Add(evidence);
        }

        if (_accountOrder.Count < MaxAccountsNamed && _accounts.Add(attemptAccount))
        {
            _accountOrder.Add(attemptAccount);
        }
    }

    public AccessFinding Build() => new(kind, account, _accountOrder.ToArray(), source, _first, Last, Count, Detail, _evidence.ToArray());
}
