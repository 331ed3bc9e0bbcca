using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>One open clock on the board: whose move it is, by when, and how it stands.</summary>
public sealed record BoardEntry(Guid RequestId, string Subject, string Type, string Status, string Side, string Counterpart, string Clock, DateTimeOffset DueAt, string State, bool OursToAct);

public sealed record ReminderDto(Guid Id, Guid RequestId, string Subject, string Clock, string Level, DateTimeOffset DueAt, DateTimeOffset CreatedAt, Guid? UserId, string? ContactName);

/// <summary>The "due soon / overdue" board: every running clock of the requests the organisation sent or received, and its reminders.</summary>
public sealed class ReadClockBoard(SharingAccess sharing, TimeProvider clock)
{
    public const int MaxEntries = 1000;

    /// <param name="all">False: only clocks due soon or overdue; true: every running clock.</param>
    public async Task<Result<IReadOnlyList<BoardEntry>>> HandleAsync(Actor actor, bool all, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } viewer)
        {
            return Array.Empty<BoardEntry>();
        }

        var now = clock.GetUtcNow();
        var open = await session.Db.CooperationRequests.AsNoTracking()
            .Where(r => r.Status != RequestStatus.Draft && r.Status != RequestStatus.Closed && r.Status != RequestStatus.Withdrawn)
            .OrderBy(r => r.Id).Take(MaxEntries).ToListAsync(cancellationToken);
        var organisations = open.Select(r => r.OwnerOrganisationId).Concat(open.Select(r => r.AddressedOrganisationId ?? Guid.Empty)).Distinct().ToList();
        var names = await session.Db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => organisations.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var entries = new List<BoardEntry>();
        foreach (var request in open)
        {
            var parties = CooperationRules.PartiesOf(request, viewer.Id);
            var requester = parties.Contains(RequestParty.Requester);
            var counterpart = requester ? request.AddresseeName ?? string.Empty : names.GetValueOrDefault(request.OwnerOrganisationId, string.Empty);
            foreach (var c in CooperationClocks.Of(request, now).Where(c => c.IsOpen && (all || c.State != ClockState.Running)))
            {
                entries.Add(new BoardEntry(request.Id, request.Subject, request.Type.Spell(), request.Status.Spell(), requester ? "requester" : "addressee", counterpart,
                    c.Kind.Spell(), c.DueAt, c.State.Spell(), parties.Contains(c.Responsible)));
            }
        }

        return entries.OrderBy(e => e.DueAt).ToList();
    }

    /// <summary>The organisation's reminders and escalations, newest first.</summary>
    public async Task<Result<Page<ReminderDto>>> RemindersAsync(Actor actor, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = session.Db.CooperationReminders.AsNoTracking();
        if (before is { } last)
        {
            rows = rows.Where(r => r.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        var requestIds = found.Select(r => r.RequestId).Distinct().ToList();
        var subjects = await session.Db.CooperationRequests.AsNoTracking().Where(r => requestIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Subject, cancellationToken);
        var contactIds = found.Where(r => r.ContactPointId is not null).Select(r => r.ContactPointId!.Value).Distinct().ToList();
        var contacts = await session.Db.ContactPoints.AsNoTracking().Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var items = found.Take(take).Select(r => new ReminderDto(
            r.Id, r.RequestId, subjects.GetValueOrDefault(r.RequestId, string.Empty), r.Clock.Spell(), r.Level == ReminderLevel.Escalation ? "escalation" : "reminder",
            r.DueAt, r.CreatedAt, r.UserId, r.ContactPointId is { } id ? contacts.GetValueOrDefault(id) : null)).ToList();
        return new Page<ReminderDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }
}
