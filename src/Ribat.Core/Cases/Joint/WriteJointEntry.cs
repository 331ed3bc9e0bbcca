using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.CaseWork;
using Ribat.Core.Common;
using Ribat.Core.Federation;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Joint;

/// <summary>
/// A member of a joint investigation writes an entry for the whole team — something that happened, a note, a task —
/// or changes one its organisation wrote. On the lead's node the case team writes; on a partner's node its
/// investigators, analysts and administrators do. The entry goes to every other member under the case's marking and
/// handling codes, as a version of <c>x-ribat-case-entry</c> written in the same transaction.
/// </summary>
public sealed class WriteJointEntry(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public Task<Result<JointEntryDto>> HandleAsync(Actor actor, Guid caseId, JointEntryInput input, CancellationToken cancellationToken = default) =>
        WriteAsync(actor, caseId, null, input, cancellationToken);

    public Task<Result<JointEntryDto>> ChangeAsync(Actor actor, Guid caseId, Guid entryId, JointEntryInput input, CancellationToken cancellationToken = default) =>
        WriteAsync(actor, caseId, entryId, input, cancellationToken);

    private async Task<Result<JointEntryDto>> WriteAsync(Actor actor, Guid caseId, Guid? entryId, JointEntryInput input, CancellationToken cancellationToken)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var found = await JointScope.FindAsync(session, caseId, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var scope = found.Value!;
        if (Refuse(actor, session, scope) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var v = new Validation();
        if (!JointRules.TryParseKind(input.Kind, out var kind))
        {
            v.Add("kind", input.Kind is null ? "An entry has a kind: timeline, note or task." : $"'{input.Kind}' is not a kind of entry (timeline, note, task).");
        }

        v.Require(input.Text is not null && JointRules.IsText(input.Text.Trim(), JointRules.MaxText), "text",
                $"The text is 1 to {JointRules.MaxText:N0} characters, without control characters other than line breaks and tabs.")
            .Require(kind != JointEntryKind.Timeline || input.OccurredAt is not null, "occurredAt", "A timeline entry says when it happened.")
            .Require(kind != JointEntryKind.Timeline || input.OccurredAt is null || input.OccurredAt <= now.AddMinutes(5), "occurredAt", "What happened cannot have happened in the future.")
            .Require(input.OccurredAt is null || input.OccurredAt >= now.AddYears(-50), "occurredAt", "The time is more than 50 years ago.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var writer = session.Organisation!.Value;
        JointEntry? row = null;
        if (entryId is { } id)
        {
            row = await session.Db.JointEntries.FirstOrDefaultAsync(e => e.Id == id && e.CaseId == caseId, cancellationToken);
            if (row is null)
            {
                return Error.NotFound("The entry");
            }

            if (row.OwnerOrganisationId != writer.Id || row.OwnerNode is not null)
            {
                return Error.Forbidden("An entry is changed only by the organisation that wrote it.");
            }
        }

        var terms = JointRules.EntryTerms(writer, scope.Terms, scope.MemberRefs);
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        if (row is null)
        {
            row = new JointEntry { Id = Guid.CreateVersion7(), CaseId = caseId, Text = string.Empty, Modified = string.Empty, CreatedAt = now };
            session.Db.JointEntries.Add(row);
        }
        else
        {
            session.Db.ShareGrants.RemoveRange(await session.Db.ShareGrants.Where(g => g.ObjectId == row.Id).ToListAsync(cancellationToken));
        }

        row.Kind = kind;
        row.Text = input.Text!.Trim();
        row.OccurredAt = input.OccurredAt?.ToUniversalTime();
        // The person's display name travels, not the sign-in name (often an e-mail address).
        row.AuthorName = actor.UserId is { } user ? (await CaseWorkRules.NamesAsync(session, [user], cancellationToken)).GetValueOrDefault(user) ?? actor.Name : actor.Name;
        row.Modified = StixMirror.NextModified(now, row.Modified.Length == 0 ? null : row.Modified);
        row.ModifiedAt = new DateTimeOffset(Ribat.Stix.Model.StixTimestamp.Parse(row.Modified).UtcDateTime, TimeSpan.Zero);
        SharedColumns.Apply(row, terms, session.LocalNode);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms, session.LocalNode, now));
        if (terms.Recipients.Any(r => r.Node != session.LocalNode))
        {
            await StixMirror.CustomAsync(session.Db, Stix(row), terms, actor.UserId, session.LocalNode, clock, cancellationToken);
        }

        audit.Add(session.Db, actor, AuditEvents.JointEntryWritten, writer.Id, "joint-entry", row.Id.ToString(),
            new { caseId, kind = kind.Spell(), changed = entryId is not null, members = terms.Recipients.Count });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, [writer.Id], cancellationToken);
        return ReadJointInvestigations.ToDto(row, names, writer.Id, session.LocalNode);
    }

    private static Error? Refuse(Actor actor, ContentSession session, JointScope scope)
    {
        if (scope.IsLead)
        {
            return CaseWorkRules.RefuseWrite(actor, session, scope.Led!);
        }

        if (!CaseRoles.MayWrite(actor))
        {
            return Error.Forbidden("Writing for a joint investigation team needs the investigator, analyst or org-admin role.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (scope.Withdrawn)
        {
            return Error.Conflict("The lead removed your organisation from this joint investigation; what you received stays readable, nothing more is exchanged.");
        }

        return scope.Status == "closed" ? Error.Conflict("The lead closed the case; the team writes no more entries.") : null;
    }

    private static JsonObject Stix(JointEntry row)
    {
        var stix = new JsonObject
        {
            ["type"] = JointRules.EntryType,
            ["spec_version"] = "2.1",
            ["id"] = JointRules.EntryStixId(row.Id),
            ["created"] = JointRules.Time(row.CreatedAt),
            ["modified"] = row.Modified,
            ["case_ref"] = JointRules.CaseStixId(row.CaseId),
            ["kind"] = row.Kind.Spell(),
            ["text"] = row.Text,
        };
        if (row.OccurredAt is { } occurred)
        {
            stix["occurred"] = JointRules.Time(occurred);
        }

        if (row.AuthorName is { } author)
        {
            stix["author"] = author;
        }

        return stix;
    }
}
