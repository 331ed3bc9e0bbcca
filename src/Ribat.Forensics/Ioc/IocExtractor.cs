namespace Ribat.Forensics.Ioc;

/// <summary>
/// Finds observables in free text (advisories, e-mails, chat logs, pasted reports), one line at a time.
/// Every value is reported once per (type, canonical value), at its first position.
/// </summary>
public static class IocExtractor
{
    public static IocExtraction Extract(TextReader reader, IocExtractorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= IocExtractorOptions.Default;
        var lines = new BoundedLineReader(reader, options.MaxLineLength);
        var found = new List<ExtractedObservable>();
        var skipped = new List<SkippedLine>();
        var seen = new HashSet<(ObservableType, string)>();
        var origins = new List<int>();
        var scanner = new LineScanner();
        while (lines.TryReadLine(out var line, out var skippedLength))
        {
            if (line is null)
            {
                skipped.Add(new SkippedLine(lines.LineNumber, skippedLength,
                    $"line is {skippedLength} characters, longer than the {options.MaxLineLength} allowed."));
                continue;
            }

            if (found.Count >= options.MaxObservables)
            {
                continue;
            }

            origins.Clear();
            var text = options.Refang ? Defang.Refang(line, origins) : line;
            var map = ReferenceEquals(text, line) ? null : origins;
            foreach (var hit in scanner.Scan(text, options.IncludeUrlHosts))
            {
                if ((options.Types is not null && !options.Types.Contains(hit.Value.Type)) || !seen.Add((hit.Value.Type, hit.Value.Value)))
                {
                    continue;
                }

                var start = map is null ? hit.Start : map[hit.Start];
                var end = map is null ? hit.End : map[hit.End];
                found.Add(new ExtractedObservable(hit.Value.Type, hit.Value.Value, hit.Value.Display, lines.LineNumber, start + 1, line[start..end]));
                if (found.Count >= options.MaxObservables)
                {
                    break;
                }
            }
        }

        return new IocExtraction(found, skipped, lines.LineNumber);
    }

    public static IocExtraction Extract(string text, IocExtractorOptions? options = null) =>
        Extract(new StringReader(text), options);
}
