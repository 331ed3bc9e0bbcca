using System.Text.Json;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Audit;

/// <summary>
/// Adds audit rows. <see cref="Add"/> puts the row into the caller's context so it commits with the change;
/// <see cref="WriteAsync"/> is for events that are not a change (reads, sign-ins) and saves at once;
/// <see cref="WriteLookupAsync"/> is for searches, which happen at machine speed.
/// </summary>
public sealed class AuditTrail(RibatDatabase database, TimeProvider clock) : IDisposable
{
    private readonly LookupAuditWriter _lookups = new(database);

    /// <summary>Lets the look-up writer finish what it holds (for a few seconds at most) and stop when the node shuts down.</summary>
    public void Dispose() => _lookups.Complete(TimeSpan.FromSeconds(5));

    public void Add(RibatDbContext db, Actor actor, AuditEvent auditEvent, Guid? organisationId, string? targetType = null, string? targetId = null, object? details = null) =>
        db.AuditEntries.Add(Create(actor, auditEvent, organisationId, targetType, targetId, details));

    public async Task WriteAsync(Actor actor, AuditEvent auditEvent, Guid? organisationId, string? targetType = null, string? targetId = null, object? details = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(TenantScope.NodeWide("audit write"));
        db.AuditEntries.Add(Create(actor, auditEvent, organisationId, targetType, targetId, details));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Writes a read made at machine speed (a search, a correlation look-up) without waiting for the disk flush, so
    /// that auditing every look-up does not put the disk's flush latency on every answer. The entry is in the chain
    /// before the answer leaves and survives a crash of Ribat; the next ordinary commit (any change, reading or
    /// exporting the audit log) makes it durable with everything before it. A power cut or an operating-system crash
    /// may lose the newest such entries, never a change and never a link in the middle of the chain (ADR 0007).
    /// Look-ups made at the same time commit together (<see cref="LookupAuditWriter"/>).
    /// </summary>
    public Task WriteLookupAsync(Actor actor, AuditEvent auditEvent, Guid? organisationId, string? targetType = null, string? targetId = null, object? details = null, CancellationToken cancellationToken = default) =>
        _lookups.WriteAsync(Create(actor, auditEvent, organisationId, targetType, targetId, details), cancellationToken);

    private AuditEntry Create(Actor actor, AuditEvent auditEvent, Guid? organisationId, string? targetType, string? targetId, object? details) => new()
    {
        OccurredAt = clock.GetUtcNow(),
        Code = auditEvent.Code,
        Event = auditEvent.Name,
        OrganisationId = organisationId,
        ActorUserId = actor.UserId,
        ActorName = Truncate(actor.Name, 256),
        TargetType = targetType,
        TargetId = targetId,
        Details = details is null ? null : JsonSerializer.Serialize(details, DetailsJson),
        Address = actor.Address is null ? null : Truncate(actor.Address, 64),
    };

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
