using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Audit;

public sealed record AuditEntryDto(
    long Sequence,
    DateTimeOffset OccurredAt,
    int Code,
    string Event,
    Guid? OrganisationId,
    Guid? ActorUserId,
    string Actor,
    string? TargetType,
    string? TargetId,
    string? Details,
    string? Address,
    string PreviousHash,
    string Hash);

public sealed record AuditQuery(
    int? Code = null,
    string? Actor = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    Guid? OrganisationId = null,
    string? Cursor = null,
    int? Limit = null);

/// <summary>
/// Reading the audit log: org admins see their organisation's rows, node admins every row. Reading it is
/// itself audited.
/// </summary>
public sealed class AuditLog(RibatDatabase database, AuditTrail trail)
{
    public static Error? CheckAccess(Actor actor) =>
        actor.IsNodeAdmin || actor.IsOrgAdmin ? null : Error.Forbidden("Only organisation and node administrators may read the audit log.");

    public async Task<Result<Page<AuditEntryDto>>> ListAsync(Actor actor, AuditQuery query, CancellationToken cancellationToken = default)
    {
        if (CheckAccess(actor) is { } denied)
        {
            return denied;
        }

        var request = Cursor.ReadSequencePage(query.Cursor, query.Limit);
        if (request.Error is { } invalid)
        {
            return invalid;
        }

        var (continueBefore, limit) = request.Value;

        await using var db = database.Open(actor);
        var rows = Filter(db, query);
        if (continueBefore is { } before)
        {
            rows = rows.Where(a => a.Sequence < before);
        }

        var page = await rows.OrderByDescending(a => a.Sequence).Take(limit + 1).AsNoTracking().ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(ToDto).ToList();
        await trail.WriteAsync(actor, AuditEvents.AuditLogRead, actor.OrganisationId, details: new { count = items.Count, query.Code }, cancellationToken: cancellationToken);
        return new Page<AuditEntryDto>(items, page.Count > limit ? Cursor.Encode(items[^1].Sequence) : null);
    }

    /// <summary>Writes every matching row, oldest first, as JSON lines.</summary>
    public async Task<Result<int>> ExportAsync(Actor actor, AuditQuery query, Stream output, CancellationToken cancellationToken = default)
    {
        if (CheckAccess(actor) is { } denied)
        {
            return denied;
        }

        await trail.WriteAsync(actor, AuditEvents.AuditLogExported, actor.OrganisationId, details: new { query.Code }, cancellationToken: cancellationToken);
        await using var db = database.Open(actor);
        var count = 0;
        var newline = "\n"u8.ToArray();
        await foreach (var row in Filter(db, query).OrderBy(a => a.Sequence).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await JsonSerializer.SerializeAsync(output, ToDto(row), ExportJson, cancellationToken);
            await output.WriteAsync(newline, cancellationToken);
            count++;
        }

        return count;
    }

    private static IQueryable<AuditEntry> Filter(RibatDbContext db, AuditQuery query)
    {
        IQueryable<AuditEntry> rows = db.AuditEntries;
        if (query.Code is { } code)
        {
            rows = rows.Where(a => a.Code == code);
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            rows = rows.Where(a => a.ActorName.Contains(actor));
        }

        if (query.From is { } from)
        {
            rows = rows.Where(a => a.OccurredAt >= from.ToUniversalTime());
        }

        if (query.To is { } to)
        {
            rows = rows.Where(a => a.OccurredAt < to.ToUniversalTime());
        }

        if (query.OrganisationId is { } org)
        {
            rows = rows.Where(a => a.OrganisationId == org);
        }

        return rows;
    }

    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web);

    private static AuditEntryDto ToDto(AuditEntry a) =>
        new(a.Sequence, a.OccurredAt, a.Code, a.Event, a.OrganisationId, a.ActorUserId, a.ActorName, a.TargetType, a.TargetId, a.Details, a.Address, a.PreviousHash, a.Hash);
}

public sealed record AuditVerification(bool Intact, long Rows, long? BrokenAt, string? Problem, string HeadHash)
{
    /// <summary>The last verified row as <c>SEQ:HASH</c>, the form <see cref="AuditHead.TryParse"/> reads back.</summary>
    public string Head => $"{Rows}:{HeadHash}";
}

/// <summary>
/// A row an operator recorded earlier (<c>SEQ:HASH</c>). The chain alone cannot show that its newest rows
/// were cut off; checking against a recorded head can.
/// </summary>
public sealed record AuditHead(long Sequence, string Hash)
{
    public static bool TryParse(string? text, out AuditHead head)
    {
        head = new AuditHead(0, string.Empty);
        var parts = text?.Trim().Split(':') ?? [];
        if (parts.Length != 2 || !long.TryParse(parts[0], out var sequence) || sequence < 1
            || parts[1].Length != 64 || !parts[1].All(char.IsAsciiHexDigit))
        {
            return false;
        }

        head = new AuditHead(sequence, parts[1].ToLowerInvariant());
        return true;
    }
}

/// <summary>Walks the whole chain in order, in constant memory, and names the first broken row.</summary>
public sealed class VerifyAuditChain(RibatDatabase database)
{
    public async Task<AuditVerification> RunAsync(AuditHead? recorded = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(TenantScope.NodeWide("audit verification"));

        // The head printed here may be recorded outside the database; it must not be a search entry a power cut
        // could still take back (ADR 0007).
        await db.FlushCommittedAsync(cancellationToken);
        long expected = 1;
        var previous = AuditChain.Genesis;
        await foreach (var row in db.AuditEntries.OrderBy(a => a.Sequence).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (AuditChain.Check(row, expected, previous) is { } problem)
            {
                return new AuditVerification(false, expected - 1, Math.Min(row.Sequence, expected), problem, previous);
            }

            if (recorded is not null && row.Sequence == recorded.Sequence && row.Hash != recorded.Hash)
            {
                return new AuditVerification(false, expected - 1, row.Sequence, $"row {row.Sequence} is not the row recorded as the head (its hash differs)", previous);
            }

            previous = row.Hash;
            expected++;
        }

        var rows = expected - 1;
        if (recorded is not null && rows < recorded.Sequence)
        {
            return new AuditVerification(false, rows, rows + 1, $"the log ends at row {rows} but row {recorded.Sequence} was recorded: rows {rows + 1} to {recorded.Sequence} were removed", previous);
        }

        return new AuditVerification(true, rows, null, null, previous);
    }
}
