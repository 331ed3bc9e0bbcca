namespace Ribat.Forensics.Detection;

/// <summary>Collects findings while a validator runs. Hostile input can produce endless findings, so both lists are
/// capped, and the cap itself is reported.</summary>
internal sealed class RuleReport
{
    internal const int MaxProblems = 100;
    private readonly List<RuleProblem> _errors = [];
    private readonly List<RuleProblem> _warnings = [];

    public string? Title { get; set; }

    public string? Id { get; set; }

    public bool HasErrors => _errors.Count > 0;

    public int ErrorCount => _errors.Count;

    public RuleProblem? FirstError => _errors.Count > 0 ? _errors[0] : null;

    public void Error(int line, int column, string message) => Add(_errors, line, column, message);

    public void Warning(int line, int column, string message) => Add(_warnings, line, column, message);

    public RuleValidation ToValidation(DetectionRuleKind kind) => new(kind, Title, Id, _errors, _warnings);

    private static void Add(List<RuleProblem> problems, int line, int column, string message)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(new RuleProblem(line, column, message));
        }
        else if (problems.Count == MaxProblems)
        {
            problems.Add(new RuleProblem(0, 0, $"more than {MaxProblems} findings; the rest are not listed."));
        }
    }
}
