using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Users;

public sealed record UpdatePreferencesRequest(string? Language = null, string? Calendar = null);

/// <summary>Each user picks the interface language (en, ar, fr) and calendar (gregorian, hijri) for themselves.</summary>
public sealed class UpdatePreferences(RibatDatabase database, AuditTrail audit)
{
    public async Task<Result<UserDto>> HandleAsync(Actor actor, UpdatePreferencesRequest request, CancellationToken cancellationToken = default)
    {
        if (actor.UserId is not { } userId)
        {
            return Error.Forbidden("Only a signed-in user has preferences.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        var v = new Validation();
        v.Require(request.Language is null || Languages.All.Contains(request.Language), "language", $"language must be one of: {string.Join(", ", Languages.All)}.");
        CalendarPreference calendar = default;
        v.Require(request.Calendar is null || (Enum.GetNames<CalendarPreference>().Any(n => string.Equals(n, request.Calendar, StringComparison.OrdinalIgnoreCase)) && Enum.TryParse(request.Calendar, ignoreCase: true, out calendar)), "calendar", "calendar must be gregorian or hijri.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var db = database.Open(actor);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        user.Language = request.Language ?? user.Language;
        user.Calendar = request.Calendar is null ? user.Calendar : calendar;
        audit.Add(db, actor, AuditEvents.UserPreferencesChanged, user.OrganisationId, "user", userId.ToString(), new { user.Language, calendar = user.Calendar.ToString().ToLowerInvariant() });
        await db.SaveChangesAsync(cancellationToken);
        var roles = await ListUsers.RolesOf(db, [userId], cancellationToken);
        return UserRules.ToDto(user, roles.GetValueOrDefault(userId, []));
    }
}
