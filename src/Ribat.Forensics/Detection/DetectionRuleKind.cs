namespace Ribat.Forensics.Detection;

/// <summary>The detection-content languages Ribat stores as indicators. The numeric values are not stable.</summary>
public enum DetectionRuleKind
{
    Sigma,
    Yara,
    Suricata,
    Snort,
}

/// <summary>One finding, 1-based <see cref="Line"/> and <see cref="Column"/> in the submitted text (0 when the finding
/// concerns the text as a whole, such as its size).</summary>
public readonly record struct RuleProblem(int Line, int Column, string Message)
{
    public override string ToString() => Line == 0 ? Message : $"{Line}:{Column}: {Message}";
}

/// <summary>
/// The outcome of validating one submitted text. <see cref="Title"/> is the Sigma title, the first YARA rule's name
/// or the Suricata/Snort <c>msg</c>; <see cref="Id"/> is the Sigma <c>id</c>, the first YARA rule's name or the
/// <c>sid</c>. Errors make the text unacceptable; warnings are shown but do not block it.
/// </summary>
public sealed record RuleValidation(
    DetectionRuleKind Kind,
    string? Title,
    string? Id,
    IReadOnlyList<RuleProblem> Errors,
    IReadOnlyList<RuleProblem> Warnings)
{
    public bool IsValid => Errors.Count == 0;
}
