using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Exercises;

/// <summary>The organisation's exercise runs, newest first, and the injects played into one.</summary>
public sealed class ReadExercises(SharingAccess sharing)
{
    public const int MaxRuns = 200;

    public async Task<Result<IReadOnlyList<ExerciseDto>>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var runs = await session.Db.Exercises.AsNoTracking().OrderByDescending(e => e.StartedAt).ThenByDescending(e => e.Id).Take(MaxRuns).ToListAsync(cancellationToken);
        var ids = runs.Select(r => r.Id).ToList();
        var counts = await session.Db.ExerciseInjects.AsNoTracking().Where(i => ids.Contains(i.ExerciseId))
            .GroupBy(i => new { i.ExerciseId, i.Outcome }).Select(g => new { g.Key.ExerciseId, g.Key.Outcome, Count = g.Count() }).ToListAsync(cancellationToken);
        return runs.Select(r => ExerciseMapping.ToDto(r,
            counts.Where(c => c.ExerciseId == r.Id).Sum(c => c.Count),
            counts.Where(c => c.ExerciseId == r.Id && c.Outcome == InjectOutcome.Failed).Sum(c => c.Count))).ToList();
    }

    public async Task<Result<ExerciseDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Exercises.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The exercise");
        }

        var outcomes = await session.Db.ExerciseInjects.AsNoTracking().Where(i => i.ExerciseId == id).Select(i => i.Outcome).ToListAsync(cancellationToken);
        return ExerciseMapping.ToDto(row, outcomes.Count, outcomes.Count(o => o == InjectOutcome.Failed));
    }

    public async Task<Result<IReadOnlyList<InjectDto>>> InjectsAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Exercises.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return Error.NotFound("The exercise");
        }

        var rows = await session.Db.ExerciseInjects.AsNoTracking().Where(i => i.ExerciseId == id).ToListAsync(cancellationToken);
        return rows.OrderBy(i => i.PlannedAt).ThenBy(i => i.Line).Select(ExerciseMapping.ToDto).ToList();
    }
}
