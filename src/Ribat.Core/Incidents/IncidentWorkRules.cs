using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Incidents;

/// <summary>Checks shared by the timeline, task and sitrep use cases.</summary>
internal static class IncidentWorkRules
{
    public static Validation Validate(TimelineEntryInput input, DateTimeOffset now) => new Validation()
        .Require(!string.IsNullOrWhiteSpace(input.Text), "text", "A timeline entry needs a text.")
        .Require(input.Text is null || input.Text.Length <= 10_000, "text", "A timeline entry is at most 10,000 characters.")
        .Require(input.Text is null || !input.Text.Contains('\0'), "text", "text must not contain NUL characters.")
        .Require(input.Source is null || input.Source.Length <= 500, "source", "The source is at most 500 characters.")
        .RequirePrintable(input.Source, "source")
        .Require(input.OccurredAt is null || input.OccurredAt <= now.AddMinutes(5), "occurredAt", "What happened cannot have happened in the future.")
        .Require(input.OccurredAt is null || input.OccurredAt >= now.AddYears(-50), "occurredAt", "The time it happened is more than 50 years ago.");

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Checks a task's fields; the assignee must be the lead or a participant, and a person one of its enabled users.</summary>
    public static async Task<Validation> ValidateTaskAsync(RibatDbContext db, Incident incident, IncidentTaskInput input, bool creating, CancellationToken cancellationToken)
    {
        var v = new Validation()
            .Require(!creating || !string.IsNullOrWhiteSpace(input.Title), "title", "A task needs a title.")
            .Require(input.Title is null || !string.IsNullOrWhiteSpace(input.Title), "title", "A task needs a title.")
            .Require(input.Title is null || input.Title.Trim().Length <= 300, "title", "The title is at most 300 characters.")
            .RequirePrintable(input.Title, "title")
            .Require(input.Description is null || input.Description.Length <= 10_000, "description", "The description is at most 10,000 characters.")
            .Require(input.Description is null || !input.Description.Contains('\0'), "description", "description must not contain NUL characters.")
            .Require(!creating || input.AssigneeOrganisationId is not null, "assigneeOrganisationId", "A task is assigned to an organisation (the lead or a participant).")
            .Require(input.Status is null || IncidentTaskStatuses.TryParse(input.Status, out _), "status", $"'{input.Status}' is not a task status ({IncidentTaskStatuses.Choices}).");
        if (input.AssigneeOrganisationId is { } organisation
            && organisation != incident.OwnerOrganisationId && incident.Participants.All(p => p.OrganisationId != organisation))
        {
            v.Add("assigneeOrganisationId", $"Organisation {organisation} does not take part in this incident; add it as a participant first.");
        }

        if (input.AssigneeUserId is { } user && v.IsValid)
        {
            var expected = input.AssigneeOrganisationId ?? Guid.Empty;

            // A person is named only together with their organisation, and must be one of its enabled users.
            var exists = await db.Users.IgnoreQueryFilters().AsNoTracking().AnyAsync(u => u.Id == user && u.OrganisationId == expected && !u.Disabled, cancellationToken);
            v.Require(exists, "assigneeUserId", $"User {user} is not an active user of the assignee organisation.");
        }

        return v;
    }
}
