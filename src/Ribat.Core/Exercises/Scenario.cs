namespace Ribat.Core.Exercises;

/// <summary>An exercise scenario: the nodes and organisations taking part, and what happens to them when.</summary>
public sealed record Scenario(string Name, string? Description, double TimeScale, IReadOnlyList<ScenarioNode> Nodes, IReadOnlyList<ScenarioOrganisation> Organisations, IReadOnlyList<Inject> Injects);

public sealed record ScenarioNode(string Id, string Name, string Country);

public sealed record ScenarioOrganisation(string Id, string Node, string Name, string Country, string Kind);

/// <summary>
/// One event of the scenario, <see cref="At"/> after its start, on one node for one organisation. The fields
/// that matter depend on <see cref="Type"/>: an incident (title, category, severity, participants), an indicator
/// or a sighting (indicator type and value), an e-mail to the 24/7 contact (subject, body), a timeline entry on the
/// scenario's incident (text), a task on it for a participant (title, assignee, due offset, text as its description),
/// the assignee's progress on a task (title, status), or a situation report drafted from the incident, with an
/// optional title and assessment (text) before the drafted body, and published.
/// </summary>
public sealed record Inject(
    int Line,
    TimeSpan At,
    string Type,
    string Node,
    string Organisation,
    string? Title = null,
    string? Category = null,
    string? Severity = null,
    IReadOnlyList<string>? Participants = null,
    string? IndicatorType = null,
    string? Value = null,
    string? Subject = null,
    string? Body = null,
    string? Text = null,
    string? Assignee = null,
    TimeSpan? Due = null,
    string? Status = null);

/// <summary>A problem of a scenario file, at a line and column (1-based) of the text.</summary>
public sealed record ScenarioProblem(int Line, int Column, string Reason)
{
    public override string ToString() => $"line {Line}, column {Column}: {Reason}";
}

public sealed record ScenarioReading(Scenario? Scenario, IReadOnlyList<ScenarioProblem> Problems)
{
    public bool IsValid => Scenario is not null && Problems.Count == 0;
}
