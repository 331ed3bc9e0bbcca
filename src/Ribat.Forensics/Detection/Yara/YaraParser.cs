using System.Collections.Frozen;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Recursive-descent parser for YARA rule files (imports, rules with modifiers, tags, meta, strings and a
/// condition), checking what <c>yarac</c> would refuse: undefined and unreferenced strings, duplicate rule names,
/// string identifiers and tags, modules used without an import, and malformed strings. A syntax error skips to the
/// next rule, so every rule in a file gets its findings. Nesting is capped.
/// </summary>
internal sealed partial class YaraParser
{
    private const int MaxIdentifierLength = 128;

    private static readonly FrozenSet<string> Keywords = new[]
    {
        "all", "and", "any", "ascii", "at", "base64", "base64wide", "condition", "contains", "defined", "endswith",
        "entrypoint", "false", "filesize", "for", "fullword", "global", "import", "icontains", "iendswith", "iequals",
        "in", "include", "int16", "int16be", "int32", "int32be", "int8", "istartswith", "matches", "meta", "nocase",
        "none", "not", "of", "or", "private", "rule", "startswith", "strings", "them", "true", "uint16", "uint16be",
        "uint32", "uint32be", "uint8", "wide", "xor",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Modules = new[]
    {
        "pe", "elf", "math", "hash", "dotnet", "cuckoo", "magic", "time", "console", "string", "dex", "macho", "lnk", "vt",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly string _text;
    private readonly List<YaraToken> _tokens;
    private readonly RuleReport _report;
    private readonly HashSet<string> _imports = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StringDefinition> _strings = new(StringComparer.Ordinal);
    private readonly List<StringDefinition> _ruleStrings = [];
    private readonly List<string> _loopVariables = [];
    private int _position;
    private int _forOfDepth;
    private int _depth;

    private YaraParser(string text, List<YaraToken> tokens, RuleReport report)
    {
        _text = text;
        _tokens = tokens;
        _report = report;
    }

    public static int Parse(string text, List<YaraToken> tokens, RuleReport report)
    {
        var parser = new YaraParser(text, tokens, report);
        parser.ParseFile();
        return parser._rules.Count;
    }

    private YaraToken Current => _tokens[_position];

    private void ParseFile()
    {
        while (Current.Kind != YaraTokenKind.End)
        {
            try
            {
                if (IsWord("import"))
                {
                    ParseImport();
                }
                else if (IsWord("include"))
                {
                    var include = Current;
                    _position++;
                    var file = Expect(YaraTokenKind.Text, "a quoted file name after 'include'");
                    Error(include, $"include {file.Text(_text)} cannot be resolved for a stored rule: paste the included rules into this text instead.");
                }
                else if (IsWord("rule") || IsWord("private") || IsWord("global"))
                {
                    ParseRule();
                }
                else
                {
                    throw Syntax(Current, $"expected 'rule', 'import' or 'include', found {Describe(Current)}.");
                }
            }
            catch (YaraSyntaxException syntax)
            {
                Error(syntax.Token, syntax.Message);
                Recover();
            }
        }
    }

    private void ParseImport()
    {
        _position++;
        var module = Expect(YaraTokenKind.Text, "a quoted module name after 'import'");
        var name = module.Text(_text)[1..^1].ToString();
        if (!Modules.Contains(name))
        {
            _report.Warning(module.Line, module.Column, $"module \"{name}\" is not one of YARA's standard modules; the scanner must provide it.");
        }

        _imports.Add(name);
    }

    /// <summary>After a syntax error, skip to the next thing that can start a rule or an import.</summary>
    private void Recover()
    {
        if (Current.Kind != YaraTokenKind.End)
        {
            _position++;
        }

        while (Current.Kind != YaraTokenKind.End && !(IsWord("rule") || IsWord("private") || IsWord("global") || IsWord("import") || IsWord("include")))
        {
            _position++;
        }

        _loopVariables.Clear();
        _forOfDepth = 0;
        _depth = 0;
    }

    private void ParseRule()
    {
        var modifiers = new HashSet<string>(StringComparer.Ordinal);
        while (IsWord("private") || IsWord("global"))
        {
            if (!modifiers.Add(Current.Text(_text).ToString()))
            {
                Error(Current, $"duplicate rule modifier '{Current.Text(_text)}'.");
            }

            _position++;
        }

        ExpectWord("rule");
        var nameToken = Expect(YaraTokenKind.Identifier, "a rule name after 'rule'");
        var name = CheckIdentifier(nameToken, "rule name");
        if (!_rules.Add(name))
        {
            Error(nameToken, $"duplicate rule name '{name}'.");
        }

        _report.Title ??= name;
        _report.Id ??= name;
        if (IsSymbol(":"))
        {
            ParseTags();
        }

        ExpectSymbol("{");
        _strings.Clear();
        _ruleStrings.Clear();
        if (IsWord("meta"))
        {
            ParseMeta();
        }

        if (IsWord("strings"))
        {
            ParseStrings();
        }

        if (!IsWord("condition"))
        {
            throw Syntax(Current, $"expected the 'condition:' section, found {Describe(Current)} (every rule needs a condition; meta, strings and condition come in that order).");
        }

        _position++;
        ExpectSymbol(":");
        ParseExpression();
        ExpectSymbol("}");
        foreach (var definition in _ruleStrings)
        {
            // YARA refuses unreferenced strings; since 4.5 a name starting with '_' opts out.
            if (!definition.Used && !definition.Name.StartsWith("$_", StringComparison.Ordinal))
            {
                Error(definition.Token, $"string {definition.Name} is defined but never used in the condition (YARA refuses unreferenced strings; from YARA 4.5 a name starting with $_ is exempt).");
            }
        }
    }

    private void ParseTags()
    {
        _position++;
        var tags = new HashSet<string>(StringComparer.Ordinal);
        if (Current.Kind != YaraTokenKind.Identifier)
        {
            throw Syntax(Current, $"expected a tag after ':', found {Describe(Current)}.");
        }

        while (Current.Kind == YaraTokenKind.Identifier)
        {
            var tag = CheckIdentifier(Current, "tag");
            if (!tags.Add(tag))
            {
                Error(Current, $"duplicate tag '{tag}'.");
            }

            _position++;
        }
    }

    private void ParseMeta()
    {
        _position++;
        ExpectSymbol(":");
        while (Current.Kind == YaraTokenKind.Identifier && !IsWord("strings") && !IsWord("condition"))
        {
            CheckIdentifier(Current, "meta key");
            _position++;
            ExpectSymbol("=");
            if (IsSymbol("-"))
            {
                _position++;
                Expect(YaraTokenKind.Number, "a number after '-'");
            }
            else if (Current.Kind is YaraTokenKind.Text or YaraTokenKind.Number || IsWord("true") || IsWord("false"))
            {
                _position++;
            }
            else
            {
                throw Syntax(Current, $"a meta value must be a quoted text, an integer, true or false; found {Describe(Current)}.");
            }
        }
    }

    private string CheckIdentifier(YaraToken token, string what)
    {
        var name = token.Text(_text).ToString();
        if (Keywords.Contains(name))
        {
            throw Syntax(token, $"'{name}' is a YARA keyword and cannot be a {what}.");
        }

        if (name.Length > MaxIdentifierLength)
        {
            Error(token, $"{what} is longer than {MaxIdentifierLength} characters.");
        }

        return name;
    }

    private bool IsWord(string word) => Current.Kind == YaraTokenKind.Identifier && Current.Text(_text).SequenceEqual(word);

    private bool IsSymbol(string symbol) => Current.Kind == YaraTokenKind.Symbol && Current.Text(_text).SequenceEqual(symbol);

    private bool IsSymbolAt(int index, string symbol) =>
        index < _tokens.Count && _tokens[index].Kind == YaraTokenKind.Symbol && _tokens[index].Text(_text).SequenceEqual(symbol);

    private bool IsWordAt(int index, string word) =>
        index < _tokens.Count && _tokens[index].Kind == YaraTokenKind.Identifier && _tokens[index].Text(_text).SequenceEqual(word);

    private void ExpectWord(string word)
    {
        if (!IsWord(word))
        {
            throw Syntax(Current, $"expected '{word}', found {Describe(Current)}.");
        }

        _position++;
    }

    private void ExpectSymbol(string symbol)
    {
        if (!IsSymbol(symbol))
        {
            throw Syntax(Current, $"expected '{symbol}', found {Describe(Current)}.");
        }

        _position++;
    }

    private YaraToken Expect(YaraTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Syntax(Current, $"expected {what}, found {Describe(Current)}.");
        }

        return _tokens[_position++];
    }

    private string Describe(YaraToken token) => token.Kind switch
    {
        YaraTokenKind.End => "the end of the text",
        YaraTokenKind.Text => "a text string",
        YaraTokenKind.HexString => "a hex string",
        YaraTokenKind.Regex => "a regular expression",
        _ => $"'{Shorten(token.Text(_text))}'",
    };

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : text[..37].ToString() + "...";

    private void Error(YaraToken token, string message) => _report.Error(token.Line, token.Column, message);

    private static YaraSyntaxException Syntax(YaraToken token, string message) => new(token, message);

    private sealed class StringDefinition(string name, YaraToken token)
    {
        public string Name { get; } = name;

        public YaraToken Token { get; } = token;

        public bool Used { get; set; }
    }

    /// <summary>Unwinds one rule's parse after a syntax error; caught in <see cref="ParseFile"/>, never escapes.</summary>
    private sealed class YaraSyntaxException(YaraToken token, string message) : Exception(message)
    {
        public YaraToken Token { get; } = token;
    }
}
