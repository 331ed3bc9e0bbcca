namespace Ribat.Core.Readiness;

/// <summary>
/// One person of an organisation on duty from <see cref="StartsAt"/> to <see cref="EndsAt"/> (instants, UTC). The
/// time zone is where they are, so the roster can show the shift in their local time.
/// </summary>
public sealed class OnCallShift
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>An IANA time zone id, e.g. <c>Africa/Casablanca</c>.</summary>
    public required string TimeZone { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
