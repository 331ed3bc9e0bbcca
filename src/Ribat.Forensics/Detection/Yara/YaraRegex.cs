using System.Text.RegularExpressions;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Checks a YARA regular expression's structure: not empty, groups and classes balanced, a quantifier after
/// something to repeat. YARA's dialect is close to, but not, .NET's: a pattern .NET cannot parse is then only a
/// warning. Nothing is matched, so no pattern can make this slow.
/// </summary>
internal static class YaraRegex
{
    public static void Check(ReadOnlySpan<char> body, int line, int column, RuleReport report)
    {
        if (body.IsEmpty)
        {
            report.Error(line, column, "empty regular expression.");
            return;
        }

        var depth = 0;
        var inClass = false;
        var canRepeat = false;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\')
            {
                i++;
                canRepeat = true;
                continue;
            }

            if (inClass)
            {
                inClass = !(c == ']' && body[i - 1] != '[' && !(body[i - 1] == '^' && body[i - 2] == '['));
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    canRepeat = true;
                    break;
                case '(':
                    depth++;
                    canRepeat = false;
                    break;
                case ')':
                    if (--depth < 0)
                    {
                        report.Error(line, column + 1 + i, "')' without a matching '(' in regular expression.");
                        return;
                    }

                    canRepeat = true;
                    break;
                case '*' or '+' or '?' when !canRepeat && !(c == '?' && i > 0 && body[i - 1] is '*' or '+' or '?' or '}'):
                    report.Error(line, column + 1 + i, $"'{c}' in regular expression has nothing to repeat.");
                    return;
                case '|':
                    canRepeat = false;
                    break;
                default:
                    canRepeat = true;
                    break;
            }
        }

        if (inClass || depth > 0)
        {
            report.Error(line, column, inClass ? "unterminated '[' class in regular expression." : "'(' never closed in regular expression.");
            return;
        }

        try
        {
            _ = new Regex(body.ToString(), RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException exception)
        {
            report.Warning(line, column, $"the regular expression may not be valid: {exception.Message}");
        }
    }
}
