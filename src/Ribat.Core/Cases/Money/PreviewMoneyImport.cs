using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Money;

/// <summary>
/// The column-mapping step: an evidence item of a case read as a transaction export with a mapping (or the guessed
/// one), answering its header, first rows, the flows an import would store and the rows it would refuse. Nothing is
/// stored; the read is audited as a look-up of the item.
/// </summary>
public sealed class PreviewMoneyImport(SharingAccess sharing, ContentStore store, AuditTrail audit, IOptions<MoneyImportOptions> options)
{
    public async Task<Result<MoneyPreviewDto>> HandleAsync(Actor actor, Guid caseId, Guid evidenceId, MoneyMappingInput? input, CancellationToken cancellationToken = default)
    {
        input ??= new MoneyMappingInput();
        var limits = options.Value;
        MoneyExport.Read read;
        await using (var session = await sharing.OpenAsync(actor, cancellationToken))
        {
            var item = await MoneyExport.ItemAsync(session, caseId, evidenceId, cancellationToken);
            if (item.Error is { } refused)
            {
                return refused;
            }

            var result = await MoneyExport.ReadAsync(store, audit, limits, actor, item.Value!, input, cancellationToken);
            if (result.Error is { } failed)
            {
                return failed;
            }

            read = result.Value!;
        }

        await audit.WriteLookupAsync(actor, AuditEvents.MoneyExportPreviewed, read.Item.OwnerOrganisationId, "evidence", evidenceId.ToString(),
            new { caseId, rows = read.Import?.Rows ?? 0, transfers = read.Import?.Kept ?? 0, flows = read.Graph?.Flows.Count ?? 0 }, cancellationToken);
        var flows = read.Graph?.Flows
            .OrderByDescending(f => f.Count).ThenBy(f => f.From.Id, StringComparer.Ordinal).ThenBy(f => f.To.Id, StringComparer.Ordinal)
            .Take(limits.MaxListed)
            .Select(f => new MoneyFlowPreviewDto(MoneyExport.ToDto(f.From), MoneyExport.ToDto(f.To),
                f.Totals.Select(t => new MoneyTotalDto(t.Currency, t.Amount, t.Count)).ToList(), f.Count, f.First, f.Last))
            .ToList() ?? [];
        return new MoneyPreviewDto(
            evidenceId, read.Item.FileName, read.Sample.Header,
            read.Sample.Rows.Select(r => new MoneySampleRowDto(r.Line, r.Cells)).ToList(),
            MoneyExport.ToDto(read.Sample.Guessed), MoneyExport.ToDto(read.Mapping), read.DefaultCurrency,
            read.Import?.Rows ?? 0, read.Import?.Kept ?? 0, read.Import?.RefusedRows ?? 0, read.Graph?.Nodes.Count ?? 0,
            flows, read.Graph?.Flows.Count ?? 0, MoneyExport.Issues(read.Import, limits.MaxListed), read.Problem);
    }
}
