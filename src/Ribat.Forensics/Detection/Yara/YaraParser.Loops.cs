namespace Ribat.Forensics.Detection;

internal sealed partial class YaraParser
{
    private int _loopDepth;

    /// <summary>
    /// <c>for quantity of (set) : ( expr )</c>, where the anonymous <c>$ # @ !</c> stand for each string, and
    /// <c>for quantity var[, var] in iterable : ( expr )</c>, where the variables are in scope in the body only.
    /// </summary>
    private void ParseFor()
    {
        var forToken = Current;
        _position++;
        if (++_loopDepth > MaxLoopNesting)
        {
            throw Syntax(forToken, $"'for' loops nested deeper than {MaxLoopNesting} levels (YARA's limit).");
        }

        if (IsWord("all") || IsWord("any") || IsWord("none") || Current.Kind == YaraTokenKind.Number)
        {
            _position++;
        }
        else
        {
            ParseBinary(0);
        }

        if (IsSymbol("%"))
        {
            _position++;
        }

        if (IsWord("of"))
        {
            _position++;
            ParseSet(allowRules: false);
            ParseBody(() =>
            {
                _forOfDepth++;
                ParseExpression();
                _forOfDepth--;
            });
        }
        else
        {
            var variables = ParseLoopVariables();
            ExpectWord("in");
            ParseIterable();
            ParseBody(() =>
            {
                _loopVariables.AddRange(variables);
                ParseExpression();
                _loopVariables.RemoveRange(_loopVariables.Count - variables.Count, variables.Count);
            });
        }

        _loopDepth--;
    }

    private List<string> ParseLoopVariables()
    {
        var variables = new List<string>();
        do
        {
            var token = Expect(YaraTokenKind.Identifier, "a loop variable name or 'of'");
            var name = CheckIdentifier(token, "loop variable");
            if (variables.Contains(name) || _loopVariables.Contains(name))
            {
                Error(token, $"loop variable '{name}' is already defined.");
            }

            variables.Add(name);
        }
        while (TryComma());

        return variables;
    }

    private void ParseIterable()
    {
        if (IsSymbol("("))
        {
            _position++;
            ParseExpression();
            if (IsSymbol(".."))
            {
                _position++;
                ParseExpression();
            }
            else
            {
                while (TryComma())
                {
                    ParseExpression();
                }
            }

            ExpectSymbol(")");
            return;
        }

        var token = Expect(YaraTokenKind.Identifier, "a range (a..b), an enumeration (a, b) or an array such as pe.sections after 'in'");
        CheckIdentifierReference(token, token.Text(_text).ToString());
        ParsePostfix();
    }

    private void ParseBody(Action body)
    {
        ExpectSymbol(":");
        ExpectSymbol("(");
        body();
        ExpectSymbol(")");
    }

    /// <summary>Marks a string as used. <paramref name="sigil"/> is how it was written ($, #, @ or !).</summary>
    private void ReferenceString(YaraToken token, string sigil, bool allowPattern = false)
    {
        var name = "$" + token.Text(_text)[1..].ToString();
        if (name is "$" or "$*" && _forOfDepth == 0 && !(allowPattern && name == "$*"))
        {
            Error(token, $"an anonymous '{sigil}' can only be used inside 'for ... of ...: ( ... )'.");
            return;
        }

        if (name == "$")
        {
            return;
        }

        if (name.EndsWith('*'))
        {
            if (!allowPattern)
            {
                Error(token, $"'{sigil}{name[1..]}' is a pattern; patterns are only allowed in a set such as any of ($a*).");
                return;
            }

            var prefix = name[..^1];
            var matched = false;
            foreach (var definition in _ruleStrings)
            {
                if (definition.Name.StartsWith(prefix, StringComparison.Ordinal) && (definition.Name != "$" || prefix == "$"))
                {
                    definition.Used = true;
                    matched = true;
                }
            }

            if (!matched)
            {
                Error(token, $"no string in this rule matches {name}.");
            }

            return;
        }

        if (_strings.TryGetValue(name, out var found))
        {
            found.Used = true;
        }
        else
        {
            Error(token, $"undefined string {sigil}{name[1..]}: this rule defines no {name}.");
        }
    }
}
