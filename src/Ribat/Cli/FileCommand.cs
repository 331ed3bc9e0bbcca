using System.CommandLine;
using System.IO.Enumeration;
using Ribat.Forensics.Detection.Yara;
using Ribat.Forensics.Files;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat analyze file</c>: digests, type, entropy, PE structure, strings and their indicators, and YARA matches of
/// files and folders, read on the spot. Two files are analysed at a time; output keeps the order they were named in.
/// </summary>
internal static class FileCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files, or folders searched recursively (symbolic links are not followed).", Arity = ArgumentArity.OneOrMore };
        var yara = new Option<string[]>("--yara") { Description = "YARA rule files or folders of .yar/.yara files, compiled once; a file that does not compile is reported and the others are used. Needs libyara (Debian package libyara9).", HelpName = "RULES", AllowMultipleArgumentsPerToken = true };
        var format = new Option<string>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => "table", HelpName = "FORMAT" };
        var strings = new Option<bool>("--strings") { Description = "List the printable strings (ASCII and UTF-16LE) too, at most 100,000 per file; indicators found in them are always listed." };
        var minString = new Option<int>("--min-string") { Description = "Shortest string, in characters (default 6, 1 to 4096).", DefaultValueFactory = _ => 6, HelpName = "N" };
        var command = new Command("file",
            "Analyse files: MD5, SHA-1, SHA-256, SHA-512 and ssdeep in one read, type and media type by magic bytes, entropy, for PE files " +
            "headers, sections, imports, imphash, exports, resources, signature presence, overlay and anomalies, indicators in " +
            "their strings, and YARA matches. A missing path stops everything (exit 2); a file that cannot be read during " +
            "the scan is reported and the scan goes on. Exit code 1 when a YARA rule matched, else 0.")
        {
            paths, yara, format, strings, minString,
        };
        command.SetAction(parsed =>
        {
            var output = parsed.GetValue(format)!.ToLowerInvariant();
            if (output is not ("table" or "json"))
            {
                return CliOutput.Fail($"--format must be table or json, not '{parsed.GetValue(format)}'.");
            }

            var minimum = parsed.GetValue(minString);
            if (minimum is < 1 or > StringScanner.MaxLength)
            {
                return CliOutput.Fail($"--min-string must be between 1 and {StringScanner.MaxLength}.");
            }

            var targets = parsed.GetValue(paths)!;
            if (targets.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing)
            {
                return CliOutput.Fail($"{missing} does not exist.");
            }

            var ruleSet = default(YaraRuleSet);
            var ruleProblems = (IReadOnlyList<YaraCompileProblem>)[];
            if (parsed.GetValue(yara) is { Length: > 0 } rulePaths)
            {
                if (YaraRuleSet.Unavailable is { } unavailable)
                {
                    return CliOutput.Fail(unavailable);
                }

                (ruleSet, ruleProblems) = YaraRuleSet.Compile(rulePaths);
                if (ruleSet is null)
                {
                    var first = ruleProblems.FirstOrDefault();
                    return CliOutput.Fail(first is null ? "no YARA rules found." : $"no YARA rules compiled: {FileReport.Problem(first)}");
                }

                foreach (var problem in ruleProblems)
                {
                    Console.Error.WriteLine($"ribat: warning: {FileReport.Problem(problem)}");
                }
            }

            using var rules = ruleSet;
            var options = new FileAnalysisOptions { ListStrings = parsed.GetValue(strings), MinStringLength = minimum };
            var reports = Analyse(Enumerate(targets), options, rules);
            if (output == "json")
            {
                FileReport.WriteJson(reports, ruleProblems, Console.OpenStandardOutput());
            }
            else
            {
                FileReport.WriteTable(reports, Console.Out);
            }

            return reports.Any(r => r.Yara is { Matches.Count: > 0 }) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    // Symbolic links to files are analysed; links to folders are not followed, so a link loop cannot recurse forever.
    private static List<string> Enumerate(string[] targets)
    {
        var files = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (var target in targets)
        {
            if (!Directory.Exists(target))
            {
                files.Add(target);
                continue;
            }

            var found = new FileSystemEnumerable<string>(target, (ref FileSystemEntry entry) => entry.ToSpecifiedFullPath(), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
                ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            };
            files.AddRange(found.Order(StringComparer.Ordinal));
        }

        return files;
    }

    // One YARA scanner per worker thread; libyara's rules are shared read-only.
    private static FileResult[] Analyse(List<string> files, FileAnalysisOptions options, YaraRuleSet? rules)
    {
        var results = new FileResult[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
            () => rules is null ? null : new YaraScanner(rules),
            (i, _, scanner) =>
            {
                results[i] = AnalyseOne(files[i], options, scanner);
                return scanner;
            },
            scanner => scanner?.Dispose());
        return results;
    }

    private static FileResult AnalyseOne(string path, FileAnalysisOptions options, YaraScanner? scanner)
    {
        FileAnalysis? analysis = null;
        string? error = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            analysis = FileAnalyzer.Analyze(stream, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex is FileNotFoundException or DirectoryNotFoundException ? "vanished before it could be read" : $"cannot read: {ex.Message}";
            Console.Error.WriteLine($"ribat: warning: {path}: {error}");
        }

        var yara = analysis is null ? null : scanner?.Scan(path);
        return new FileResult(path, analysis, error, yara);
    }
}

internal sealed record FileResult(string Path, FileAnalysis? Analysis, string? Error, YaraScanResult? Yara);
