using System.Text;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Validates Sigma, YARA and Suricata/Snort rules when they are stored as indicators, with findings that name the
/// line, the column and what is wrong. Validation is pure, never throws and never hangs: input is size-capped,
/// parsers are hand-written or event-driven with bounded nesting, and no backtracking regular expression runs on it.
/// </summary>
public static class DetectionRules
{
    /// <summary>Largest accepted text, in UTF-8 bytes. Real rules are a few kilobytes; a 1 MB YARA file is already a
    /// bundle of hundreds of rules.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static RuleValidation Validate(DetectionRuleKind kind, string? text)
    {
        var report = new RuleReport();
        if (string.IsNullOrWhiteSpace(text))
        {
            report.Error(0, 0, "the rule text is empty.");
            return report.ToValidation(kind);
        }

        if (text.Length > MaxBytes || Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            report.Error(0, 0, $"the rule text is larger than {MaxBytes / 1024 / 1024} MB; split it into smaller rules.");
            return report.ToValidation(kind);
        }

        if (text.Contains('\0'))
        {
            report.Error(0, 0, "the rule text contains NUL characters: it is binary data, not a rule.");
            return report.ToValidation(kind);
        }

        switch (kind)
        {
            case DetectionRuleKind.Sigma:
                SigmaValidator.Validate(text, report);
                break;
            case DetectionRuleKind.Yara:
                YaraValidator.Validate(text, report);
                break;
            case DetectionRuleKind.Suricata or DetectionRuleKind.Snort:
                NetworkRuleValidator.Validate(text, kind == DetectionRuleKind.Snort, report);
                break;
            default:
                report.Error(0, 0, $"unknown rule kind {(int)kind}.");
                break;
        }

        return report.ToValidation(kind);
    }

    /// <summary>
    /// Guesses the language from the text's shape, for a form that accepts any rule: Sigma has two of the top-level
    /// keys <c>title:</c>, <c>logsource:</c>, <c>detection:</c>; YARA a line starting <c>rule</c>, <c>private</c>,
    /// <c>global</c> or <c>import</c> and a condition; Suricata/Snort a line that starts with an
    /// action and a protocol. Snort is chosen only when a Snort-only action (<c>log</c>, <c>sdrop</c>) appears.
    /// Returns <c>null</c> when the text looks like none of them.
    /// </summary>
    public static DetectionRuleKind? Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxBytes)
        {
            return null;
        }

        var sigmaKeys = 0;
        var yaraRule = false;
        var yaraCondition = false;
        var network = false;
        var snortOnly = false;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.IsEmpty || trimmed[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("detection:") || line.StartsWith("logsource:") || line.StartsWith("title:"))
            {
                sigmaKeys++;
            }

            yaraRule |= StartsWithWord(trimmed, "rule") || StartsWithWord(trimmed, "private") || StartsWithWord(trimmed, "global")
                || StartsWithWord(trimmed, "import");
            yaraCondition |= trimmed.Contains("condition", StringComparison.Ordinal) && !line.StartsWith("condition:");
            if (NetworkRuleValidator.LooksLikeRuleLine(trimmed, out var isSnortAction))
            {
                network = true;
                snortOnly |= isSnortAction;
            }
        }

        // Sigma's keys sit at column 0, where no YARA rule puts them, so Sigma is decided first.
        if (sigmaKeys >= 2)
        {
            return DetectionRuleKind.Sigma;
        }

        if (yaraRule && yaraCondition)
        {
            return DetectionRuleKind.Yara;
        }

        if (network)
        {
            return snortOnly ? DetectionRuleKind.Snort : DetectionRuleKind.Suricata;
        }

        return null;
    }

    private static bool StartsWithWord(ReadOnlySpan<char> line, string word) =>
        line.StartsWith(word, StringComparison.Ordinal) && line.Length > word.Length && char.IsWhiteSpace(line[word.Length]);
}
