namespace Ribat.Forensics.Detection;

/// <summary>Validates YARA rule text: lexing (strings, comments, hex strings, regular expressions), then parsing
/// every rule. Title and Id are the first rule's name.</summary>
internal static class YaraValidator
{
    public static void Validate(string text, RuleReport report)
    {
        var tokens = YaraLexer.Tokenise(text, report, out var broken);
        if (broken)
        {
            // A broken string or comment shifts everything after it; parsing would only add noise.
            return;
        }

        if (YaraParser.Parse(text, tokens, report) == 0 && !report.HasErrors)
        {
            report.Error(1, 1, "no rule found: a YARA text needs at least one 'rule name { condition: ... }'.");
        }
    }
}
