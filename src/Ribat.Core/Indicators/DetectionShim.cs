namespace Ribat.Forensics.Detection;

internal enum DetectionRuleKind { Sigma, Yara, Suricata, Snort }

internal sealed record RuleProblem(int Line, int Column, string Message);

internal sealed record RuleValidation(bool IsValid, string? Title, IReadOnlyList<RuleProblem> Errors);

internal static class DetectionRules
{
    public static RuleValidation Validate(DetectionRuleKind kind, string text) => new(false, null, [new RuleProblem(1, 1, "pending")]);
}
