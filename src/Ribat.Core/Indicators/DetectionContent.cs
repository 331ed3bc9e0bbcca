using Ribat.Forensics.Detection;

namespace Ribat.Core.Indicators;

/// <summary>Sigma, YARA, Suricata and Snort rules as indicators: validated on entry, stored with their text.</summary>
public static class DetectionContent
{
    public const int MaxRuleLength = 1024 * 1024;

    public static bool TryValidate(string type, string? text, out CanonicalIndicator? indicator, out string reason)
    {
        indicator = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = $"the {type} rule is empty.";
            return false;
        }

        if (text.Length > MaxRuleLength)
        {
            reason = $"the {type} rule is longer than {MaxRuleLength / 1024} KiB.";
            return false;
        }

        var kind = type switch
        {
            RuleTypes.Sigma => DetectionRuleKind.Sigma,
            RuleTypes.Yara => DetectionRuleKind.Yara,
            RuleTypes.Suricata => DetectionRuleKind.Suricata,
            _ => DetectionRuleKind.Snort,
        };
        var validation = DetectionRules.Validate(kind, text);
        if (!validation.IsValid)
        {
            var first = validation.Errors[0];
            var more = validation.Errors.Count > 1 ? $" (and {validation.Errors.Count - 1} more)" : string.Empty;
            reason = $"not a valid {type} rule: line {first.Line}, column {first.Column}: {first.Message}{more}";
            return false;
        }

        var title = string.IsNullOrWhiteSpace(validation.Title) ? $"{type} rule" : validation.Title.Trim();
        indicator = CanonicalIndicator.Rule(type, text, title.Length > 300 ? title[..300] : title);
        reason = string.Empty;
        return true;
    }
}
