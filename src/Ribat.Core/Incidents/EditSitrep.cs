using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>Edits a draft situation report of the actor's organisation; a published version never changes.</summary>
public sealed class EditSitrep(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public async Task<Result<SitrepDto>> HandleAsync(Actor actor, Guid sitrepId, SitrepInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var draft = await IncidentRules.OwnDraftAsync(actor, session, sitrepId, "changed", s => $"Version {s.Version} is published and stays as it was; start a new draft to change it.", cancellationToken);
        if (draft.Error is { } refused)
        {
            return refused;
        }

        var (sitrep, row) = draft.Value;

        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Title), "title", "A situation report needs a title.")
            .Require(input.Title is null || input.Title.Trim().Length <= 300, "title", "The title is at most 300 characters.")
            .RequirePrintable(input.Title, "title")
            .Require(!string.IsNullOrWhiteSpace(input.Body), "body", "A situation report needs a body.")
            .Require(input.Body is null || input.Body.Length <= 100_000, "body", "The body is at most 100,000 characters.")
            .Require(input.Body is null || !input.Body.Contains('\0'), "body", "body must not contain NUL characters.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        sitrep.Title = input.Title!.Trim();
        sitrep.Body = input.Body!;
        sitrep.UpdatedAt = clock.GetUtcNow();
        audit.Add(session.Db, actor, AuditEvents.SitrepEdited, sitrep.OrganisationId, "incident", row.Id.ToString(), new { sitrep = sitrep.Id, version = sitrep.Version });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The draft changed meanwhile; read it again.");
        }

        return await read.SitrepAsync(actor, sitrep.Id, cancellationToken);
    }
}
