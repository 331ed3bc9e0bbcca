using System.Collections.Frozen;
using System.Globalization;

namespace Ribat.Forensics.Detection;

internal sealed partial class NetworkRuleParser
{
    /// <summary>Content modifiers: they qualify the content before them, so one before any content is a mistake.
    /// (The http_* keywords are left out: in Snort 3 they are sticky buffers that come before the content.)</summary>
    private static readonly FrozenSet<string> ContentModifiers = new[]
    {
        "nocase", "depth", "offset", "distance", "within", "fast_pattern", "rawbytes", "startswith", "endswith",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> NumericOptions = new[] { "sid", "rev", "gid", "priority" }.ToFrozenSet(StringComparer.Ordinal);

    public Result ParseOptions()
    {
        var open = _position;
        _position++; // '('
        string? message = null;
        long? sid = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var hasContent = false;
        while (true)
        {
            SkipSpaces();
            if (_position >= _text.Length)
            {
                Error(open, "the options are never closed with ')'.");
                return new Result(message, sid);
            }

            if (At(')'))
            {
                break;
            }

            var keywordAt = _position;
            while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.' or '-'))
            {
                _position++;
            }

            var keyword = _text[keywordAt.._position];
            SkipSpaces();
            if (keyword.Length == 0)
            {
                Error(_position, $"expected an option keyword, found '{Shorten(_text[_position].ToString())}'.");
                return new Result(message, sid);
            }

            string? value = null;
            var valueAt = _position;
            if (At(':'))
            {
                _position++;
                valueAt = _position;
                if (!ReadValue(keyword, out value))
                {
                    return new Result(message, sid);
                }
            }
            else if (!At(';'))
            {
                Error(_position, _position >= _text.Length || At(')')
                    ? $"option '{keyword}' is not terminated with ';'."
                    : $"expected ':' or ';' after option '{keyword}', found '{Shorten(_text[_position].ToString())}'.");
                return new Result(message, sid);
            }

            _position++; // ';'
            if (keyword is "sid" or "msg" or "rev" or "gid" or "classtype" or "priority" && !seen.Add(keyword))
            {
                Error(keywordAt, $"option '{keyword}' appears twice.");
            }

            CheckOption(keyword, keywordAt, value, valueAt, ref hasContent, ref message, ref sid);
        }

        _position++; // ')'
        SkipSpaces();
        if (_position < _text.Length)
        {
            Error(_position, $"unexpected text after the closing ')': '{Shorten(_text[_position..])}'.");
        }

        if (!seen.Contains("msg"))
        {
            Warning(open, "the rule has no msg: analysts will see alerts without a description.");
        }

        if (!seen.Contains("sid"))
        {
            Error(open, "the rule has no sid: every rule needs a numeric signature id.");
        }

        return new Result(message, sid);
    }

    /// <summary>Reads an option value up to the next unescaped ';', as the engines do; a quote left open by a raw
    /// ';' inside it is reported as such.</summary>
    private bool ReadValue(string keyword, out string value)
    {
        var start = _position;
        var inQuotes = false;
        var quoteAt = -1;
        while (_position < _text.Length && _text[_position] != ';')
        {
            var c = _text[_position];
            if (c == '\\')
            {
                _position += 2;
                continue;
            }

            if (c == '"')
            {
                inQuotes = !inQuotes;
                quoteAt = _position;
            }

            _position++;
        }

        value = _text[start..Math.Min(_position, _text.Length)].Trim();
        if (inQuotes)
        {
            Error(quoteAt, $"option '{keyword}' has an unterminated quoted string (a ';' inside quotes must be written '\\;').");
            return false;
        }

        if (_position >= _text.Length)
        {
            Error(start, $"option '{keyword}' is not terminated with ';'.");
            return false;
        }

        return true;
    }

    private void CheckOption(string keyword, int keywordAt, string? value, int valueAt, ref bool hasContent, ref string? message, ref long? sid)
    {
        switch (keyword)
        {
            case "msg":
                message = RequireQuoted(keyword, value, valueAt) is { } text ? Unescape(text) : null;
                return;
            case "content" or "uricontent":
                CheckContent(keyword, value, valueAt);
                hasContent = true;
                return;
            case "pcre":
                CheckPcre(value, valueAt);
                hasContent = true;
                return;
        }

        if (NumericOptions.Contains(keyword))
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 0 or > uint.MaxValue
                || (keyword == "sid" && number == 0))
            {
                Error(valueAt, $"{keyword} must be a whole number{(keyword == "sid" ? " from 1 to 4294967295" : string.Empty)}, not '{Shorten(value ?? string.Empty)}'.");
            }
            else if (keyword == "sid")
            {
                sid = number;
            }

            return;
        }

        if (ContentModifiers.Contains(keyword) && !hasContent)
        {
            Error(keywordAt, $"'{keyword}' modifies the content before it, but no content comes before it.");
            return;
        }

        if (!NetworkRuleKeywords.IsKnown(keyword))
        {
            Warning(keywordAt, $"option '{Shorten(keyword)}' is not one this validator knows; check the engine supports it.");
        }
    }

    private string? RequireQuoted(string keyword, string? value, int valueAt)
    {
        if (value is null || value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            Error(valueAt, $"{keyword} must be a quoted string.");
            return null;
        }

        return value[1..^1];
    }

    private void CheckContent(string keyword, string? value, int valueAt)
    {
        var text = value is not null && value.StartsWith('!') ? value[1..].TrimStart() : value;
        if (RequireQuoted(keyword, text, valueAt) is not { } body)
        {
            return;
        }

        if (body.Length == 0)
        {
            Error(valueAt, $"{keyword} is empty.");
            return;
        }

        var bodyAt = valueAt + (value!.Length - text!.Length) + 1;
        var pipe = -1;
        var digits = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (pipe < 0)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '|')
                {
                    pipe = i;
                    digits = 0;
                }

                continue;
            }

            if (c == '|')
            {
                if (digits % 2 != 0)
                {
                    Error(bodyAt + pipe, $"{keyword}: the hex bytes between '|' have an odd number of digits.");
                    return;
                }

                pipe = -1;
            }
            else if (char.IsAsciiHexDigit(c))
            {
                digits++;
            }
            else if (c != ' ')
            {
                Error(bodyAt + i, $"{keyword}: '{c}' is not a hex digit inside '|...|'.");
                return;
            }
        }

        if (pipe >= 0)
        {
            Error(bodyAt + pipe, $"{keyword}: a hex section opened with '|' is never closed.");
        }
    }

    private void CheckPcre(string? value, int valueAt)
    {
        var text = value is not null && value.StartsWith('!') ? value[1..].TrimStart() : value;
        if (RequireQuoted("pcre", text, valueAt) is not { } body)
        {
            return;
        }

        var last = body.LastIndexOf('/');
        if (!body.StartsWith('/') || last <= 0)
        {
            Error(valueAt, "pcre must be written \"/pattern/flags\".");
        }
    }

    private static string Unescape(string text) =>
        text.Contains('\\') ? text.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\;", ";", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal) : text;
}
