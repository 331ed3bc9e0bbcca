using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.CaseWork;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Findings;
using Ribat.Core.Node;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Prosecution;

/// <summary>Which items go into the package (all of the case's when absent) and why it is made.</summary>
public sealed record PackageRequest(IReadOnlyList<Guid>? Items = null, string? Purpose = null);

/// <summary>A finished package, positioned at its start; disposing it removes it from disk.</summary>
public sealed record ProsecutionPackage(Guid PackageId, string FileName, long Length, Stream Content);

/// <summary>
/// Exports a case's evidence as a signed prosecution package (ADR 0010). Each file is re-hashed while it is copied
/// into the package, and only a package whose every file still matches its acquisition is finished: then an
/// <c>export</c> entry is appended to each item's custody log with the audit row (one transaction), and those logs,
/// ending with that entry, go into the package. Items the actor may not use in court (H1, or TLP:AMBER and stricter,
/// without the owner's recorded permission) are refused by name, as are items already returned or disposed of.
/// </summary>
public sealed class ExportPackage(SharingAccess sharing, ContentStore store, AuditTrail audit, ReadCases cases, TimeProvider clock)
{
    public async Task<Result<ProsecutionPackage>> HandleAsync(Actor actor, Guid caseId, PackageRequest request, NodeKey key, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var summary = await cases.GetAsync(actor, caseId, cancellationToken);
        if (summary.Error is { } missing)
        {
            return missing;
        }

        if (actor.UserId is not { } userId)
        {
            return Error.Forbidden("A package is exported by a person, whose export each item's custody log records.");
        }

        if (CustodyLog.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var chosen = await ChooseAsync(session, caseId, request, cancellationToken);
        if (chosen.Error is { } notChosen)
        {
            return notChosen;
        }

        var items = chosen.Value!;
        var file = new FileStream(
            Path.Combine(Directory.CreateDirectory(store.IncomingDirectory).FullName, $"{Guid.CreateVersion7():N}.zip.part"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            var built = await BuildAsync(session, actor, userId, summary.Value!, items, request, key, file, cancellationToken);
            if (built.Error is { } failed)
            {
                await file.DisposeAsync();
                return failed;
            }

            file.Position = 0;
            var name = $"package-{PackageFormat.SafeName(summary.Value!.Title)}-{built.Value:N}.zip";
            return new ProsecutionPackage(built.Value, name, file.Length, file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static async Task<Result<List<EvidenceItem>>> ChooseAsync(ContentSession session, Guid caseId, PackageRequest request, CancellationToken cancellationToken)
    {
        if (request.Purpose is { Length: > EvidenceRules.MaxText })
        {
            return Error.Validation("purpose", $"The purpose is at most {EvidenceRules.MaxText} characters.");
        }

        var items = await session.Db.EvidenceItems.Where(e => e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        if (request.Items is { Count: > 0 } wanted)
        {
            var unknown = wanted.Where(id => items.All(i => i.Id != id)).ToList();
            if (unknown.Count > 0)
            {
                return Error.Validation("items", $"Not evidence of this case: {string.Join(", ", unknown)}.");
            }

            items = items.Where(i => wanted.Contains(i.Id)).ToList();
        }

        if (items.Count == 0)
        {
            return Error.Validation("items", "The case holds no evidence to package.");
        }

        var grants = await session.GrantsAsync(items.Select(i => i.Id).ToList(), cancellationToken);
        var notForCourt = items.Select(i => (Item: i, Decision: session.Decide(i, grants))).Where(x => !x.Decision.MayUseInCourt)
            .Select(x => $"{x.Item.FileName} ({x.Item.Id}: {string.Join(", ", x.Decision.Reasons.Select(r => r.Code.Spell()))})").ToList();
        if (notForCourt.Count > 0)
        {
            return Error.Forbidden(
                $"Not for judicial proceedings without the owner's recorded court-use permission: {string.Join("; ", notForCourt)}. " +
                "Ask the owner to record court use for your organisation, or leave these items out.");
        }

        var gone = items.Where(i => i.State is EvidenceState.Returned or EvidenceState.Disposed).Select(i => $"{i.FileName} ({i.Id}, {CustodyLog.Spell(i.State)})").ToList();
        return gone.Count > 0 ? Error.Conflict($"Items no longer held cannot be exported: {string.Join("; ", gone)}; leave them out.") : items;
    }

    private async Task<Result<Guid>> BuildAsync(
        ContentSession session, Actor actor, Guid userId, CaseDto summary, List<EvidenceItem> items, PackageRequest request, NodeKey key, Stream target, CancellationToken cancellationToken)
    {
        var packageId = Guid.CreateVersion7();
        using var writer = new PackageWriter(target);
        var copied = new Dictionary<Guid, FileDigests>();
        foreach (var item in items)
        {
            var digests = await CopyAsync(writer, actor, item, cancellationToken);
            if (digests.Error is { } tampered)
            {
                return tampered;
            }

            copied[item.Id] = digests.Value!;
        }

        var now = clock.GetUtcNow();
        foreach (var item in items)
        {
            await CustodyLog.AppendAsync(session.Db, item, new CustodyEntry
            {
                Action = CustodyAction.Export,
                OccurredAt = now,
                ActorUserId = userId,
                ActorName = actor.Name,
                Notes = $"prosecution package {packageId}" + (EvidenceRules.Clean(request.Purpose) is { } purpose ? $": {purpose}" : string.Empty),
                VerifiedSha256 = copied[item.Id].Sha256,
            }, cancellationToken);
        }

        audit.Add(session.Db, actor, AuditEvents.PackageExported, summary.OwnerOrganisationId, "case", summary.Id.ToString(),
            new { package = packageId, items = items.Select(i => i.Id).ToList() });
        var saved = await CustodyLog.SaveAsync(session.Db, cancellationToken);
        if (saved.Error is { } conflict)
        {
            return conflict;
        }

        await AddRecordsAsync(session, writer, summary, items, cancellationToken);
        var node = session.LocalNode;
        writer.Seal(new PackageManifest(PackageFormat.Version, packageId, now, node, key.Fingerprint, summary.Id, summary.Title, actor.Name, writer.Files), key.Key);
        return packageId;
    }

    /// <summary>The copy is the re-verification: a file that no longer matches its acquisition stops the export.</summary>
    private async Task<Result<FileDigests>> CopyAsync(PackageWriter writer, Actor actor, EvidenceItem item, CancellationToken cancellationToken)
    {
        FileDigests? d = null;
        try
        {
            await using var content = store.OpenRead(item.Sha256);
            var copied = await writer.AddFileAsync(PackageFormat.EvidencePath(item.Id, item.FileName), item.Id, content, cancellationToken);
            if (copied.Error is { } full)
            {
                return full;
            }

            d = copied.Value;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Reported below as a missing file, like any other integrity failure.
        }

        if (d is not null && d.Sha256 == item.Sha256 && d.Md5 == item.Md5 && d.Sha1 == item.Sha1 && d.Size == item.Size)
        {
            return d;
        }

        var problem = d is null ? "the stored file is missing" : "the stored file no longer matches the hashes taken at acquisition";
        await audit.WriteAsync(actor, AuditEvents.EvidenceIntegrityFailed, item.OwnerOrganisationId, "evidence", item.Id.ToString(), new { problem }, cancellationToken);
        return Error.Conflict($"Evidence {item.FileName} ({item.Id}): {problem}; no package was made. Run 'ribat evidence verify' and report it.");
    }

    private static async Task AddRecordsAsync(ContentSession session, PackageWriter writer, CaseDto summary, List<EvidenceItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.Id).ToList();
        var entries = (await session.Db.CustodyEntries.AsNoTracking().Where(e => ids.Contains(e.EvidenceId)).ToListAsync(cancellationToken))
            .OrderBy(e => e.Sequence).ToLookup(e => e.EvidenceId);
        foreach (var item in items)
        {
            writer.AddJson(PackageFormat.AcquisitionPath(item.Id), PackageFormat.AcquisitionRole, item.Id, PackagedAcquisition.From(item));
            writer.AddJson(PackageFormat.CustodyPath(item.Id), PackageFormat.CustodyRole, item.Id,
                new PackagedCustody(item.Id, entries[item.Id].Select(PackagedCustodyEntry.From).ToList()));
        }

        // The case's timeline and its analysers' findings, as far as they concern what the package holds: the analysts'
        // entries, and the custody steps and findings of the packaged items only (an item left out stays out).
        var timeline = await ReadCaseTimeline.AllAsync(session, summary.Id, int.MaxValue, cancellationToken);
        writer.AddJson(PackageFormat.TimelinePath, PackageFormat.TimelineRole, null,
            timeline.Items.Where(t => t.EvidenceId is null || ids.Contains(t.EvidenceId.Value)).ToList());
        var findings = await ReadFindings.ListAsync(session, session.Db.Findings.Where(f => f.CaseId == summary.Id && ids.Contains(f.EvidenceId)), cancellationToken);
        writer.AddJson(PackageFormat.FindingsPath, PackageFormat.FindingsRole, null, findings.Value ?? []);

        writer.AddJson(PackageFormat.CasePath, PackageFormat.CaseRole, null, summary);
        writer.AddJson(PackageFormat.CaseUcoPath, PackageFormat.CaseUcoRole, null, CaseUcoDocument.Build(summary, items, entries, writer.Files));
    }
}
