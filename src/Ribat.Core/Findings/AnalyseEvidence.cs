using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Findings;

/// <summary>
/// Analyses an evidence item of a case or an incident as an e-mail (one message or an mbox) or as a file, with the engines of
/// <c>ribat analyze</c>. What is found is kept as findings; the indicators go into one intelligence report of the
/// owner (organisation only, TLP:AMBER), where they correlate; a message's attachments are acquired as evidence
/// items of the same case or incident. The findings, the new items, an "analyse" custody entry on the item and the audit row
/// commit together; if they cannot, the report is deleted again, so a failed analysis leaves nothing behind.
/// </summary>
public sealed class AnalyseEvidence(
    SharingAccess sharing, ContentStore store, AuditTrail audit, AcquireEvidence acquire, Reports reports, RecordIndicators record, ReadFindings read, ServerYara yara, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<FindingDto>>> HandleAsync(Actor actor, Guid evidenceId, AnalysisInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var kind = input.Kind?.Trim().ToLowerInvariant() switch
        {
            "email" or "e-mail" => FindingKind.Email,
            "file" => FindingKind.File,
            _ => (FindingKind?)null,
        };
        if (kind is null)
        {
            return Error.Validation("kind", "Say how to read the item: email (one message or an mbox) or file.");
        }

        EvidenceItem item;
        EvidenceParent parent;
        SharingTerms terms;
        Guid localNode;
        List<AnalysedPart> parts;
        await using (var session = await sharing.OpenAsync(actor, cancellationToken))
        {
            var found = await session.Db.EvidenceItems.AsNoTracking().FirstOrDefaultAsync(e => e.Id == evidenceId, cancellationToken);
            if (found is null)
            {
                return Error.NotFound("The evidence item");
            }

            item = found;
            if (item.OwnerOrganisationId != session.Organisation?.Id || actor.UserId is null)
            {
                return Error.Forbidden("Only the organisation that owns an evidence item analyses it.");
            }

            if (CustodyLog.RefuseWrite(actor) is { } refused)
            {
                return refused;
            }

            parent = EvidenceParent.Of(item.CaseId, item.IncidentId);
            if ((await EvidenceParents.LoadAsync(session, parent, cancellationToken))?.RefuseClosed("analysing its evidence") is { } closed)
            {
                return closed;
            }

            if (await session.Db.Findings.AnyAsync(f => f.EvidenceId == evidenceId && (f.Kind == FindingKind.Email || f.Kind == FindingKind.File), cancellationToken))
            {
                return Error.Conflict("The item has been analysed already; its findings are listed with it.");
            }

            var verified = await CustodyLog.ReverifyAsync(store, audit, actor, item, cancellationToken);
            if (verified.Error is { } tampered)
            {
                return tampered;
            }

            localNode = session.LocalNode;
            terms = SharedColumns.ToTerms(item, await session.GrantsAsync([item.Id], cancellationToken), localNode);
            await using var content = store.OpenRead(item.Sha256);
            var analysed = kind == FindingKind.Email
                ? ContentAnalysis.Email(content, item.FileName)
                : ContentAnalysis.File(content, item.FileName, clock.GetUtcNow());
            if (analysed.Error is { } unreadable)
            {
                return unreadable;
            }

            parts = analysed.Value!;
        }

        var hits = Scan(item, kind.Value, parts);

        var indicatorReport = await RecordIndicatorsAsync(actor, item, parts, cancellationToken);
        if (indicatorReport.Error is { } notRecorded)
        {
            return notRecorded;
        }

        var files = new List<(AcquisitionInput, Stream)>();
        var owners = new List<int>();
        for (var p = 0; p < parts.Count; p++)
        {
            foreach (var attachment in parts[p].Attachments)
            {
                files.Add((new AcquisitionInput(
                    FileName: attachment.FileName,
                    Description: Clip($"Attachment of message {parts[p].Position} (\"{parts[p].Title}\") of evidence item {item.FileName}.", EvidenceRules.MaxText),
                    Method: Clip($"extracted from evidence item {item.Id} (SHA-256 {item.Sha256})", EvidenceRules.MaxText),
                    Tool: "Ribat e-mail analysis",
                    ToolVersion: typeof(AnalyseEvidence).Assembly.GetName().Version?.ToString()), new MemoryStream(attachment.Content, writable: false)));
                owners.Add(p);
            }
        }

        var ids = new List<Guid>();
        Result<IReadOnlyList<EvidenceDto>> acquired;
        var committed = false;
        try
        {
            acquired = await acquire.HandleManyAsync(actor, parent, files, async (db, attachments, ct) =>
            {
                var now = clock.GetUtcNow();
                for (var p = 0; p < parts.Count; p++)
                {
                    var part = parts[p];
                    var finding = new Finding
                    {
                        Id = Guid.CreateVersion7(),
                        CaseId = item.CaseId,
                        IncidentId = item.IncidentId,
                        EvidenceId = item.Id,
                        Kind = part.Kind,
                        Position = part.Position,
                        Title = part.Title,
                        Verdict = part.Verdict,
                        ReportJson = part.ReportJson,
                        YaraJson = hits?[p] is { } found ? System.Text.Json.JsonSerializer.Serialize(found, Forensics.Files.FileReportJson.Options) : null,
                        IndicatorReportId = part.Indicators.Count > 0 ? indicatorReport.Value : null,
                        IndicatorCount = part.Indicators.Count,
                        AttachmentEvidenceIds = [.. attachments.Where((_, i) => owners[i] == p).Select(a => a.Id)],
                        CreatedBy = actor.UserId!.Value,
                        CreatedAt = now,
                    };
                    SharedColumns.Apply(finding, terms, localNode);
                    db.Findings.Add(finding);
                    db.ShareGrants.AddRange(SharedColumns.Grants(finding.Id, terms, localNode, now));
                    ids.Add(finding.Id);
                }

                var tracked = await db.EvidenceItems.FirstAsync(e => e.Id == item.Id, ct);
                await CustodyLog.AppendAsync(db, tracked, new CustodyEntry
                {
                    Action = CustodyAction.Analyse,
                    OccurredAt = now,
                    ActorUserId = actor.UserId,
                    ActorName = actor.Name,
                    Notes = Clip($"Analysed as {(kind == FindingKind.Email ? "e-mail" : "file")} by Ribat: {parts.Count} finding(s), {attachments.Count} attachment(s) acquired, {parts.Sum(x => x.Indicators.Count)} indicator(s) found.", EvidenceRules.MaxText),
                    VerifiedSha256 = item.Sha256,
                }, ct);
                audit.Add(db, actor, AuditEvents.EvidenceAnalysed, item.OwnerOrganisationId, "evidence", item.Id.ToString(),
                    new { caseId = item.CaseId, incidentId = item.IncidentId, kind = kind == FindingKind.Email ? "email" : "file", findings = parts.Count, attachments = attachments.Count, report = indicatorReport.Value });
            }, cancellationToken);
            committed = acquired.Error is null;
        }
        finally
        {
            if (!committed)
            {
                await DiscardReportAsync(actor, indicatorReport.Value);
            }
        }

        if (acquired.Error is { } failed)
        {
            return failed;
        }

        return await read.ForEvidenceAsync(actor, item.Id, cancellationToken);
    }

    /// <summary>
    /// The node's YARA rules over the file itself, or over each message's attachments (written to a private temporary
    /// folder for the scan, then removed): one list per part, or null when the node has no rules.
    /// </summary>
    private List<IReadOnlyList<YaraHits>>? Scan(EvidenceItem item, FindingKind kind, List<AnalysedPart> parts)
    {
        if (kind == FindingKind.File)
        {
            return yara.Scan([(item.FileName, item.Sha256, store.PathOf(item.Sha256))]) is { } onFile ? [onFile] : null;
        }

        if (parts.All(p => p.Attachments.Count == 0))
        {
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("ribat-scan-");
        try
        {
            var result = new List<IReadOnlyList<YaraHits>>(parts.Count);
            foreach (var part in parts)
            {
                var files = new List<(string, string, string)>();
                foreach (var attachment in part.Attachments)
                {
                    var path = Path.Combine(folder.FullName, $"{files.Count}");
                    File.WriteAllBytes(path, attachment.Content);
                    files.Add((attachment.FileName, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(attachment.Content)), path));
                }

                if (files.Count == 0)
                {
                    result.Add([]);
                }
                else if (yara.Scan(files) is { } scanned)
                {
                    result.Add(scanned);
                }
                else
                {
                    return null;
                }
            }

            return result;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One report over every indicator found, organisation only: the owner widens it once it has looked.</summary>
    private async Task<Result<Guid?>> RecordIndicatorsAsync(Actor actor, EvidenceItem item, List<AnalysedPart> parts, CancellationToken cancellationToken)
    {
        var inputs = parts.SelectMany(p => p.Indicators).Distinct().Select(i => new IndicatorInput(i.Type, i.Value, SourceId: $"evidence:{item.Id}")).ToList();
        if (inputs.Count == 0)
        {
            return (Guid?)null;
        }

        var organisationOnly = new SharingTermsInput(Tlp: "amber", Distribution: "organisation-only");
        var created = await reports.CreateAsync(actor, new ReportInput(Clip($"Findings of evidence {item.FileName}", 300),
            Description: $"Indicators found by analysing evidence item {item.Id} (SHA-256 {item.Sha256}) of {EvidenceParent.Of(item.CaseId, item.IncidentId)}.", Sharing: organisationOnly), cancellationToken);
        if (created.Error is { } refused)
        {
            return refused;
        }

        var recorded = await record.HandleAsync(actor, new RecordIndicatorsRequest(inputs, organisationOnly, created.Value!.Id), cancellationToken: cancellationToken);
        if (recorded.Error is { } failed)
        {
            await DiscardReportAsync(actor, created.Value.Id);
            return failed;
        }

        return created.Value.Id;
    }

    private async Task DiscardReportAsync(Actor actor, Guid? reportId)
    {
        if (reportId is { } id)
        {
            await reports.DeleteAsync(actor, id, CancellationToken.None);
        }
    }

    private static string Clip(string text, int most) => text.Length <= most ? text : text[..most];
}
