using System.Text.Json;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Stix;
using Ribat.Stix.Serialization;
using Ribat.Stix.Validation;

namespace Ribat.Core.Federation;

public sealed record ImportStixRequest(SharingTermsInput? Sharing = null);

/// <summary>What a STIX import did: objects stored, versions already held, Ribat indicators recorded, references that did not resolve.</summary>
public sealed record ImportStixResult(
    int Objects,
    int Added,
    int AlreadyHeld,
    int IndicatorsRecorded,
    int MissingReferenceCount,
    IReadOnlyList<string> MissingReferences,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Imports a STIX 2.1 bundle (or a document of one object) for the actor's organisation. The bundle is read and validated whole first: any broken
/// MUST refuses it with every error (object id, property, reason) and nothing is stored. Otherwise every object is kept
/// (see <see cref="StixIntake"/>) in one transaction with one audit entry.
/// </summary>
public sealed class ImportStix(SharingAccess sharing, StixIntake intake, AuditTrail audit)
{
    public const long MaxBytes = 256L * 1024 * 1024;
    public const int MaxReportedIssues = 50;

    private static readonly StixValidator Validator = new(new StixValidationOptions { DanglingReferences = StixSeverity.Info });

    public async Task<Result<ImportStixResult>> HandleAsync(Actor actor, ReadOnlyMemory<byte> bundle, ImportStixRequest request, CancellationToken cancellationToken = default)
    {
        if (!IntelligenceRoles.MayWrite(actor))
        {
            return Error.Forbidden("Importing STIX needs the analyst, investigator, liaison or org-admin role.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (bundle.Length > MaxBytes)
        {
            return Error.Validation("bundle", $"The bundle is {bundle.Length:N0} bytes; at most {MaxBytes:N0} are imported at once.");
        }

        // A bundle, or a document holding one object (as the specification's examples often are).
        var read = StixSerializer.Read(bundle, new StixReadOptions { MaxBytes = MaxBytes }, Validator);
        var errors = read.Errors.ToList();
        if (read.Objects.Count == 0 || errors.Count > 0 || read.SkippedObjects > 0)
        {
            var messages = errors.Take(MaxReportedIssues).Select(e => e.ToString()).ToList();
            if (errors.Count > MaxReportedIssues)
            {
                messages.Add($"… and {errors.Count - MaxReportedIssues:N0} more errors");
            }

            return Error.Validation(new Dictionary<string, string[]> { ["bundle"] = messages.Count > 0 ? [.. messages] : ["The document is not a STIX bundle."] });
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("STIX objects are imported for an organisation; this actor has none.");
        }

        var terms = (request.Sharing ?? new SharingTermsInput()).Resolve(owner);
        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, owner.Id, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        using var document = JsonDocument.Parse(bundle.Span.StartsWith("\uFEFF"u8) ? bundle[3..] : bundle, new JsonDocumentOptions { MaxDepth = StixReadOptions.DefaultMaxDepth });
        var objects = read.Bundle is null ? [document.RootElement]
            : document.RootElement.TryGetProperty("objects", out var array) ? array.EnumerateArray().ToList() : [];
        if (objects.Count == 0)
        {
            return Error.Validation("bundle", "The bundle holds no objects.");
        }

        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var stored = await intake.StoreAsync(session, actor, objects, terms.Value!, StixOrigin.Imported, cancellationToken);
        if (stored.Error is { } refused)
        {
            return refused;
        }

        var outcome = stored.Value!;
        var added = outcome.Results.Count(r => r.State == IntakeState.Added);
        var result = new ImportStixResult(
            objects.Count,
            added,
            outcome.Results.Count(r => r.State == IntakeState.AlreadyHeld),
            outcome.IndicatorsRecorded,
            outcome.MissingReferenceCount,
            outcome.MissingReferences,
            read.Issues.Where(i => i.Severity == StixSeverity.Warning).Take(MaxReportedIssues).Select(i => i.ToString()).ToList());
        audit.Add(session.Db, actor, AuditEvents.StixImported, owner.Id, "stix-bundle", read.Bundle?.Id ?? read.Objects[0].Id,
            new { objects = objects.Count, added, result.AlreadyHeld, indicators = outcome.IndicatorsRecorded, missingReferences = outcome.MissingReferenceCount, tlp = terms.Value!.Tlp.Spell() });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
