using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Detection;

/// <summary>Parses one Suricata/Snort rule's header; its options are read by the partial in NetworkRuleParser.Options.</summary>
internal sealed partial class NetworkRuleParser(NetworkRuleText rule, bool snort, RuleReport report)
{
    private const int MaxListNesting = 8;
    private readonly string _text = rule.Text;
    private int _position;

    public readonly record struct Result(string? Message, long? Sid);

    public Result Parse()
    {
        var action = NextHeaderToken(out var actionAt);
        if (action is null)
        {
            return default;
        }

        if (!NetworkRuleValidator.IsAction(action, snort))
        {
            Error(actionAt, $"'{Shorten(action)}' is not a {(snort ? "Snort" : "Suricata")} action; expected one of {NetworkRuleValidator.Actions(snort)}.");
            return default;
        }

        var protocol = NextHeaderToken(out var protocolAt);
        if (protocol is null)
        {
            return default;
        }

        if (protocol.Length == 0)
        {
            Error(protocolAt, "the rule ends after its action; expected a protocol, addresses, ports and (options).");
            return default;
        }

        if (!NetworkRuleValidator.IsProtocol(protocol.ToLowerInvariant()))
        {
            Warning(protocolAt, $"protocol '{Shorten(protocol)}' is not one this validator knows; check the engine supports it.");
        }

        SkipSpaces();
        if (At('(') && snort)
        {
            return ParseOptions(); // Snort 3 service rule: "alert http ( ... )"
        }

        if (!ParseEndpoint("source") || !ParseDirection() || !ParseEndpoint("destination"))
        {
            return default;
        }

        SkipSpaces();
        if (!At('('))
        {
            Error(_position, _position >= _text.Length
                ? "the rule has no options: expected '(' with at least msg and sid after the destination port."
                : $"expected '(' to open the options, found '{Shorten(NextHeaderToken(out _) ?? string.Empty)}'.");
            return default;
        }

        return ParseOptions();
    }

    private bool ParseEndpoint(string side)
    {
        var address = NextHeaderToken(out var addressAt);
        if (address is null || NextHeaderToken(out var portAt) is not { } port)
        {
            return false;
        }

        if (address.Length == 0 || port.Length == 0 || address.StartsWith('(') || port.StartsWith('('))
        {
            Error(address.Length == 0 ? addressAt : portAt, $"the header ends early: expected the {side} address and port.");
            return false;
        }

        var ok = CheckList(address, addressAt, CheckAddress, 0);
        return CheckList(port, portAt, CheckPort, 0) && ok;
    }

    private bool ParseDirection()
    {
        var direction = NextHeaderToken(out var at);
        if (direction is null)
        {
            return false;
        }

        if (direction is "->" or "<>" || (direction == "=>" && !snort))
        {
            return true;
        }

        if (direction.Length == 0)
        {
            Error(at, "the header ends early: expected a direction ('->' or '<>') and the destination address and port.");
            return false;
        }

        Error(at, $"'{Shorten(direction)}' is not a direction; expected '->' or '<>'{(snort ? string.Empty : " (or '=>')")}.");
        return false;
    }

    /// <summary>A value, '!' value, or '[a, b, ...]' of those (nested lists allowed, bounded).</summary>
    private bool CheckList(string text, int at, Func<string, int, bool> item, int depth)
    {
        if (depth > MaxListNesting)
        {
            Error(at, $"lists nested deeper than {MaxListNesting} levels.");
            return false;
        }

        var negated = text.StartsWith('!');
        var body = negated ? text[1..] : text;
        var bodyAt = negated ? at + 1 : at;
        if (!body.StartsWith('['))
        {
            return item(body, bodyAt);
        }

        if (!body.EndsWith(']'))
        {
            Error(at, $"'{Shorten(text)}': a list opened with '[' must close with ']'.");
            return false;
        }

        var inner = body[1..^1];
        if (inner.Trim().Length == 0)
        {
            Error(at, "an empty list '[]' matches nothing.");
            return false;
        }

        var ok = true;
        var start = 0;
        var level = 0;
        for (var i = 0; i <= inner.Length; i++)
        {
            if (i < inner.Length && inner[i] is '[')
            {
                level++;
            }
            else if (i < inner.Length && inner[i] is ']')
            {
                level--;
            }
            else if (i == inner.Length || (inner[i] == ',' && level == 0))
            {
                var part = inner[start..i];
                var trimmed = part.Trim();
                var partAt = bodyAt + 1 + start + (part.Length - part.TrimStart().Length);
                if (trimmed.Length == 0)
                {
                    Error(partAt, "empty entry in a list (two commas in a row or a trailing comma).");
                    ok = false;
                }
                else
                {
                    ok &= CheckList(trimmed, partAt, item, depth + 1);
                }

                start = i + 1;
            }
        }

        if (level != 0)
        {
            Error(at, $"'{Shorten(text)}': unbalanced '[' and ']'.");
            return false;
        }

        return ok;
    }

    private bool CheckAddress(string text, int at)
    {
        if (text == "any" || IsVariable(text))
        {
            return true;
        }

        var valid = text.Contains('/')
            ? IpCanonicaliser.TryParseCidr(text, out _, out var reason)
            : text.Contains(':')
                ? IpCanonicaliser.TryParseIPv6(text, out _, out reason)
                : IpCanonicaliser.TryParseIPv4(text, out _, out reason);
        if (!valid)
        {
            Error(at, $"address '{Shorten(text)}' is not any, a $VARIABLE, an IP address or a CIDR block: {reason}");
        }

        return valid;
    }

    private bool CheckPort(string text, int at)
    {
        if (text == "any" || IsVariable(text))
        {
            return true;
        }

        var colon = text.IndexOf(':');
        var low = colon < 0 ? text : text[..colon];
        var high = colon < 0 ? text : text[(colon + 1)..];
        var lowOk = colon == 0 || TryPort(low, out var lowValue);
        var highOk = colon == text.Length - 1 || TryPort(high, out var highValue);
        if (!lowOk || !highOk || text == ":")
        {
            Error(at, $"port '{Shorten(text)}' is not any, a $VARIABLE, a number from 0 to 65535 or a range such as 1024: or 80:90.");
            return false;
        }

        if (colon > 0 && colon < text.Length - 1 && TryPort(low, out lowValue) && TryPort(high, out highValue) && lowValue > highValue)
        {
            Error(at, $"port range '{text}' has its low end above its high end.");
            return false;
        }

        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port <= 65535;

    private static bool IsVariable(string text)
    {
        if (text.Length < 2 || text[0] != '$')
        {
            return false;
        }

        foreach (var c in text.AsSpan(1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The next header token: up to whitespace outside brackets, or up to '(' (never part of a header
    /// value). Null, with the error reported, when a '[' is not closed before that.</summary>
    private string? NextHeaderToken(out int at)
    {
        SkipSpaces();
        at = _position;
        var depth = 0;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (c == '(' || (depth <= 0 && char.IsWhiteSpace(c)))
            {
                break;
            }

            _position++;
        }

        if (depth > 0)
        {
            Error(at, "a list opened with '[' must close with ']' before the next header field.");
            return null;
        }

        return _text[at.._position];
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private bool At(char c) => _position < _text.Length && _text[_position] == c;

    private void Error(int offset, string message)
    {
        var (line, column) = rule.Position(offset);
        report.Error(line, column, message);
    }

    private void Warning(int offset, string message)
    {
        var (line, column) = rule.Position(offset);
        report.Warning(line, column, message);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
