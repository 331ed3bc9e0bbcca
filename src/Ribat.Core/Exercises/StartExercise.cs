using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Incidents;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Exercises;

/// <summary>Starts a run of a scenario on this node for the actor's organisation; its injects are then played into it.</summary>
public sealed class StartExercise(SharingAccess sharing, AuditTrail audit, ReadExercises read, TimeProvider clock)
{
    public async Task<Result<ExerciseDto>> HandleAsync(Actor actor, ExerciseInput input, CancellationToken cancellationToken = default)
    {
        if (ExerciseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Name), "name", "An exercise needs the scenario's name.")
            .Require(input.Name is null || input.Name.Trim().Length <= 300, "name", "The name is at most 300 characters.")
            .RequirePrintable(input.Name, "name")
            .Require(input.Id != Guid.Empty, "id", "A run's id is a UUID other than the empty one.")
            .Require(input.ScenarioHash is { Length: 64 } h && h.All(char.IsAsciiHexDigit), "scenarioHash", "The scenario hash is the SHA-256 of the scenario file, 64 hexadecimal digits.")
            .Require(input.TimeScale is null || (input.TimeScale >= ScenarioParser.MinTimeScale && input.TimeScale <= ScenarioParser.MaxTimeScale), "timeScale",
                string.Create(CultureInfo.InvariantCulture, $"The time scale is between {ScenarioParser.MinTimeScale} and {ScenarioParser.MaxTimeScale}."));
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("An exercise is run by an organisation; this actor belongs to none.");
        }

        if (input.Id is { } shared && await session.Db.Exercises.IgnoreQueryFilters().AnyAsync(e => e.Id == shared, cancellationToken))
        {
            return Error.Conflict($"A run with the id {shared} is already recorded on this node; each organisation of a node plays its own run.");
        }

        var row = new Exercise
        {
            Id = input.Id ?? Guid.CreateVersion7(),
            OwnerOrganisationId = owner.Id,
            Name = input.Name!.Trim(),
            ScenarioHash = input.ScenarioHash!.ToLowerInvariant(),
            TimeScale = input.TimeScale ?? 1,
            Status = ExerciseStatus.Running,
            StartedAt = clock.GetUtcNow(),
            StartedBy = actor.UserId,
        };
        session.Db.Exercises.Add(row);
        audit.Add(session.Db, actor, AuditEvents.ExerciseStarted, owner.Id, "exercise", row.Id.ToString(), new { hash = row.ScenarioHash, timeScale = row.TimeScale });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}

/// <summary>Ends a run, after its last inject or cut short; a run that already ended stays as it is.</summary>
public sealed class EndExercise(SharingAccess sharing, AuditTrail audit, ReadExercises read, TimeProvider clock)
{
    public async Task<Result<ExerciseDto>> HandleAsync(Actor actor, Guid id, ExerciseEndInput input, CancellationToken cancellationToken = default)
    {
        if (ExerciseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Exercises.FindAsync([id], cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The exercise");
        }

        if (row.Status == ExerciseStatus.Running)
        {
            row.Status = input.Stopped == true ? ExerciseStatus.Stopped : ExerciseStatus.Ended;
            row.EndedAt = clock.GetUtcNow();
            audit.Add(session.Db, actor, AuditEvents.ExerciseEnded, row.OwnerOrganisationId, "exercise", row.Id.ToString(), new { status = row.Status.ToString().ToLowerInvariant() });
            await session.Db.SaveChangesAsync(cancellationToken);
        }

        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}

internal static class ExerciseRules
{
    /// <summary>Running an exercise writes incidents, so it needs the roles that open incidents.</summary>
    public static Error? RefuseWrite(Actor actor) =>
        !IncidentRoles.MayWrite(actor)
            ? Error.Forbidden("Running exercises needs the analyst, investigator, liaison or org-admin role.")
            : actor.RequireWrite();
}
