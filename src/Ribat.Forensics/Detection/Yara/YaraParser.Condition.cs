using System.Collections.Frozen;

namespace Ribat.Forensics.Detection;

internal sealed partial class YaraParser
{
    private const int MaxNesting = 128;
    private const int MaxLoopNesting = 4;

    private static readonly FrozenSet<string> Comparisons = new[]
    {
        "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "iequals",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> IntegerFunctions = new[]
    {
        "uint8", "uint16", "uint32", "uint16be", "uint32be", "int8", "int16", "int32", "int16be", "int32be",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[][] BinaryLevels =
    [
        ["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "\\", "%"],
    ];

    private void ParseExpression()
    {
        Enter();
        ParseAnd();
        while (IsWord("or"))
        {
            _position++;
            ParseAnd();
        }

        _depth--;
    }

    private void ParseAnd()
    {
        ParseNot();
        while (IsWord("and"))
        {
            _position++;
            ParseNot();
        }
    }

    private void ParseNot()
    {
        if (IsWord("not") || IsWord("defined"))
        {
            Enter();
            _position++;
            ParseNot();
            _depth--;
            return;
        }

        ParseComparison();
    }

    private void ParseComparison()
    {
        ParseBinary(0);
        while (true)
        {
            if (IsWord("matches"))
            {
                _position++;
                Expect(YaraTokenKind.Regex, "a regular expression /.../ after 'matches'");
                continue;
            }

            var text = Current.Text(_text).ToString();
            if (Current.Kind is not (YaraTokenKind.Symbol or YaraTokenKind.Identifier) || !Comparisons.Contains(text))
            {
                return;
            }

            _position++;
            ParseBinary(0);
        }
    }

    private void ParseBinary(int level)
    {
        if (level == BinaryLevels.Length)
        {
            ParseUnary();
            return;
        }

        ParseBinary(level + 1);
        while (Current.Kind == YaraTokenKind.Symbol && BinaryLevels[level].Contains(Current.Text(_text).ToString()))
        {
            _position++;
            ParseBinary(level + 1);
        }
    }

    private void ParseUnary()
    {
        if (IsSymbol("-") || IsSymbol("~"))
        {
            Enter();
            _position++;
            ParseUnary();
            _depth--;
            return;
        }

        ParsePrimary();
    }

    private void ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case YaraTokenKind.Number when IsWordAt(_position + 1, "of") || (IsSymbolAt(_position + 1, "%") && IsWordAt(_position + 2, "of")):
                _position += IsWordAt(_position + 1, "of") ? 1 : 2;
                ParseOf();
                return;
            case YaraTokenKind.Number:
                if (!TryNumber(token.Text(_text), out _))
                {
                    Error(token, $"number {Shorten(token.Text(_text))} is too large for a 64-bit integer.");
                }

                _position++;
                return;
            case YaraTokenKind.Float or YaraTokenKind.Text:
                _position++;
                return;
            case YaraTokenKind.StringId:
                ReferenceString(token, "$");
                _position++;
                ParseStringPosition();
                return;
            case YaraTokenKind.StringCount:
                ReferenceString(token, "#");
                _position++;
                if (IsWord("in"))
                {
                    _position++;
                    ParseRange();
                }

                return;
            case YaraTokenKind.StringOffset or YaraTokenKind.StringLength:
                ReferenceString(token, token.Kind == YaraTokenKind.StringOffset ? "@" : "!");
                _position++;
                ParseIndex();
                return;
            case YaraTokenKind.Symbol when IsSymbol("("):
                _position++;
                ParseExpression();
                ExpectSymbol(")");
                return;
            case YaraTokenKind.Identifier:
                ParseIdentifierPrimary(token);
                return;
            default:
                throw Syntax(token, $"expected an expression, found {Describe(token)}.");
        }
    }

    private void ParseIdentifierPrimary(YaraToken token)
    {
        var word = token.Text(_text).ToString();
        switch (word)
        {
            case "true" or "false" or "filesize":
                _position++;
                return;
            case "entrypoint":
                _report.Warning(token.Line, token.Column, "'entrypoint' is deprecated; use pe.entry_point or elf.entry_point.");
                _position++;
                return;
            case "all" or "any" or "none":
                _position++;
                ExpectWord("of");
                ParseOfTarget();
                return;
            case "for":
                ParseFor();
                return;
            case "them":
                throw Syntax(token, "'them' can only follow 'of' (e.g. 'any of them').");
        }

        if (Keywords.Contains(word) && !IntegerFunctions.Contains(word))
        {
            throw Syntax(token, $"'{word}' cannot start an expression here.");
        }

        CheckIdentifierReference(token, word);
        _position++;
        ParsePostfix();
        if (IsWord("of") || (IsSymbol("%") && IsWordAt(_position + 1, "of")))
        {
            _position += IsWord("of") ? 0 : 1;
            ParseOf();
        }
    }

    private void CheckIdentifierReference(YaraToken token, string word)
    {
        if (IntegerFunctions.Contains(word))
        {
            if (!IsSymbolAt(_position + 1, "("))
            {
                throw Syntax(token, $"'{word}' reads an integer at an offset and must be called: {word}(offset).");
            }

            return;
        }

        if (_loopVariables.Contains(word) || _rules.Contains(word) || _imports.Contains(word))
        {
            return;
        }

        if (Modules.Contains(word))
        {
            Error(token, $"module '{word}' is used but not imported: add import \"{word}\".");
            return;
        }

        _report.Warning(token.Line, token.Column,
            $"'{word}' is not a rule defined earlier, an imported module or a loop variable; it must be an external variable given to the scanner.");
    }

    /// <summary>Member access, indexing and calls after an identifier: pe.sections[0].name, math.entropy(0, filesize).</summary>
    private void ParsePostfix()
    {
        while (true)
        {
            if (IsSymbol("."))
            {
                _position++;
                Expect(YaraTokenKind.Identifier, "a field name after '.'");
            }
            else if (IsSymbol("["))
            {
                _position++;
                ParseExpression();
                ExpectSymbol("]");
            }
            else if (IsSymbol("("))
            {
                _position++;
                if (!IsSymbol(")"))
                {
                    ParseExpression();
                    while (IsSymbol(","))
                    {
                        _position++;
                        ParseExpression();
                    }
                }

                ExpectSymbol(")");
            }
            else
            {
                return;
            }
        }
    }

    private void ParseStringPosition()
    {
        if (IsWord("at"))
        {
            _position++;
            ParseBinary(0);
        }
        else if (IsWord("in"))
        {
            _position++;
            ParseRange();
        }
    }

    private void ParseIndex()
    {
        if (IsSymbol("["))
        {
            _position++;
            ParseExpression();
            ExpectSymbol("]");
        }
    }

    private void ParseRange()
    {
        ExpectSymbol("(");
        ParseExpression();
        ExpectSymbol("..");
        ParseExpression();
        ExpectSymbol(")");
    }

    /// <summary>At 'of': the quantity has been read.</summary>
    private void ParseOf()
    {
        ExpectWord("of");
        ParseOfTarget();
    }

    /// <summary>After 'of': 'them', a string set or a rule set, then an optional 'at' or 'in'.</summary>
    private void ParseOfTarget()
    {
        ParseSet(allowRules: true);
        ParseStringPosition();
    }

    private void ParseSet(bool allowRules)
    {
        if (IsWord("them"))
        {
            foreach (var definition in _ruleStrings)
            {
                definition.Used = true;
            }

            if (_ruleStrings.Count == 0)
            {
                Error(Current, "'them' refers to the rule's strings, but it defines none.");
            }

            _position++;
            return;
        }

        ExpectSymbol("(");
        do
        {
            if (Current.Kind == YaraTokenKind.StringId)
            {
                ReferenceString(Current, "$", allowPattern: true);
                _position++;
            }
            else if (allowRules && Current.Kind == YaraTokenKind.Identifier)
            {
                ReferenceRule();
            }
            else
            {
                throw Syntax(Current, $"expected a string such as $a or $a*, found {Describe(Current)}.");
            }
        }
        while (TryComma());

        ExpectSymbol(")");
    }

    private void ReferenceRule()
    {
        var token = Current;
        var name = token.Text(_text).ToString();
        _position++;
        var pattern = IsSymbol("*");
        if (pattern)
        {
            _position++;
            if (!_rules.Any(r => r.StartsWith(name, StringComparison.Ordinal)))
            {
                Error(token, $"the rule set pattern '{name}*' matches no rule defined earlier.");
            }
        }
        else if (!_rules.Contains(name))
        {
            Error(token, $"'{name}' is not a rule defined earlier in this text.");
        }
    }

    private bool TryComma()
    {
        if (!IsSymbol(","))
        {
            return false;
        }

        _position++;
        return true;
    }

    private void Enter()
    {
        if (++_depth > MaxNesting)
        {
            throw Syntax(Current, $"the condition is nested deeper than {MaxNesting} levels.");
        }
    }
}
