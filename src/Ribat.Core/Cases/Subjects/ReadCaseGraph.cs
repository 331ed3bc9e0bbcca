using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Cases.Money;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

public sealed class CaseGraphOptions
{
    /// <summary>The most subjects one answer holds; a larger case is answered in part and says so.</summary>
    public int MaxNodes { get; set; } = 20_000;

    public int MaxDepth { get; set; } = 5;

    /// <summary>How many identifier subjects of one answer are looked up in the intelligence store (one index probe each).</summary>
    public int MaxCorrelatedSubjects { get; set; } = 500;

    /// <summary>How many of a value's indicators become nodes; the rest are counted on the subject.</summary>
    public int MaxIndicatorsPerValue { get; set; } = 10;
}

/// <summary>What to draw: around <c>focus</c> to <c>depth</c> steps, or the whole case; with correlations when asked.</summary>
public sealed record GraphQuery(Guid? Focus = null, int? Depth = null, bool Correlations = false, int? Limit = null);

/// <summary>
/// A node: a subject (<c>kind</c> its subject kind) or, marked <c>correlation</c>, an indicator of the intelligence
/// store holding the same value. <c>degree</c> counts a subject's relationships in the whole case, so a client knows
/// whether expanding it adds anything; <c>correlations</c> counts the value's visible indicators.
/// </summary>
/// <remarks>An account or wallet that paid or was paid carries what it <c>received</c> and <c>sent</c> per currency, over the whole case.</remarks>
public sealed record GraphNode(string Id, string Kind, string Label, string? ValueType, string? Value, bool Correlation, int Degree, int? Correlations, string? Tlp, string? Owner,
    IReadOnlyList<MoneyTotalDto>? Received = null, IReadOnlyList<MoneyTotalDto>? Sent = null);

/// <remarks>
/// A <c>money</c> edge is the money one subject paid another, summed over every transaction export of the case: its
/// totals per currency, transfer count, first and last date, how many exports it comes from, and a label.
/// </remarks>
public sealed record GraphEdge(string Id, string From, string To, string Kind, bool Correlation, MoneyEdgeDto? Money = null);

public sealed record MoneyEdgeDto(IReadOnlyList<MoneyTotalDto> Totals, int Count, DateTimeOffset? First, DateTimeOffset? Last, int Exports, string Label);

public sealed record CaseGraphDto(Guid CaseId, string? Focus, int Depth, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, int Subjects, int Relationships, bool Truncated,
    int MoneyFlows = 0);

/// <summary>
/// The link graph of a case: its subjects and relationships (all of them, or those within <c>depth</c> steps of a
/// focus), and on request, for each identifier subject, the indicators the viewer may see that hold the same
/// canonical value, found with the intelligence store's correlation probe through the sharing filter. The case's
/// edges are read as bare ids once and walked in memory, so a case of many thousands answers in one round trip
/// per table.
/// </summary>
public sealed class ReadCaseGraph(SharingAccess sharing, AuditTrail audit, IOptions<CaseGraphOptions> options, IOptions<CorrelationOptions> correlation)
{
    public async Task<Result<CaseGraphDto>> HandleAsync(Actor actor, Guid caseId, GraphQuery query, CancellationToken cancellationToken = default)
    {
        var limits = options.Value;
        var depth = query.Depth ?? 1;
        var v = new Validation()
            .Require(depth >= 0 && depth <= limits.MaxDepth, "depth", $"The depth is 0 to {limits.MaxDepth} steps from the focus.")
            .Require(query.Limit is null || (query.Limit > 0 && query.Limit <= limits.MaxNodes), "limit", $"The limit is 1 to {limits.MaxNodes:N0} subjects.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var limit = query.Limit ?? limits.MaxNodes;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var db = session.Db;
        if (!await db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return Error.NotFound("The case");
        }

        var links = await db.CaseRelationships.AsNoTracking().Where(r => r.CaseId == caseId)
            .Select(r => new Link(r.Id.ToString(), r.FromId, r.ToId, r.Kind)).ToListAsync(cancellationToken);
        var relationships = links.Count;
        var money = await MoneyEdgesAsync(db, caseId, cancellationToken);
        links.AddRange(money.Keys.Select(ends => new Link($"money:{ends.From}:{ends.To}", ends.From, ends.To, MoneyKind)));
        var degree = new Dictionary<Guid, int>();
        foreach (var link in links)
        {
            degree[link.From] = degree.GetValueOrDefault(link.From) + 1;
            degree[link.To] = degree.GetValueOrDefault(link.To) + 1;
        }

        var total = await db.CaseSubjects.CountAsync(s => s.CaseId == caseId, cancellationToken);
        List<SubjectRow> subjects;
        bool truncated;
        if (query.Focus is { } focus)
        {
            if (!await db.CaseSubjects.AnyAsync(s => s.Id == focus && s.CaseId == caseId, cancellationToken))
            {
                return Error.Validation("focus", $"The case has no subject {focus}.");
            }

            (var reached, truncated) = Walk(links, focus, depth, limit);
            subjects = await Project(Subjects(db, caseId).Where(s => reached.Contains(s.Id))).ToListAsync(cancellationToken);
        }
        else
        {
            subjects = await Project(Subjects(db, caseId).OrderBy(s => s.Id).Take(limit + 1)).ToListAsync(cancellationToken);
            truncated = subjects.Count > limit;
            if (truncated)
            {
                subjects.RemoveAt(subjects.Count - 1);
            }
        }

        var shown = subjects.Select(s => s.Id).ToHashSet();
        var (received, sent) = MoneyOfNodes(money, shown);
        var nodes = subjects.Select(s => new GraphNode(s.Id.ToString(), s.Kind.Spell(), s.Name ?? s.Display ?? s.Value ?? s.Id.ToString(), s.ValueType, s.Value,
            false, degree.GetValueOrDefault(s.Id), null, null, null, received.GetValueOrDefault(s.Id), sent.GetValueOrDefault(s.Id))).ToList();
        var edges = links.Where(l => shown.Contains(l.From) && shown.Contains(l.To))
            .Select(l => new GraphEdge(l.Id, l.From.ToString(), l.To.ToString(), l.Kind, false, l.Kind == MoneyKind ? money[(l.From, l.To)] : null)).ToList();

        if (query.Correlations)
        {
            await CorrelateAsync(session, subjects, nodes, edges, cancellationToken);
        }

        await audit.WriteLookupAsync(actor, AuditEvents.CaseGraphRead, actor.OrganisationId, "case", caseId.ToString(),
            new { focus = query.Focus, depth, nodes = nodes.Count, correlations = query.Correlations }, cancellationToken);
        return new CaseGraphDto(caseId, query.Focus?.ToString(), depth, nodes, edges, total, relationships, truncated, money.Count);
    }

    /// <summary>The edge kind of money flows: not a relationship kind, so no relationship can be mistaken for one.</summary>
    public const string MoneyKind = "money";

    private sealed record Link(string Id, Guid From, Guid To, string Kind);

    /// <summary>The case's money flows, summed per payer and payee over every export (one query; totals parsed in memory).</summary>
    private static async Task<Dictionary<(Guid From, Guid To), MoneyEdgeDto>> MoneyEdgesAsync(Data.RibatDbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        var rows = await db.CaseMoneyFlows.AsNoTracking().Where(f => f.CaseId == caseId)
            .Select(f => new { f.FromSubjectId, f.ToSubjectId, f.TotalsJson, f.Count, f.FirstAt, f.LastAt }).ToListAsync(cancellationToken);
        var edges = new Dictionary<(Guid, Guid), MoneyEdgeDto>();
        foreach (var pair in rows.GroupBy(r => (r.FromSubjectId, r.ToSubjectId)))
        {
            var totals = MoneyTotals.Sum(pair.SelectMany(r => MoneyTotals.Read(r.TotalsJson)));
            var count = pair.Sum(r => r.Count);
            edges[pair.Key] = new MoneyEdgeDto(totals, count, pair.Min(r => r.FirstAt), pair.Max(r => r.LastAt), pair.Count(), MoneyTotals.Label(totals, count));
        }

        return edges;
    }

    private static (Dictionary<Guid, IReadOnlyList<MoneyTotalDto>> Received, Dictionary<Guid, IReadOnlyList<MoneyTotalDto>> Sent) MoneyOfNodes(
        Dictionary<(Guid From, Guid To), MoneyEdgeDto> money, HashSet<Guid> shown)
    {
        var received = new Dictionary<Guid, List<MoneyTotalDto>>();
        var sent = new Dictionary<Guid, List<MoneyTotalDto>>();
        foreach (var ((from, to), edge) in money)
        {
            if (shown.Contains(from))
            {
                (sent.TryGetValue(from, out var list) ? list : sent[from] = []).AddRange(edge.Totals);
            }

            if (shown.Contains(to))
            {
                (received.TryGetValue(to, out var list) ? list : received[to] = []).AddRange(edge.Totals);
            }
        }

        return (received.ToDictionary(p => p.Key, p => (IReadOnlyList<MoneyTotalDto>)MoneyTotals.Sum(p.Value)),
            sent.ToDictionary(p => p.Key, p => (IReadOnlyList<MoneyTotalDto>)MoneyTotals.Sum(p.Value)));
    }

    private sealed record SubjectRow(Guid Id, SubjectKind Kind, string? Name, string? ValueType, string? Value, string? Display);

    private static IQueryable<CaseSubject> Subjects(Data.RibatDbContext db, Guid caseId) => db.CaseSubjects.AsNoTracking().Where(s => s.CaseId == caseId);

    private static IQueryable<SubjectRow> Project(IQueryable<CaseSubject> rows) =>
        rows.Select(s => new SubjectRow(s.Id, s.Kind, s.Name, s.ValueType, s.Value, s.Display));

    /// <summary>Breadth first from the focus, both directions, up to <paramref name="depth"/> steps and <paramref name="limit"/> subjects.</summary>
    private static (HashSet<Guid> Reached, bool Truncated) Walk(List<Link> links, Guid focus, int depth, int limit)
    {
        var neighbours = new Dictionary<Guid, List<Guid>>();
        foreach (var link in links)
        {
            (neighbours.TryGetValue(link.From, out var a) ? a : neighbours[link.From] = []).Add(link.To);
            (neighbours.TryGetValue(link.To, out var b) ? b : neighbours[link.To] = []).Add(link.From);
        }

        var reached = new HashSet<Guid> { focus };
        var frontier = new List<Guid> { focus };
        for (var step = 0; step < depth && frontier.Count > 0; step++)
        {
            var next = new List<Guid>();
            foreach (var node in frontier)
            {
                foreach (var other in neighbours.GetValueOrDefault(node) ?? [])
                {
                    if (reached.Contains(other))
                    {
                        continue;
                    }

                    if (reached.Count >= limit)
                    {
                        return (reached, true);
                    }

                    reached.Add(other);
                    next.Add(other);
                }
            }

            frontier = next;
        }

        return (reached, false);
    }

    /// <summary>
    /// For each identifier subject shown (up to the configured number), the visible indicators holding its canonical
    /// value, through the correlation probe; a value held more widely than the correlation cap is counted, not expanded.
    /// </summary>
    private async Task CorrelateAsync(ContentSession session, List<SubjectRow> subjects, List<GraphNode> nodes, List<GraphEdge> edges, CancellationToken cancellationToken)
    {
        var cap = correlation.Value.MaxPostings;
        var perValue = options.Value.MaxIndicatorsPerValue;
        var found = new List<(int Node, Guid Subject, List<Guid> Indicators)>();
        var index = nodes.Select((n, i) => (n.Id, i)).ToDictionary(p => p.Id, p => p.i);
        foreach (var subject in subjects.Where(s => s.Value is not null).Take(options.Value.MaxCorrelatedSubjects))
        {
            if (!IndicatorTypes.TryCanonicalise(subject.ValueType, subject.Value, out var value, out _))
            {
                continue;
            }

            var holders = await CorrelationProbes.HoldersAsync(session.Db, value!, cap, cancellationToken);
            var at = index[subject.Id.ToString()];
            nodes[at] = nodes[at] with { Correlations = holders.Count };
            if (holders.Count is > 0 && holders.Count <= cap)
            {
                found.Add((at, subject.Id, holders.Take(perValue).Select(h => h.Id).ToList()));
            }
        }

        var ids = found.SelectMany(f => f.Indicators).Distinct().ToList();
        var rows = (await CorrelationProbes.RowsAsync(session.Db, ids, cancellationToken)).ToDictionary(r => r.Id);
        var owners = await OrganisationNames.OfAsync(session.Db, rows.Values.Select(r => r.OwnerOrganisationId), cancellationToken);
        var added = new HashSet<Guid>();
        foreach (var (_, subject, indicators) in found)
        {
            foreach (var id in indicators.Where(rows.ContainsKey))
            {
                var row = rows[id];
                if (added.Add(id))
                {
                    nodes.Add(new GraphNode(id.ToString(), "indicator", row.Display, row.Type, row.Value, true, 0, null, row.Tlp.Spell(), owners.GetValueOrDefault(row.OwnerOrganisationId)));
                }

                edges.Add(new GraphEdge($"{subject}:{id}", subject.ToString(), id.ToString(), "same-value", true));
            }
        }
    }
}
