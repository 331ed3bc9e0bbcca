using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Stix;
using Ribat.Stix.Taxii;
using Ribat.Stix.Validation;

namespace Ribat.Core.Federation;

/// <summary>
/// Adds the objects of a TAXII envelope to a collection. Each object is checked on its own: one that breaks a STIX
/// MUST is a failure with the validator's message and the others are still stored (under the collection's terms,
/// tightened by the object's own markings). The outcome is a TAXII status, kept so the poster can read it again;
/// processing is synchronous, so it is always complete.
/// </summary>
public sealed class AddCollectionObjects(SharingAccess sharing, StixIntake intake, AuditTrail audit, TimeProvider clock)
{
    private static readonly StixValidator Validator = new(new StixValidationOptions { DanglingReferences = StixSeverity.Info });

    public async Task<Result<TaxiiStatus>> HandleAsync(Actor actor, StixCollection collection, IReadOnlyList<JsonElement> objects, CancellationToken cancellationToken = default)
    {
        if (!collection.CanWrite)
        {
            return Error.Forbidden("This collection is read-only for this token.");
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Objects are added for an organisation; this actor has none.");
        }

        var requestedAt = clock.GetUtcNow();
        var failures = new List<TaxiiStatusDetails>();
        var accepted = new List<JsonElement>();
        foreach (var element in objects)
        {
            var errors = Validator.ValidateObject(element).Where(i => i.Severity == StixSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                failures.Add(new TaxiiStatusDetails(StixIntake.Text(element, "id") ?? "(no id)", VersionOf(element), Shorten(string.Join("; ", errors.Take(5).Select(e => $"{e.Property}: {e.Message}")))));
                continue;
            }

            accepted.Add(element);
        }

        var successes = new List<TaxiiStatusDetails>();
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        if (accepted.Count > 0)
        {
            var stored = await intake.StoreAsync(session, actor, accepted, collection.DefaultTerms(owner), StixOrigin.Imported, cancellationToken);
            if (stored.Error is { } refused)
            {
                return refused;
            }

            foreach (var result in stored.Value!.Results)
            {
                var details = new TaxiiStatusDetails(result.StixId ?? "(no id)", result.Version ?? string.Empty, result.Reason);
                (result.State == IntakeState.Refused ? failures : successes).Add(details);
            }
        }

        var (status, row) = TaxiiStatusRecord.Completed(owner.Id, requestedAt, objects.Count, successes, failures);
        session.Db.TaxiiStatuses.Add(row);
        audit.Add(session.Db, actor, AuditEvents.TaxiiObjectsAdded, owner.Id, "taxii-collection", collection.Id.ToString(),
            new { total = objects.Count, successes = successes.Count, failures = failures.Count, status = status.Id });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return status;
    }

    /// <summary>A status the actor's organisation received for one of its posts.</summary>
    public async Task<TaxiiStatus?> StatusAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var json = await session.Db.TaxiiStatuses.AsNoTracking().Where(s => s.Id == id).Select(s => s.Json).FirstOrDefaultAsync(cancellationToken);
        return json is not null && TaxiiJson.TryRead<TaxiiStatus>(Encoding.UTF8.GetBytes(json), out var status, out _) ? status : null;
    }

    private static string VersionOf(JsonElement element) =>
        StixIntake.Text(element, "modified") ?? StixIntake.Text(element, "created") ?? string.Empty;

    private static string Shorten(string text) => text.Length <= 1000 ? text : text[..1000] + "…";
}
