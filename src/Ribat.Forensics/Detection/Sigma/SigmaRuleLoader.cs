namespace Ribat.Forensics.Detection;

/// <summary>What a folder of rules gave: the rules that loaded, and for every other file its path and the reason.</summary>
public sealed class SigmaLoadResult
{
    public List<SigmaRule> Rules { get; } = [];

    public List<SigmaCorrelationRule> Correlations { get; } = [];

    public List<SigmaLoadFailure> Failures { get; } = [];

    public int Files => Rules.Count + Correlations.Count + Failures.Count;

    /// <summary>Loaded files over files read, 0 to 1.</summary>
    public double LoadRate => Files == 0 ? 0 : (double)(Rules.Count + Correlations.Count) / Files;
}

/// <summary>
/// Loads every <c>.yml</c>/<c>.yaml</c> file under a folder, in path order, skipping folders named <c>deprecated</c> or
/// <c>unsupported</c> (SigmaHQ keeps retired rules there). A file that cannot be read or does not load is listed with
/// its reason; it never stops the others. Duplicate ids keep the first rule.
/// </summary>
public static class SigmaRuleLoader
{
    private static readonly string[] SkippedFolders = ["deprecated", "unsupported"];

    public static SigmaLoadResult LoadDirectory(string root, SigmaEngineOptions? options = null)
    {
        var result = new SigmaLoadResult();
        LoadInto(result, root, options ?? SigmaEngineOptions.Default);
        return result;
    }

    /// <summary>Loads several folders into one result (SigmaHQ's <c>rules</c>, <c>rules-emerging-threats</c>, ...).</summary>
    public static SigmaLoadResult LoadDirectories(IEnumerable<string> roots, SigmaEngineOptions? options = null)
    {
        var result = new SigmaLoadResult();
        foreach (var root in roots)
        {
            LoadInto(result, root, options ?? SigmaEngineOptions.Default);
        }

        return result;
    }

    private static void LoadInto(SigmaLoadResult result, string root, SigmaEngineOptions options)
    {
        var ids = new HashSet<string>(result.Rules.Select(r => r.Id).Concat(result.Correlations.Select(c => c.Id)), StringComparer.OrdinalIgnoreCase);
        foreach (var file in RuleFiles(root, result.Failures))
        {
            string text;
            try
            {
                var info = new FileInfo(file);
                if (info.Length > DetectionRules.MaxBytes)
                {
                    result.Failures.Add(new SigmaLoadFailure(file, $"the file is larger than {DetectionRules.MaxBytes / 1024 / 1024} MB."));
                    continue;
                }

                text = File.ReadAllText(file);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                result.Failures.Add(new SigmaLoadFailure(file, "the file cannot be read: " + exception.Message));
                continue;
            }

            if (!SigmaRuleReader.TryRead(text, file, options, out var rule, out var correlation, out var reason))
            {
                result.Failures.Add(new SigmaLoadFailure(file, reason));
            }
            else if (!ids.Add(rule?.Id ?? correlation!.Id))
            {
                result.Failures.Add(new SigmaLoadFailure(file, $"id {rule?.Id ?? correlation!.Id} is already used by another loaded rule."));
            }
            else if (rule is not null)
            {
                result.Rules.Add(rule);
            }
            else
            {
                result.Correlations.Add(correlation!);
            }
        }
    }

    private static List<string> RuleFiles(string root, List<SigmaLoadFailure> failures)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            try
            {
                foreach (var child in Directory.EnumerateDirectories(folder))
                {
                    if (!SkippedFolders.Contains(Path.GetFileName(child), StringComparer.OrdinalIgnoreCase))
                    {
                        pending.Push(child);
                    }
                }

                files.AddRange(Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                    || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                failures.Add(new SigmaLoadFailure(folder, "the folder cannot be listed: " + exception.Message));
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
