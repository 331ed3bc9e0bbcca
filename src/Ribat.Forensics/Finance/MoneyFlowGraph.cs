namespace Ribat.Forensics.Finance;

/// <summary>An amount of one currency and how many transfers made it up.</summary>
public sealed record CurrencyTotal(string Currency, decimal Amount, int Count);

/// <summary>An account or wallet in the graph, with what it received and sent per currency.</summary>
public sealed record MoneyNode(MoneyParty Party, IReadOnlyList<CurrencyTotal> Received, IReadOnlyList<CurrencyTotal> Sent, int Transfers);

/// <summary>All transfers from one account to another: totals per currency, count, first and last date (null when no row had one).</summary>
public sealed record MoneyFlow(MoneyParty From, MoneyParty To, IReadOnlyList<CurrencyTotal> Totals, int Count, DateTimeOffset? First, DateTimeOffset? Last);

/// <summary>
/// The money-flow graph of a set of transfers: nodes are accounts and wallets, edges (flows) join a payer to a payee.
/// Nodes are ordered by kind then id; flows by payer, payee; totals by currency — so the same transfers always give
/// the same output, whatever their order.
/// </summary>
public sealed record MoneyFlowGraph(IReadOnlyList<MoneyNode> Nodes, IReadOnlyList<MoneyFlow> Flows, int Transfers)
{
    public static MoneyFlowGraph Build(IEnumerable<MoneyTransfer> transfers)
    {
        ArgumentNullException.ThrowIfNull(transfers);
        var builder = new MoneyFlowBuilder();
        foreach (var transfer in transfers)
        {
            builder.Add(transfer);
        }

        return builder.Build();
    }
}

/// <summary>Adds transfers one at a time (as a reader yields them) and builds the graph at the end.</summary>
public sealed class MoneyFlowBuilder
{
    private readonly Dictionary<MoneyParty, NodeTally> _nodes = new(PartyComparer.Instance);
    private readonly Dictionary<(MoneyParty, MoneyParty), FlowTally> _flows = new(FlowComparer.Instance);
    private int _count;

    public int Transfers => _count;

    public void Add(MoneyTransfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        _count++;
        Node(transfer.From).Sent.Add(transfer.Currency, transfer.Amount);
        Node(transfer.To).Received.Add(transfer.Currency, transfer.Amount);
        _nodes[transfer.From].Transfers++;
        if (!PartyComparer.Instance.Equals(transfer.From, transfer.To))
        {
            _nodes[transfer.To].Transfers++;
        }

        if (!_flows.TryGetValue((transfer.From, transfer.To), out var flow))
        {
            flow = new FlowTally();
            _flows.Add((transfer.From, transfer.To), flow);
        }

        flow.Totals.Add(transfer.Currency, transfer.Amount);
        flow.Count++;
        if (transfer.Date is { } date)
        {
            flow.First = flow.First is { } first && first <= date ? first : date;
            flow.Last = flow.Last is { } last && last >= date ? last : date;
        }
    }

    public MoneyFlowGraph Build()
    {
        var nodeList = _nodes
            .Select(n => new MoneyNode(n.Key, n.Value.Received.ToList(), n.Value.Sent.ToList(), n.Value.Transfers))
            .OrderBy(n => n.Party.Kind, StringComparer.Ordinal).ThenBy(n => n.Party.Id, StringComparer.Ordinal)
            .ToList();
        var flowList = _flows
            .Select(f => new MoneyFlow(f.Key.Item1, f.Key.Item2, f.Value.Totals.ToList(), f.Value.Count, f.Value.First, f.Value.Last))
            .OrderBy(f => f.From.Kind, StringComparer.Ordinal).ThenBy(f => f.From.Id, StringComparer.Ordinal)
            .ThenBy(f => f.To.Kind, StringComparer.Ordinal).ThenBy(f => f.To.Id, StringComparer.Ordinal)
            .ToList();
        return new MoneyFlowGraph(nodeList, flowList, _count);
    }

    private NodeTally Node(MoneyParty party)
    {
        if (!_nodes.TryGetValue(party, out var node))
        {
            node = new NodeTally();
            _nodes.Add(party, node);
        }

        return node;
    }

    private sealed class NodeTally
    {
        public Totals Received { get; } = new();

        public Totals Sent { get; } = new();

        public int Transfers { get; set; }
    }

    private sealed class FlowTally
    {
        public Totals Totals { get; } = new();

        public int Count { get; set; }

        public DateTimeOffset? First { get; set; }

        public DateTimeOffset? Last { get; set; }
    }

    private sealed class Totals
    {
        private readonly SortedDictionary<string, (decimal Amount, int Count)> _byCurrency = new(StringComparer.Ordinal);

        public void Add(string currency, decimal amount)
        {
            _byCurrency.TryGetValue(currency, out var total);
            _byCurrency[currency] = (total.Amount + amount, total.Count + 1);
        }

        public List<CurrencyTotal> ToList() => _byCurrency.Select(t => new CurrencyTotal(t.Key, t.Value.Amount, t.Value.Count)).ToList();
    }

    /// <summary>A party is its kind and id; the display form does not make it another account.</summary>
    private sealed class PartyComparer : IEqualityComparer<MoneyParty>
    {
        public static readonly PartyComparer Instance = new();

        public bool Equals(MoneyParty x, MoneyParty y) => string.Equals(x.Kind, y.Kind, StringComparison.Ordinal) && string.Equals(x.Id, y.Id, StringComparison.Ordinal);

        public int GetHashCode(MoneyParty obj) => HashCode.Combine(obj.Kind, obj.Id);
    }

    private sealed class FlowComparer : IEqualityComparer<(MoneyParty, MoneyParty)>
    {
        public static readonly FlowComparer Instance = new();

        public bool Equals((MoneyParty, MoneyParty) x, (MoneyParty, MoneyParty) y) =>
            PartyComparer.Instance.Equals(x.Item1, y.Item1) && PartyComparer.Instance.Equals(x.Item2, y.Item2);

        public int GetHashCode((MoneyParty, MoneyParty) obj) =>
            HashCode.Combine(PartyComparer.Instance.GetHashCode(obj.Item1), PartyComparer.Instance.GetHashCode(obj.Item2));
    }
}
