using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
/// Turns a transaction export (an evidence item of the case) into the case's money flows with the mapping the person
/// accepted. Every account and wallet becomes a subject (or is the subject the case already holds for its value);
/// every payer→payee flow is stored with its totals and the item as source, replacing the flows an earlier import of
/// the same item stored. Subjects, flows, an "analyse" custody entry on the item and the audit row commit together;
/// an export that passes a limit, or of which no row can be read, stores nothing.
/// </summary>
public sealed class ImportMoneyFlows(SharingAccess sharing, ContentStore store, AuditTrail audit, IOptions<MoneyImportOptions> options, TimeProvider clock)
{
    /// <summary>Values looked up per query when matching accounts to the case's subjects.</summary>
    private const int LookupBatch = 500;

    public async Task<Result<MoneyImportDto>> HandleAsync(Actor actor, Guid caseId, Guid evidenceId, MoneyMappingInput? input, CancellationToken cancellationToken = default)
    {
        input ??= new MoneyMappingInput();
        var limits = options.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var writable = await SubjectRules.WritableCaseAsync(session, actor, caseId, cancellationToken);
        if (writable.Error is { } refused)
        {
            return refused;
        }

        if (CustodyLog.RefuseWrite(actor) is { } mayNot)
        {
            return mayNot;
        }

        var item = await MoneyExport.ItemAsync(session, caseId, evidenceId, cancellationToken);
        if (item.Error is { } missing)
        {
            return missing;
        }

        var read = await MoneyExport.ReadAsync(store, audit, limits, actor, item.Value!, input, cancellationToken);
        if (read.Error is { } failed)
        {
            return failed;
        }

        var export = read.Value!;
        if (export.Graph is not { } graph || export.Import is not { } import)
        {
            return Error.Validation("mapping", export.Problem ?? "Choose the columns holding from, to and amount.");
        }

        if (export.Problem is { } problem)
        {
            return Error.Validation("evidenceId", problem);
        }

        var owner = writable.Value!;
        var now = clock.GetUtcNow();
        var db = session.Db;
        var subjects = await SubjectsAsync(db, actor, owner, export.Item, graph, now, cancellationToken);
        if (subjects.Error is { } unusable)
        {
            return unusable;
        }

        var (ids, created) = subjects.Value;
        var earlier = await db.CaseMoneyFlows.Where(f => f.EvidenceId == evidenceId).ToListAsync(cancellationToken);
        var byEnds = earlier.ToDictionary(f => (f.FromSubjectId, f.ToSubjectId));
        var kept = new HashSet<Guid>();
        foreach (var flow in graph.Flows)
        {
            var ends = (ids[(flow.From.Kind, flow.From.Id)], ids[(flow.To.Kind, flow.To.Id)]);
            if (!byEnds.TryGetValue(ends, out var row))
            {
                row = new CaseMoneyFlow
                {
                    Id = Guid.CreateVersion7(),
                    CaseId = caseId,
                    OwnerOrganisationId = owner.OwnerOrganisationId,
                    EvidenceId = evidenceId,
                    FromSubjectId = ends.Item1,
                    ToSubjectId = ends.Item2,
                };
                db.CaseMoneyFlows.Add(row);
                byEnds[ends] = row;
            }

            kept.Add(row.Id);
            row.TotalsJson = MoneyTotals.Write(flow.Totals);
            row.Count = flow.Count;
            row.FirstAt = flow.First;
            row.LastAt = flow.Last;
            row.CreatedBy = actor.UserId!.Value;
            row.CreatedAt = now;
        }

        var dropped = earlier.Where(f => !kept.Contains(f.Id)).ToList();
        db.CaseMoneyFlows.RemoveRange(dropped);

        var tracked = await db.EvidenceItems.FirstAsync(e => e.Id == evidenceId, cancellationToken);
        await CustodyLog.AppendAsync(db, tracked, new CustodyEntry
        {
            Action = CustodyAction.Analyse,
            OccurredAt = now,
            ActorUserId = actor.UserId,
            ActorName = actor.Name,
            Notes = Clip($"Read as a transaction export by Ribat into the case's money flows: {import.Kept} transfer(s), {graph.Flows.Count} flow(s) between " +
                $"{graph.Nodes.Count} account(s) and wallet(s), {import.RefusedRows} row(s) refused.", EvidenceRules.MaxText),
            VerifiedSha256 = export.Item.Sha256,
        }, cancellationToken);
        audit.Add(db, actor, AuditEvents.MoneyFlowsImported, owner.OwnerOrganisationId, "evidence", evidenceId.ToString(), new
        {
            caseId,
            transfers = import.Kept,
            refused = import.RefusedRows,
            accounts = graph.Nodes.Count,
            subjectsCreated = created,
            flows = graph.Flows.Count,
            flowsReplaced = earlier.Count,
            mapping = MoneyExport.ToDto(export.Mapping),
            defaultCurrency = export.DefaultCurrency,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("Another change to this case's subjects or to the item's custody log was saved at the same moment; nothing was imported. Try again.");
        }

        return new MoneyImportDto(evidenceId, import.Kept, import.RefusedRows, graph.Nodes.Count, created, graph.Nodes.Count - created,
            graph.Flows.Count, earlier.Count, MoneyExport.Issues(import, limits.MaxListed));
    }

    /// <summary>
    /// The subject of every account and wallet of the graph: the case's subject holding the same canonical value, or a
    /// new one with the item as source (added to the context, saved with the rest).
    /// </summary>
    private static async Task<Result<(Dictionary<(string, string), Guid> Ids, int Created)>> SubjectsAsync(
        Data.RibatDbContext db, Actor actor, Case owner, EvidenceItem item, MoneyFlowGraph graph, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var values = new List<(MoneyParty Party, SubjectKind Kind, CanonicalIndicator Value)>(graph.Nodes.Count);
        foreach (var node in graph.Nodes)
        {
            var (kind, value) = MoneyExport.SubjectOf(node.Party);
            if (value is null)
            {
                return Error.Validation("evidenceId", $"The account '{node.Party.Display}' cannot be a subject of the case.");
            }

            values.Add((node.Party, kind, value));
        }

        var held = new Dictionary<(long, string), Guid>();
        foreach (var batch in values.Select(v => v.Value.ValueKey).Distinct().Chunk(LookupBatch))
        {
            var keys = batch.ToList();
            var rows = await db.CaseSubjects.AsNoTracking().Where(s => s.CaseId == owner.Id && s.ValueKey != null && keys.Contains(s.ValueKey.Value))
                .Select(s => new { s.Id, s.ValueKey, s.Value }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                held[(row.ValueKey!.Value, row.Value!)] = row.Id;
            }
        }

        var ids = new Dictionary<(string, string), Guid>();
        var created = 0;
        var source = Clip($"Transaction export {item.FileName}", SubjectRules.MaxText);
        foreach (var (party, kind, value) in values)
        {
            if (!held.TryGetValue((value.ValueKey, value.Value), out var id))
            {
                id = Guid.CreateVersion7();
                db.CaseSubjects.Add(new CaseSubject
                {
                    Id = id,
                    CaseId = owner.Id,
                    OwnerOrganisationId = owner.OwnerOrganisationId,
                    Kind = kind,
                    ValueType = value.Type,
                    Value = value.Value,
                    Display = value.Display,
                    ValueKey = value.ValueKey,
                    AttributesJson = JsonSerializer.Serialize(new Dictionary<string, string>()),
                    SourceKind = SourceKind.Evidence,
                    SourceId = item.Id,
                    SourceText = source,
                    CreatedBy = actor.UserId!.Value,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
                held[(value.ValueKey, value.Value)] = id;
                created++;
            }

            ids[(party.Kind, party.Id)] = id;
        }

        return (ids, created);
    }

    private static string Clip(string text, int most) => text.Length <= most ? text : text[..most];
}
