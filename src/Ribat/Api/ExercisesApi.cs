using Ribat.Core.Common;
using Ribat.Core.Exercises;

namespace Ribat.Api;

/// <summary>
/// Exercise runs over <c>/api/v1</c>: a runner (<c>ribat exercise run</c>) starts a run, plays each inject into it
/// and ends it; a scenario may also be played inside the server. Runs belong to the organisation that started them.
/// </summary>
internal static class ExercisesApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapExercisesApi(this RouteGroupBuilder api)
    {
        var exercises = api.MapGroup("/exercises").WithTags("Exercises").WithBodyLimit(RequestBodies.Small);
        exercises.MapGet("", async (HttpContext http, ReadExercises handler, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), ct)).ToHttp(e => TypedResults.Ok(new Page<ExerciseDto>(e, null))))
            .WithSummary($"The organisation's exercise runs, newest first (at most {ReadExercises.MaxRuns}).").Produces<Page<ExerciseDto>>();
        exercises.MapPost("", async (HttpContext http, ExerciseInput input, StartExercise handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), input, ct)).ToHttp(e => TypedResults.Created($"{Prefix}/exercises/{e.Id}", e)))
            .WithSummary("Start a run for a runner that plays the injects itself: the scenario's name, its file's SHA-256 (scenarioHash) and timeScale.")
            .Produces<ExerciseDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        exercises.MapPost("/play", async (HttpContext http, PlayScenarioInput input, ExerciseConductor conductor, CancellationToken ct) =>
                (await conductor.StartAsync(http.Actor(), input.Scenario ?? string.Empty, input.TimeScale, ct)).ToHttp(e => TypedResults.Created($"{Prefix}/exercises/{e.Id}", e)))
            .WithBodyLimit(2 * RequestBodies.Report) // a 1 MiB scenario, with room for the escaping of its JSON string
            .WithSummary("Play a scenario (its YAML text) inside this server: every scenario node is this node, every inject is played as the caller.")
            .WithDescription("A scenario with problems is refused with 400 naming `scenario`, each problem with its line and column.")
            .Produces<ExerciseDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        exercises.MapGet("/{id}", async (HttpContext http, Guid id, ReadExercises handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One run.").Produces<ExerciseDto>().ProducesProblem(StatusCodes.Status404NotFound);
        exercises.MapGet("/{id}/injects", async (HttpContext http, Guid id, ReadExercises handler, CancellationToken ct) =>
                (await handler.InjectsAsync(http.Actor(), id, ct)).ToHttp(i => TypedResults.Ok(new Page<InjectDto>(i, null))))
            .WithSummary("The injects played into a run, in planned order, each with its planned and actual time and outcome.")
            .Produces<Page<InjectDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        exercises.MapPost("/{id}/injects", async (HttpContext http, Guid id, InjectInput input, PlayInject handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(i => TypedResults.Created($"{Prefix}/exercises/{id}/injects", i)))
            .WithSummary("Play one inject into a running run as the caller's organisation: incident, indicator, sighting, email or timeline, with plannedAt and line.")
            .WithDescription("An inject the node refuses (e.g. an unknown category, no incident yet for a timeline entry) is recorded as failed with its reason (outcome `failed`). " +
                "waitSeconds (0 to 60) lets the node wait for the run's incident or a task made on another node to arrive before it records such a refusal. " +
                "A malformed inject is refused with 400 naming the field and is not recorded. An ended run answers 409.")
            .Produces<InjectDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        exercises.MapPost("/{id}/end", async (HttpContext http, Guid id, ExerciseEndInput input, EndExercise handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("End a run after its last inject, or stop it (stopped: true).").Produces<ExerciseDto>().ProducesProblem(StatusCodes.Status404NotFound);
        exercises.MapPost("/{id}/stop", async (HttpContext http, Guid id, ExerciseConductor conductor, CancellationToken ct) =>
                (await conductor.StopAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Stop a run: a run playing in this server plays no further inject.").Produces<ExerciseDto>().ProducesProblem(StatusCodes.Status404NotFound);
        exercises.MapGet("/{id}/report", async (HttpContext http, Guid id, ReadAfterActionReport handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The after-action report: injects and what the organisations did, in time order, and the run's response times (overall and per organisation).")
            .Produces<AfterActionReportDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}

/// <summary>A scenario file's text and, optionally, a time scale replacing the file's.</summary>
internal sealed record PlayScenarioInput(string? Scenario, double? TimeScale = null);
