using System.Runtime.InteropServices;
using System.Text;

namespace Ribat.Forensics.Detection.Yara;

/// <summary>
/// Rules compiled once by libyara from files and folders. Each file is compiled alone first, so one that does not
/// compile is reported with its line and message and the others still load; every file gets its own namespace (its
/// path as given), so equal rule names in different files do not collide.
/// </summary>
public sealed unsafe class YaraRuleSet : IDisposable
{
    private static readonly string[] RuleExtensions = [".yar", ".yara", ".rule", ".rules"];

    private nint _rules;

    private YaraRuleSet(nint rules, int files)
    {
        _rules = rules;
        Files = files;
    }

    /// <summary>How many rule files were compiled into the set.</summary>
    public int Files { get; }

    internal nint Handle => _rules != 0 ? _rules : throw new ObjectDisposedException(nameof(YaraRuleSet));

    /// <summary>One line naming what to install when libyara is missing; null when it is usable.</summary>
    public static string? Unavailable => LibYara.Problem;

    /// <summary>
    /// Compiles the rule files named, and every <c>.yar</c>/<c>.yara</c>/<c>.rule(s)</c> file under the folders named.
    /// The set is null when no file compiled (or libyara is missing, see <see cref="Unavailable"/>).
    /// </summary>
    public static (YaraRuleSet? Rules, IReadOnlyList<YaraCompileProblem> Problems) Compile(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var problems = new List<YaraCompileProblem>();
        if (LibYara.Problem is { } missing)
        {
            problems.Add(new YaraCompileProblem(string.Empty, 0, missing));
            return (null, problems);
        }

        var files = RuleFiles(paths, problems);
        if (files.Count == 1 && problems.Count == 0)
        {
            // One file compiled alone is the set itself: compiling it a second time, as below, would only double the cost.
            var single = CompileFiles(files, problems);
            if (single == 0 && problems.Count == 0)
            {
                problems.Add(new YaraCompileProblem(files[0], 0, "does not compile"));
            }

            return single == 0 ? (null, problems) : (new YaraRuleSet(single, 1), problems);
        }

        var good = new List<string>();
        foreach (var file in files)
        {
            var before = problems.Count;
            var rules = CompileFiles([file], problems);
            if (rules != 0)
            {
                LibYara.RulesDestroy(rules);
                good.Add(file);
            }
            else if (problems.Count == before)
            {
                problems.Add(new YaraCompileProblem(file, 0, "does not compile"));
            }
        }

        if (good.Count == 0)
        {
            return (null, problems);
        }

        var all = CompileFiles(good, problems);
        return all == 0 ? (null, problems) : (new YaraRuleSet(all, good.Count), problems);
    }

    public void Dispose()
    {
        if (_rules != 0)
        {
            LibYara.RulesDestroy(_rules);
            _rules = 0;
        }
    }

    private static List<string> RuleFiles(IEnumerable<string> paths, List<YaraCompileProblem> problems)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Where(f => RuleExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    problems.Add(new YaraCompileProblem(path, 0, "folder holds no .yar or .yara files"));
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                problems.Add(new YaraCompileProblem(path, 0, "does not exist"));
            }
        }

        return files;
    }

    // Returns the compiled rules, or 0 when any file had an error (libyara's compiler is unusable after one).
    private static nint CompileFiles(List<string> files, List<YaraCompileProblem> problems)
    {
        nint compiler;
        if (LibYara.CompilerCreate(&compiler) != 0)
        {
            problems.Add(new YaraCompileProblem(string.Empty, 0, "libyara could not create a compiler (out of memory)"));
            return 0;
        }

        var sink = GCHandle.Alloc(problems);
        try
        {
            LibYara.CompilerSetCallback(compiler, &OnCompilerMessage, GCHandle.ToIntPtr(sink));
            foreach (var file in files)
            {
                if (!AddFile(compiler, file, problems))
                {
                    return 0;
                }
            }

            nint rules;
            return LibYara.CompilerGetRules(compiler, &rules) == 0 ? rules : 0;
        }
        finally
        {
            LibYara.CompilerDestroy(compiler);
            sink.Free();
        }
    }

    private static bool AddFile(nint compiler, string file, List<YaraCompileProblem> problems)
    {
        try
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read);
            var space = Encoding.UTF8.GetBytes(file + "\0");
            fixed (byte* name = space)
            {
                return LibYara.CompilerAddFd(compiler, (int)handle.DangerousGetHandle(), name, name) == 0;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new YaraCompileProblem(file, 0, $"cannot read: {ex.Message}"));
            return false;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnCompilerMessage(int level, byte* file, int line, nint rule, byte* message, nint userData)
    {
        if (level != LibYara.ErrorLevelError)
        {
            return;
        }

        var problems = (List<YaraCompileProblem>)GCHandle.FromIntPtr(userData).Target!;
        var name = file is null ? string.Empty : Marshal.PtrToStringUTF8((nint)file) ?? string.Empty;
        var text = message is null ? "error" : Marshal.PtrToStringUTF8((nint)message) ?? "error";
        // Of several files each is compiled twice (alone, then with the others that compiled); its errors are reported once.
        var problem = new YaraCompileProblem(name, line, text);
        if (!problems.Contains(problem))
        {
            problems.Add(problem);
        }
    }
}
