namespace Ribat.Forensics.Detection.Yara;

/// <summary>A compiler message: the rule file, its 1-based line (0 when unknown) and libyara's text.</summary>
public sealed record YaraCompileProblem(string File, int Line, string Message);

/// <summary>A rule that matched, with its metadata (text, integer or boolean values) and matched strings.</summary>
public sealed record YaraMatch(string Rule, string Namespace, IReadOnlyList<string> Tags, IReadOnlyList<KeyValuePair<string, object>> Meta, IReadOnlyList<YaraStringMatch> Strings);

/// <param name="Preview">The first bytes matched, printable ASCII kept and the rest written <c>\xNN</c>.</param>
public sealed record YaraStringMatch(string Identifier, long Offset, int Length, string Preview);

/// <summary>The result of one scan: the matches, or why the file could not be scanned.</summary>
public sealed record YaraScanResult(IReadOnlyList<YaraMatch> Matches, string? Error, IReadOnlyList<string> Warnings);
