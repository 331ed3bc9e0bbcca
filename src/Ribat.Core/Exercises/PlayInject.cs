using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Incidents;
using Ribat.Core.Notifications;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Exercises;

/// <summary>
/// Plays one inject of a running exercise on this node, as the actor's organisation, through the same use cases
/// people use: an incident is opened (flagged with the run), a timeline entry is written on the run's incident, an
/// indicator is reported to the organisation and its value linked to the run's incident (a value link, which crosses
/// to the participants' nodes but never enters the indicator store), a sighting is reported to the organisation and
/// written on the run's incident, an e-mail reaches the organisation's 24/7 contact as a notification that must be
/// acknowledged, a task is assigned on the run's incident to a participant or its assignee reports progress on it, a
/// situation report is drafted from the incident and published, the lead moves the incident. The inject is recorded
/// with its planned and actual time; when the use case refuses it, it is recorded as failed with the reason.
/// </summary>
public sealed class PlayInject(
    SharingAccess sharing, AuditTrail audit, OpenIncident openIncident, RecordTimelineEntry recordEntry, LinkToIncident link, IncidentWorkInjects work,
    Notifier notifier, TimeProvider clock)
{
    public const string InjectSource = "exercise inject";

    public async Task<Result<InjectDto>> HandleAsync(Actor actor, Guid exerciseId, InjectInput input, CancellationToken cancellationToken = default)
    {
        if (ExerciseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (Validate(input) is { IsValid: false } v)
        {
            return v.ToError();
        }

        await using (var check = await sharing.OpenAsync(actor, cancellationToken))
        {
            var exercise = await check.Db.Exercises.AsNoTracking().FirstOrDefaultAsync(e => e.Id == exerciseId, cancellationToken);
            if (exercise is null)
            {
                return Error.NotFound("The exercise");
            }

            if (exercise.Status != ExerciseStatus.Running)
            {
                return Error.Conflict("The exercise has ended; injects are played only into a running exercise.");
            }
        }

        // On a run across nodes, what an inject works on (the run's incident, a task) may be made on another node a
        // moment earlier: it is looked for again until it has arrived or the caller's wait is over. Only an inject that
        // would fail waits; an indicator or a sighting plays without the incident (it is then not linked to one).
        var played = await PlayOnceAsync(actor, exerciseId, input, cancellationToken);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (played.Awaiting && waited.Elapsed < TimeSpan.FromSeconds(input.WaitSeconds ?? 0))
        {
            await Task.Delay(LookAgainAfter, cancellationToken);
            played = await PlayOnceAsync(actor, exerciseId, input, cancellationToken);
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var organisation = session.Organisation!.Value.Id;
        var row = new ExerciseInject
        {
            Id = Guid.CreateVersion7(),
            ExerciseId = exerciseId,
            OrganisationId = organisation,
            Line = input.Line!.Value,
            Type = input.Type!,
            ScenarioNode = input.Node!.Trim(),
            ScenarioOrganisation = input.Organisation!.Trim(),
            Summary = Summarise(input, played.Note),
            PlannedAt = input.PlannedAt!.Value.ToUniversalTime(),
            PlayedAt = clock.GetUtcNow(),
            Outcome = played.Failure is null ? InjectOutcome.Played : InjectOutcome.Failed,
            Reason = played.Failure,
            IncidentId = played.IncidentId,
            TimelineEntryId = played.EntryId,
        };
        if (row.Outcome == InjectOutcome.Played && input.Type is "email" or "indicator" or "sighting")
        {
            var notification = await notifier.AddAsync(session.Db, Notice(input, exerciseId, row.Id, organisation), cancellationToken);
            row.NotificationId = notification.Id;
        }

        session.Db.ExerciseInjects.Add(row);
        audit.Add(session.Db, actor, row.Outcome == InjectOutcome.Played ? AuditEvents.ExerciseInjectPlayed : AuditEvents.ExerciseInjectFailed,
            organisation, "exercise", exerciseId.ToString(), new { inject = row.Id, type = row.Type, line = row.Line });
        await session.Db.SaveChangesAsync(cancellationToken);
        return ExerciseMapping.ToDto(row);
    }

    /// <summary>The longest wait a caller may ask for (<see cref="InjectInput.WaitSeconds"/>).</summary>
    public const int MaxWaitSeconds = 60;

    private static readonly TimeSpan LookAgainAfter = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// What playing an inject did. <paramref name="Awaiting"/>: what it works on is not on this node (yet); nothing was
    /// changed, so it may be played again.
    /// </summary>
    internal sealed record Played(Guid? IncidentId, Guid? EntryId, string? Failure, string? Note = null, bool Awaiting = false);

    private async Task<Played> PlayOnceAsync(Actor actor, Guid exerciseId, InjectInput input, CancellationToken cancellationToken) => input.Type switch
    {
        "incident" => await OpenIncidentAsync(actor, exerciseId, input, cancellationToken),
        "timeline" => await WriteOnIncidentAsync(actor, exerciseId, input.Text!.Trim(), cancellationToken),
        "indicator" => await LinkOnIncidentAsync(actor, exerciseId, input, cancellationToken),
        "sighting" => await WriteOnIncidentAsync(actor, exerciseId, $"Sighting reported: {input.IndicatorType} {input.Value}", cancellationToken, optional: true),
        "task" or "task-status" or "sitrep" or "status" => await OnIncidentAsync(actor, exerciseId, cancellationToken) is { } incident
            ? await work.PlayAsync(actor, incident, input, cancellationToken)
            : new Played(null, null, $"There is no incident of this run on this node yet to play the {input.Type} on.", Awaiting: true),
        _ => new Played(null, null, null),
    };

    private async Task<Played> OpenIncidentAsync(Actor actor, Guid exerciseId, InjectInput input, CancellationToken cancellationToken)
    {
        var names = (input.Participants ?? []).Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        List<(Guid Id, string Name)> known;
        await using (var session = await sharing.OpenAsync(actor, cancellationToken))
        {
            // Participants are named as the scenario names them; this node's directory says who they are here, and
            // the directory of organisations hosted on enabled partner nodes who they are there (the incident then
            // crosses to their node).
            var own = session.Organisation!.Value.Id;
            known = (await session.Db.Organisations.IgnoreQueryFilters().AsNoTracking()
                    .Where(o => names.Contains(o.Name) && o.Id != own).Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken))
                .Select(o => (o.Id, o.Name)).ToList();
            var elsewhere = names.Where(n => known.All(k => k.Name != n)).ToList();
            if (elsewhere.Count > 0)
            {
                var partners = await (from o in session.Db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking()
                                      join p in session.Db.Partners.IgnoreQueryFilters().AsNoTracking() on o.PartnerId equals p.Id
                                      where p.Enabled && p.NodeId == o.NodeId && elsewhere.Contains(o.Name)
                                      orderby o.Name, o.Id
                                      select new { o.Id, o.Name }).ToListAsync(cancellationToken);
                known.AddRange(partners.GroupBy(o => o.Name).Select(g => (g.First().Id, g.Key)));
            }
        }

        var missing = names.Where(n => known.All(k => k.Name != n)).ToList();
        var input2 = new IncidentInput(input.Title, $"Exercise inject (scenario line {input.Line}).", input.Category, input.Severity,
            Participants: known.Select(k => k.Id).ToList());
        var opened = await openIncident.HandleAsync(actor, input2, exerciseId, cancellationToken);
        return opened.Match(
            i => new Played(i.Id, null, null, missing.Count == 0 ? null : $"not on this node or its partners: {string.Join(", ", missing)}"),
            e => new Played(null, null, Reason(e)));
    }

    /// <summary>
    /// The run's newest incident the actor may see on this node: where injects that work on an incident land. When
    /// several organisations of one node play a scenario, each records its own run; an incident opened in another
    /// organisation's run of the same scenario, still running here, is then the one they work on together.
    /// </summary>
    private async Task<Guid?> OnIncidentAsync(Actor actor, Guid exerciseId, CancellationToken cancellationToken)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var own = await session.Db.Incidents.AsNoTracking().Where(i => i.ExerciseId == exerciseId)
            .OrderByDescending(i => i.ReportedAt).ThenByDescending(i => i.Id).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken);
        if (own is not null)
        {
            return own;
        }

        // Run ids only: which incidents they hold is asked below, through the actor's own view of incidents.
        var scenario = await session.Db.Exercises.AsNoTracking().Where(e => e.Id == exerciseId).Select(e => e.ScenarioHash).FirstAsync(cancellationToken);
        var alongside = await session.Db.Exercises.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.ScenarioHash == scenario && e.Status == ExerciseStatus.Running && e.Id != exerciseId).Select(e => (Guid?)e.Id).ToListAsync(cancellationToken);
        return alongside.Count == 0 ? null : await session.Db.Incidents.AsNoTracking().Where(i => alongside.Contains(i.ExerciseId))
            .OrderByDescending(i => i.ReportedAt).ThenByDescending(i => i.Id).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<Played> LinkOnIncidentAsync(Actor actor, Guid exerciseId, InjectInput input, CancellationToken cancellationToken)
    {
        if (await OnIncidentAsync(actor, exerciseId, cancellationToken) is not { } id)
        {
            return new Played(null, null, null, "no incident of this run on this node yet");
        }

        var linked = await link.HandleAsync(actor, id, new IncidentLinkInput("value", null, input.IndicatorType, input.Value), cancellationToken);
        return linked.Match(_ => new Played(id, null, null), e => new Played(id, null, Reason(e)));
    }

    private async Task<Played> WriteOnIncidentAsync(Actor actor, Guid exerciseId, string text, CancellationToken cancellationToken, bool optional = false)
    {
        if (await OnIncidentAsync(actor, exerciseId, cancellationToken) is not { } id)
        {
            return optional
                ? new Played(null, null, null, "no incident of this run on this node yet")
                : new Played(null, null, "There is no incident of this run on this node yet to write the entry on.", Awaiting: true);
        }

        var written = await recordEntry.HandleAsync(actor, id, new TimelineEntryInput(text, null, InjectSource), cancellationToken);
        return written.Match(e => new Played(id, e.Id, null), e => new Played(id, null, Reason(e)));
    }

    private static NotificationRequest Notice(InjectInput input, Guid exerciseId, Guid injectId, Guid organisation)
    {
        var (kind, subject, body) = input.Type switch
        {
            "email" => ("exercise.email", input.Subject!.Trim(), input.Body),
            "indicator" => ("exercise.indicator", $"Indicator observed: {input.IndicatorType} {input.Value}", null),
            _ => ("exercise.sighting", $"Sighting reported: {input.IndicatorType} {input.Value}", null),
        };

        // Exercise traffic says so in its first words, as exercise messages do everywhere, so nobody acts on it as real.
        return new NotificationRequest(organisation, kind, $"EXERCISE — {subject}", body, $"/exercises/{exerciseId}",
            RequiresAcknowledgement: input.Type == "email", SubjectType: "exercise-inject", SubjectId: injectId.ToString());
    }

    private static string Summarise(InjectInput input, string? note)
    {
        var text = input.Type switch
        {
            "incident" => $"Incident reported: {input.Title}",
            "indicator" => $"Indicator on {input.Node}: {input.IndicatorType} {input.Value}",
            "sighting" => $"Sighting on {input.Node}: {input.IndicatorType} {input.Value}",
            "email" => $"E-mail to the 24/7 contact: {input.Subject}",
            "task" => $"Task for {input.Assignee}: {input.Title}",
            "task-status" => $"Task {input.Status}: {input.Title}",
            "status" => $"Incident moved to {input.Status}",
            "sitrep" => $"Situation report published{(string.IsNullOrWhiteSpace(input.Title) ? string.Empty : ": " + input.Title)}",
            _ => $"Timeline entry: {input.Text}",
        };
        text = note is null ? text : $"{text} ({note})";
        return text.Length <= 2000 ? text : text[..1999] + "…";
    }

    internal static string Reason(Error error) =>
        error.Fields is { Count: > 0 } fields
            ? string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}"))
            : error.Message;

    private static Validation Validate(InjectInput input)
    {
        var v = new Validation()
            .Require(input.Line is > 0, "line", "The inject's line in the scenario file is a positive number.")
            .Require(input.Type is not null && ScenarioParser.InjectTypes.Contains(input.Type), "type", $"The type is one of: {string.Join(", ", ScenarioParser.InjectTypes)}.")
            .Require(input.PlannedAt is not null, "plannedAt", "The time the inject was planned for is needed.")
            .Require(input.WaitSeconds is null or (>= 0 and <= MaxWaitSeconds), "waitSeconds", $"The wait for what the inject works on to reach this node is 0 to {MaxWaitSeconds} seconds.");
        foreach (var (field, value) in new[] { ("node", input.Node), ("organisation", input.Organisation) })
        {
            v.Require(!string.IsNullOrWhiteSpace(value) && value.Length <= 100, field, $"The scenario's {field} id is needed, at most 100 characters.").RequirePrintable(value, field);
        }

        switch (input.Type)
        {
            case "incident":
                v.Require(!string.IsNullOrWhiteSpace(input.Title), "title", "An incident inject needs a title.")
                    .Require(input.Participants is null || input.Participants.Count <= 100, "participants", "At most 100 participants.");
                break;
            case "indicator" or "sighting":
                v.Require(!string.IsNullOrWhiteSpace(input.IndicatorType) && input.IndicatorType.Length <= 24, "indicatorType", "The indicator type is needed.")
                    .Require(!string.IsNullOrWhiteSpace(input.Value) && input.Value.Length <= 2048, "value", "The value is needed, at most 2048 characters.")
                    .RequirePrintable(input.Value, "value");
                break;
            case "email":
                v.Require(!string.IsNullOrWhiteSpace(input.Subject) && input.Subject.Length <= 300, "subject", "An e-mail inject needs a subject of at most 300 characters.")
                    .RequirePrintable(input.Subject, "subject")
                    .Require(input.Body is null || input.Body.Length <= 20_000, "body", "The body is at most 20,000 characters.");
                break;
            case "timeline":
                v.Require(!string.IsNullOrWhiteSpace(input.Text) && input.Text.Length <= 10_000, "text", "A timeline inject needs its text, at most 10,000 characters.");
                break;
            case "task":
                v.Require(!string.IsNullOrWhiteSpace(input.Title) && input.Title.Length <= 300, "title", "A task inject needs a title of at most 300 characters.")
                    .Require(!string.IsNullOrWhiteSpace(input.Assignee) && input.Assignee.Length <= 200, "assignee", "A task inject names the organisation it is for, at most 200 characters.")
                    .RequirePrintable(input.Assignee, "assignee")
                    .Require(input.Text is null || input.Text.Length <= 10_000, "text", "A task's description is at most 10,000 characters.");
                break;
            case "task-status":
                v.Require(!string.IsNullOrWhiteSpace(input.Title) && input.Title.Length <= 300, "title", "A task-status inject names the task by its title, at most 300 characters.")
                    .Require(input.Status is not null && IncidentTaskStatuses.TryParse(input.Status, out _), "status", $"The status is one of: {IncidentTaskStatuses.Choices}.");
                break;
            case "status":
                v.Require(IncidentStatusMachine.TryParse(input.Status, out var to) && to != IncidentStatus.Merged, "status", "The status is one the incident moves to (merging is not played).")
                    .Require(input.Text is null || input.Text.Length <= 2000, "text", "The reason is at most 2,000 characters.");
                break;
            case "sitrep":
                v.Require(input.Title is null || input.Title.Length <= 300, "title", "A situation report's title is at most 300 characters.")
                    .Require(input.Text is null || input.Text.Length <= 20_000, "text", "A situation report inject's text is at most 20,000 characters.");
                break;
        }

        return v;
    }
}
