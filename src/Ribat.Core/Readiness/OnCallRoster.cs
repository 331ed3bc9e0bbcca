using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Readiness;

public sealed record OnCallShiftInput(Guid? UserId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? TimeZone);

/// <summary>The person on duty now at an organisation, as the 24/7 directory shows them.</summary>
public sealed record OnDutyNow(string Name, DateTimeOffset Until, string TimeZone);

public sealed record OnCallShiftDto(Guid Id, Guid UserId, string? UserName, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, DateTimeOffset LocalStart, DateTimeOffset LocalEnd, bool OnDutyNow);

/// <summary>
/// An organisation's on-call roster: who is on duty when, and in which time zone. Organisation administrators and
/// liaison officers keep it; everyone in the organisation reads it.
/// </summary>
public sealed class OnCallRoster(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public static readonly TimeSpan MaxShift = TimeSpan.FromDays(31);

    public async Task<Result<IReadOnlyList<OnCallShiftDto>>> ListAsync(Actor actor, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is not { } organisation)
        {
            return Error.Forbidden("A roster belongs to an organisation.");
        }

        var now = clock.GetUtcNow();
        var start = from ?? now.AddDays(-1);
        var end = to ?? now.AddDays(30);
        if (end < start || end - start > TimeSpan.FromDays(366))
        {
            return Error.Validation("to", "The period ends after it starts and spans at most a year.");
        }

        await using var db = database.Open(TenantScope.Of(organisation));
        var shifts = await db.OnCallShifts.AsNoTracking().Where(s => s.EndsAt > start && s.StartsAt < end).OrderBy(s => s.StartsAt).Take(1000).ToListAsync(cancellationToken);
        var people = shifts.Select(s => s.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return shifts.Select(s => ToDto(s, names.GetValueOrDefault(s.UserId), now)).ToList();
    }

    public async Task<Result<OnCallShiftDto>> AddAsync(Actor actor, OnCallShiftInput input, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        var organisation = actor.OrganisationId!.Value;
        var v = new Validation()
            .Require(input.UserId is not null, "userId", "A shift names the person on duty.")
            .Require(input.StartsAt is not null, "startsAt", "A shift has a start.")
            .Require(input.EndsAt is not null, "endsAt", "A shift has an end.")
            .Require(input.StartsAt is null || input.EndsAt is null || input.EndsAt > input.StartsAt, "endsAt", "A shift ends after it starts.")
            .Require(input.StartsAt is null || input.EndsAt is null || input.EndsAt - input.StartsAt <= MaxShift, "endsAt", "A shift lasts at most 31 days.")
            .Require(TryZone(input.TimeZone, out _), "timeZone", $"'{input.TimeZone}' is not an IANA time zone (e.g. Europe/Paris, Africa/Casablanca, Asia/Amman).");
        await using var db = database.Open(TenantScope.Of(organisation));
        if (v.IsValid && !await db.Users.AnyAsync(u => u.Id == input.UserId && u.OrganisationId == organisation && !u.Disabled, cancellationToken))
        {
            v.Add("userId", $"User {input.UserId} is not an active user of your organisation.");
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        TryZone(input.TimeZone, out var zone);
        var shift = new OnCallShift
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisation,
            UserId = input.UserId!.Value,
            StartsAt = input.StartsAt!.Value.ToUniversalTime(),
            EndsAt = input.EndsAt!.Value.ToUniversalTime(),
            TimeZone = zone!.Id,
            CreatedBy = actor.UserId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.OnCallShifts.Add(shift);
        audit.Add(db, actor, AuditEvents.OnCallShiftAdded, organisation, "on-call-shift", shift.Id.ToString(), new { user = shift.UserId });
        await db.SaveChangesAsync(cancellationToken);
        var name = await db.Users.Where(u => u.Id == shift.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return ToDto(shift, name, clock.GetUtcNow());
    }

    public async Task<Result<bool>> RemoveAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var db = database.Open(TenantScope.Of(actor.OrganisationId!.Value));
        var shift = await db.OnCallShifts.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (shift is null)
        {
            return Error.NotFound("The shift");
        }

        db.OnCallShifts.Remove(shift);
        audit.Add(db, actor, AuditEvents.OnCallShiftRemoved, shift.OrganisationId, "on-call-shift", shift.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The person of <paramref name="organisation"/> on duty at <paramref name="at"/> (the latest-started shift when
    /// shifts overlap), or null. Read past the tenant filter: the caller is alerting another organisation.
    /// </summary>
    internal static Task<Guid?> OnDutyAsync(RibatDbContext db, Guid organisation, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.OnCallShifts.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.OrganisationId == organisation && s.StartsAt <= at && s.EndsAt > at)
            .Join(db.Users.IgnoreQueryFilters().Where(u => !u.Disabled), s => s.UserId, u => u.Id, (s, u) => s)
            .OrderByDescending(s => s.StartsAt).Select(s => (Guid?)s.UserId).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Who is on duty at <paramref name="at"/> in each of <paramref name="organisations"/> (the latest-started shift
    /// when shifts overlap): name, end of shift and time zone, for the node-wide 24/7 directory. Read past the
    /// tenant filter; shift and user ids are not returned.
    /// </summary>
    internal static async Task<Dictionary<Guid, OnDutyNow>> OnDutyNowAsync(RibatDbContext db, IReadOnlyCollection<Guid> organisations, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var shifts = await db.OnCallShifts.IgnoreQueryFilters().AsNoTracking()
            .Where(s => organisations.Contains(s.OrganisationId) && s.StartsAt <= at && s.EndsAt > at)
            .Join(db.Users.IgnoreQueryFilters().Where(u => !u.Disabled), s => s.UserId, u => u.Id, (s, u) => new { s.OrganisationId, s.StartsAt, s.EndsAt, s.TimeZone, u.DisplayName })
            .ToListAsync(cancellationToken);
        return shifts.GroupBy(s => s.OrganisationId).ToDictionary(g => g.Key, g =>
        {
            var latest = g.OrderByDescending(s => s.StartsAt).First();
            return new OnDutyNow(latest.DisplayName, latest.EndsAt, latest.TimeZone);
        });
    }

    private static Error? Refuse(Actor actor) =>
        actor.OrganisationId is null || !(actor.IsOrgAdmin || actor.Roles.Contains(Roles.Liaison))
            ? Error.Forbidden("The on-call roster is kept by the organisation's administrators and liaison officers.")
            : actor.RequireWrite();

    private static bool TryZone(string? id, out TimeZoneInfo? zone)
    {
        zone = null;
        return !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone);
    }

    private static OnCallShiftDto ToDto(OnCallShift s, string? name, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        return new OnCallShiftDto(s.Id, s.UserId, name, s.StartsAt, s.EndsAt, s.TimeZone,
            TimeZoneInfo.ConvertTime(s.StartsAt, zone), TimeZoneInfo.ConvertTime(s.EndsAt, zone), s.StartsAt <= now && s.EndsAt > now);
    }
}
