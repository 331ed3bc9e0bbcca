namespace Ribat.Forensics.Detection;

internal static class NetworkRuleValidator
{
    public static void Validate(string text, bool snort, RuleReport report) => report.Error(0, 0, "not yet" + text.Length + snort);

    public static bool LooksLikeRuleLine(ReadOnlySpan<char> line, out bool snortOnly)
    {
        snortOnly = false;
        return line.IsEmpty;
    }
}
