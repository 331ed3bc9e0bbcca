using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ribat.Core.Exercises;

namespace Ribat.Cli;

/// <summary>
/// Plays injects against real nodes through their API (<c>/api/v1/exercises</c>), with the API token of the
/// inject's organisation, or else of its node. A run is started on a node (per token) at its first inject and
/// ended at the end; a node that is down fails its injects, with the reason, and is tried again at the next one. The
/// first run on every node has the same id, so an incident shared between nodes belongs to one run everywhere.
/// When the scenario's nodes are more than one server, each inject asks its node to wait for what it works on (the
/// run's incident, a task) to arrive from the others before it is refused.
/// </summary>
internal sealed class ApiInjectTarget(HttpClient http, IReadOnlyDictionary<string, Uri> nodes, IReadOnlyDictionary<string, string> tokens, ExerciseInput run)
    : IInjectTarget
{
    /// <summary>How long a node waits for the run's incident or a task made on another node to arrive (partner sync brings it).</summary>
    internal const int ReplicationWaitSeconds = 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<(Uri Node, string Token), Guid> _runs = [];

    /// <summary>The wait each inject asks for: none on one server, and never more than half of what the runner waits for an answer.</summary>
    private readonly int? _wait = !nodes.Values.Distinct().Skip(1).Any() ? null
        : http.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? ReplicationWaitSeconds
        : (int)Math.Min(ReplicationWaitSeconds, http.Timeout.TotalSeconds / 2);

    private Guid? _firstRun;

    /// <summary>The runs started, by node URL, for the report.</summary>
    public IReadOnlyList<(Uri Node, Guid Run)> Runs => _runs.Select(r => (r.Key.Node, r.Value)).ToList();

    public async Task<TargetAnswer> PlayAsync(Scenario scenario, Inject inject, DateTimeOffset plannedAt, CancellationToken cancellationToken)
    {
        if (!nodes.TryGetValue(inject.Node, out var node))
        {
            return new TargetAnswer(false, $"no --node {inject.Node}=URL was given");
        }

        if (!tokens.TryGetValue(inject.Organisation, out var token) && !tokens.TryGetValue(inject.Node, out token))
        {
            return new TargetAnswer(false, $"no --token {inject.Organisation}=TOKEN or --token {inject.Node}=TOKEN was given");
        }

        if (!_runs.TryGetValue((node, token), out var runId))
        {
            // The first run on each node takes the id of the first run anywhere, so what nodes share stays in one run.
            var shared = _runs.Keys.All(k => k.Node != node) ? _firstRun : null;
            using var start = await SendAsync(HttpMethod.Post, new Uri(node, "api/v1/exercises"), token, run with { Id = shared }, cancellationToken);
            if (!start.IsSuccessStatusCode)
            {
                return new TargetAnswer(false, $"the node refused to start the run: {await ProblemAsync(start, cancellationToken)}");
            }

            runId = (await start.Content.ReadFromJsonAsync<ExerciseDto>(Json, cancellationToken))!.Id;
            _runs[(node, token)] = runId;
            _firstRun ??= runId;
        }

        // Across nodes, what an inject works on may have been made on another node a moment before: the node waits for it.
        var input = ScenarioRunner.ToInput(scenario, inject, plannedAt, run.TimeScale ?? scenario.TimeScale) with { WaitSeconds = _wait };
        using var played = await SendAsync(HttpMethod.Post, new Uri(node, $"api/v1/exercises/{runId}/injects"), token, input, cancellationToken);
        if (!played.IsSuccessStatusCode)
        {
            return new TargetAnswer(false, await ProblemAsync(played, cancellationToken));
        }

        var answer = (await played.Content.ReadFromJsonAsync<InjectDto>(Json, cancellationToken))!;
        return new TargetAnswer(answer.Outcome == "played", answer.Reason, answer.Id, answer.IncidentId);
    }

    /// <summary>Ends every run started; a node that cannot be reached is named in the answer.</summary>
    public async Task<IReadOnlyList<string>> EndAsync(bool stopped, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var ((node, token), runId) in _runs)
        {
            try
            {
                using var ended = await SendAsync(HttpMethod.Post, new Uri(node, $"api/v1/exercises/{runId}/end"), token, new ExerciseEndInput(stopped), cancellationToken);
                if (!ended.IsSuccessStatusCode)
                {
                    problems.Add($"{node}: {await ProblemAsync(ended, cancellationToken)}");
                }
            }
            catch (HttpRequestException ex)
            {
                problems.Add($"{node}: {ex.Message}");
            }
        }

        return problems;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, string token, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>One line from a problem answer: the status, and the detail or the fields it names.</summary>
    internal static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"HTTP {(int)response.StatusCode}";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = problem.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return $"{status}: " + string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(m => m.ToString()))}"));
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var detail) ? $"{status}: {detail}"
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("title", out var title) ? $"{status}: {title}" : status;
        }
        catch (JsonException)
        {
            return status;
        }
    }
}
