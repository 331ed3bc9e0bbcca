using System.Text.Json;
using Ribat.Forensics.Detection.Yara;

namespace Ribat.Forensics.Files;

/// <summary>
/// A file's analysis as JSON (snake_case): the shape <c>ribat analyze file --format json</c> prints per file and the
/// server keeps as a finding, so both say the same thing in the same words.
/// </summary>
public static class FileReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static object Shape(string path, FileAnalysis? analysis, string? error, YaraScanResult? yara)
    {
        var a = analysis;
        return new
        {
            Path = path,
            Error = error,
            a?.Size,
            Type = a?.Type.Type,
            Description = a?.Type.Description,
            MediaType = a?.Type.MediaType,
            Entropy = a is null ? (double?)null : Math.Round(a.Entropy, 6),
            a?.Hashes.Md5,
            a?.Hashes.Sha1,
            a?.Hashes.Sha256,
            a?.Hashes.Sha512,
            a?.Hashes.Ssdeep,
            a?.Pe,
            a?.PeProblem,
            Strings = a is null ? null : new { a.Strings.Count, a.Strings.Listed },
            Indicators = a?.Strings.Indicators,
            Yara = yara is null ? null : new
            {
                Matches = yara.Matches.Select(m => new
                {
                    m.Rule,
                    m.Namespace,
                    m.Tags,
                    Meta = m.Meta.ToDictionary(p => p.Key, p => p.Value),
                    m.Strings,
                }),
                yara.Error,
                yara.Warnings,
            },
        };
    }
}
