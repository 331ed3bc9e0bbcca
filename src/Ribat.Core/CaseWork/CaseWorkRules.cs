using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.CaseWork;

/// <summary>What tasks, notes and the timeline have in common: finding the case, who writes, and the limits of each field.</summary>
internal static class CaseWorkRules
{
    public const int MaxTitle = 300;
    public const int MaxDescription = 10_000;
    public const int MaxNote = 100_000;
    public const int MaxSource = 500;

    /// <summary>The case when the sharing policy lets the actor see it, with its team; null otherwise.</summary>
    public static async Task<Case?> FindAsync(ContentSession session, Guid caseId, CancellationToken cancellationToken)
    {
        var row = await session.Db.Cases.Include(c => c.Team).AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var grants = await session.GrantsAsync([caseId], cancellationToken);
        return session.Decide(row, grants).MaySee ? row : null;
    }

    /// <summary>The lead and the team members: the people a task may be assigned to and who write a case's work.</summary>
    public static HashSet<Guid> TeamOf(Case row) => [row.LeadInvestigatorId, .. row.Team.Select(m => m.UserId)];

    public static bool MayWrite(Actor actor, ContentSession session, Case row) =>
        row.OwnerOrganisationId == session.Organisation?.Id && actor.UserId is { } user && TeamOf(row).Contains(user) && actor.RequireWrite() is null;

    /// <summary>Only the case team of the owning organisation writes, and not on a closed case.</summary>
    public static Error? RefuseWrite(Actor actor, ContentSession session, Case row)
    {
        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a case works on it; a partner reads.");
        }

        if (actor.UserId is not { } user || !TeamOf(row).Contains(user))
        {
            return Error.Forbidden("Only the case's lead investigator and team write its tasks, notes and timeline.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        return row.Status == CaseStatus.Closed ? Error.Conflict("The case is closed; reopen it before changing its tasks, notes or timeline.") : null;
    }

    /// <summary>Multi-line text: any length up to <paramref name="max"/>, no NUL (PostgreSQL cannot store it).</summary>
    public static Validation RequireText(this Validation v, string? text, string field, int max, bool required, string what) => v
        .Require(!required || !string.IsNullOrWhiteSpace(text), field, $"{what} needs {field}.")
        .Require(text is null || text.Length <= max, field, $"{field} is at most {max:N0} characters.")
        .Require(text is null || !text.Contains('\0'), field, $"{field} must not contain NUL characters.");

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Display names of the given users that the viewer may know (the tenant filter hides other organisations' people).</summary>
    public static async Task<Dictionary<Guid, string>> NamesAsync(ContentSession session, IEnumerable<Guid> users, CancellationToken cancellationToken)
    {
        var ids = users.Distinct().ToList();
        return ids.Count == 0
            ? []
            : await session.Db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }
}
