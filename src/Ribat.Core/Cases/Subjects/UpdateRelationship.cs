using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>
/// Changes a relationship's kind, time span, notes and source (case owner only); its two ends stay. Like a subject, an
/// edit names the version it was made from (<see cref="RelationshipEdit.BaseUpdatedAt"/>): when the relationship
/// changed since, the edit is refused with 409 naming the newer version. <see cref="HandleAsync"/> replaces every
/// field (PUT); <see cref="PatchAsync"/> changes only the fields the body holds (PATCH; an explicit null clears).
/// </summary>
public sealed class UpdateRelationship(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    private static readonly string[] PatchFields = ["kind", "source", "startedAt", "endedAt", "notes", "baseUpdatedAt"];
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public Task<Result<RelationshipDto>> HandleAsync(Actor actor, Guid caseId, Guid relationshipId, RelationshipEdit edit, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, caseId, relationshipId, (_, _) => edit, cancellationToken);

    /// <summary>Changes the fields <paramref name="patch"/> names; the others keep their value.</summary>
    public Task<Result<RelationshipDto>> PatchAsync(Actor actor, Guid caseId, Guid relationshipId, JsonObject? patch, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, caseId, relationshipId, (row, v) => Overlay(row, patch, v), cancellationToken);

    private async Task<Result<RelationshipDto>> ChangeAsync(Actor actor, Guid caseId, Guid relationshipId, Func<CaseRelationship, Validation, RelationshipEdit?> edit, CancellationToken cancellationToken)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var writable = await SubjectRules.WritableCaseAsync(session, actor, caseId, cancellationToken);
        if (writable.Error is { } refused)
        {
            return refused;
        }

        var row = await session.Db.CaseRelationships.FirstOrDefaultAsync(r => r.Id == relationshipId && r.CaseId == caseId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The relationship");
        }

        var v = new Validation();
        var input = edit(row, v);
        if (input is null)
        {
            return v.ToError();
        }

        if (!RelationshipKinds.TryParse(input.Kind, out var kind))
        {
            v.Add("kind", string.IsNullOrWhiteSpace(input.Kind)
                ? $"A relationship needs a kind ({RelationshipKinds.Choices})."
                : $"'{input.Kind}' is not a kind of relationship ({RelationshipKinds.Choices}).");
        }

        v.Require(input.StartedAt is null || input.EndedAt is null || input.EndedAt >= input.StartedAt, "endedAt", "The relationship ends after it starts.")
            .Require(input.Notes is null || input.Notes.Length <= SubjectRules.MaxText, "notes", $"The notes are at most {SubjectRules.MaxText:N0} characters.")
            .Require(input.Notes is null || !input.Notes.Contains('\0'), "notes", "The notes must not contain NUL characters.")
            .Require(input.BaseUpdatedAt is not null, "baseUpdatedAt", "An edit names the version it was made from: the relationship's updatedAt as read (baseUpdatedAt).");
        var source = await SubjectRules.CheckSourceAsync(session.Db, caseId, input.Source, v, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (Microseconds(row.UpdatedAt) != Microseconds(input.BaseUpdatedAt!.Value))
        {
            return Stale(row);
        }

        var symmetric = RelationshipKinds.IsSymmetric(kind);
        if (kind != row.Kind && await session.Db.CaseRelationships.AnyAsync(r => r.CaseId == caseId && r.Id != row.Id && r.Kind == kind
                && ((r.FromId == row.FromId && r.ToId == row.ToId) || (symmetric && r.FromId == row.ToId && r.ToId == row.FromId)), cancellationToken))
        {
            return Error.Conflict($"The two subjects are already linked as {kind}.");
        }

        var now = clock.GetUtcNow();
        var version = row.UpdatedAt;
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);

        // Claim the version in the database: of two edits made from the same version, only the first one changes the row.
        var claimed = await session.Db.CaseRelationships.Where(r => r.Id == row.Id && r.UpdatedAt == version)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.UpdatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            var fresh = await session.Db.CaseRelationships.AsNoTracking().FirstAsync(r => r.Id == row.Id, cancellationToken);
            return Stale(fresh);
        }

        var before = new { kind = row.Kind, startedAt = row.StartedAt, endedAt = row.EndedAt };
        row.Kind = kind;
        row.StartedAt = input.StartedAt;
        row.EndedAt = input.EndedAt;
        row.Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
        (row.SourceKind, row.SourceId, row.SourceText) = source!.Value;
        row.UpdatedAt = now;
        audit.Add(session.Db, actor, AuditEvents.RelationshipUpdated, row.OwnerOrganisationId, "case-relationship", row.Id.ToString(),
            new { caseId, before, after = new { kind, startedAt = row.StartedAt, endedAt = row.EndedAt }, source = row.SourceKind.Spell() });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await SubjectRules.ToDtosAsync(session.Db, [row], cancellationToken))[0];
    }

    /// <summary>The row as it is, with the fields the patch holds replaced; null (with the problems in <paramref name="v"/>) when it cannot be read.</summary>
    private static RelationshipEdit? Overlay(CaseRelationship row, JsonObject? patch, Validation v)
    {
        if (patch is null)
        {
            v.Add("body", "A patch is a JSON object holding the fields to change.");
            return null;
        }

        foreach (var (name, _) in patch)
        {
            v.Require(PatchFields.Contains(name, StringComparer.OrdinalIgnoreCase), name, $"'{name}' is not a field of a relationship that changes (kind, source, startedAt, endedAt, notes, baseUpdatedAt).");
        }

        var edit = new RelationshipEdit(row.Kind, new SourceInput(row.SourceKind.Spell(), row.SourceId, row.SourceText), row.StartedAt, row.EndedAt, row.Notes, null);
        edit = edit with
        {
            Kind = Read(patch, "kind", edit.Kind, v),
            Source = Read(patch, "source", edit.Source, v),
            StartedAt = Read(patch, "startedAt", edit.StartedAt, v),
            EndedAt = Read(patch, "endedAt", edit.EndedAt, v),
            Notes = Read(patch, "notes", edit.Notes, v),
            BaseUpdatedAt = Read(patch, "baseUpdatedAt", edit.BaseUpdatedAt, v),
        };
        return v.IsValid ? edit : null;
    }

    private static T? Read<T>(JsonObject patch, string field, T? current, Validation v)
    {
        var present = patch.FirstOrDefault(p => string.Equals(p.Key, field, StringComparison.OrdinalIgnoreCase));
        if (present.Key is null)
        {
            return current;
        }

        try
        {
            return present.Value is null ? default : present.Value.Deserialize<T>(Web);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            v.Add(field, $"'{field}' does not hold a value of the right shape ({Shape<T>()}).");
            return current;
        }
    }

    private static string Shape<T>() => typeof(T) == typeof(SourceInput) ? "an object {kind, id, text}"
        : typeof(T) == typeof(DateTimeOffset?) ? "an ISO 8601 time"
        : "a string";

    // Microseconds: what PostgreSQL keeps of a time, so a value read back compares equal to the one written.
    private static long Microseconds(DateTimeOffset time) => time.UtcTicks / 10;

    private static Error Stale(CaseRelationship row) =>
        Error.Conflict($"The relationship was changed at {row.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff} UTC, after the version this edit was made from; read it again and make the edit on the newer version.");
}
