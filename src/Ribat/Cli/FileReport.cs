using System.Globalization;
using System.Text.Json;
using Ribat.Forensics.Detection.Yara;
using Ribat.Forensics.Files;

namespace Ribat.Cli;

/// <summary>Prints <c>ribat analyze file</c> results as JSON (snake_case, one object per file) or as readable blocks.</summary>
internal static class FileReport
{
    public static string Problem(YaraCompileProblem problem) =>
        problem.File.Length == 0 ? problem.Message
        : problem.Line > 0 ? $"{problem.File}({problem.Line}): {problem.Message}"
        : $"{problem.File}: {problem.Message}";

    public static void WriteJson(IReadOnlyList<FileResult> results, IReadOnlyList<YaraCompileProblem> problems, Stream output)
    {
        var document = new
        {
            Files = results.Select(r => FileReportJson.Shape(r.Path, r.Analysis, r.Error, r.Yara)).ToList(),
            RuleProblems = problems,
        };
        using (output)
        {
            JsonSerializer.Serialize(output, document, FileReportJson.Options);
            output.WriteByte((byte)'\n');
        }
    }

    public static void WriteTable(IReadOnlyList<FileResult> results, TextWriter output)
    {
        foreach (var result in results)
        {
            output.WriteLine($"== {result.Path}");
            if (result.Analysis is not { } a)
            {
                output.WriteLine($"error       {result.Error}");
                output.WriteLine();
                continue;
            }

            output.WriteLine($"type        {a.Type.Type} ({a.Type.Description}), {a.Type.MediaType}");
            output.WriteLine($"size        {a.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes, entropy {a.Entropy.ToString("0.000", CultureInfo.InvariantCulture)} bits/byte");
            Line(output, "md5", a.Hashes.Md5);
            Line(output, "sha1", a.Hashes.Sha1);
            Line(output, "sha256", a.Hashes.Sha256);
            Line(output, "sha512", a.Hashes.Sha512);
            Line(output, "ssdeep", a.Hashes.Ssdeep);
            Line(output, "pe", a.PeProblem is null ? null : $"not readable as PE: {a.PeProblem}");
            if (a.Pe is { } pe)
            {
                WritePe(pe, output);
            }

            foreach (var indicator in a.Strings.Indicators)
            {
                output.WriteLine($"indicator   {indicator.Type} {indicator.Value} (at 0x{indicator.Offset:X})");
            }

            output.WriteLine($"strings     {a.Strings.Count.ToString("N0", CultureInfo.InvariantCulture)}");
            foreach (var found in a.Strings.Listed ?? [])
            {
                output.WriteLine($"  0x{found.Offset:X8} {(found.Encoding == "ascii" ? "a" : "u")} {found.Value}");
            }

            WriteYara(result.Yara, output);
            output.WriteLine();
        }
    }

    private static void WritePe(PeReport pe, TextWriter output)
    {
        var compiled = pe.CompiledAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
        output.WriteLine($"pe          {pe.Format} {pe.Machine} {pe.Subsystem}, entry 0x{pe.EntryPoint:X}, image base 0x{pe.ImageBase:X}");
        output.WriteLine($"compiled    {compiled}{(pe.TimestampNote is null ? "" : $" (timestamp {pe.TimestampNote})")}");
        output.WriteLine($"flags       {string.Join(' ', pe.Characteristics.Concat(pe.DllCharacteristics))}");
        foreach (var s in pe.Sections)
        {
            var entropy = s.Entropy?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";
            output.WriteLine($"section     {s.Name,-8} va 0x{s.VirtualAddress:X8} vsize 0x{s.VirtualSize:X8} raw 0x{s.RawOffset:X8} rsize 0x{s.RawSize:X8} entropy {entropy,5} {string.Join(' ', s.Characteristics)}");
        }

        foreach (var import in pe.Imports)
        {
            output.WriteLine($"import      {import.Dll}: {string.Join(", ", import.Functions)}");
        }

        Line(output, "imphash", pe.Imphash);
        if (pe.Exports is { } exports)
        {
            foreach (var export in exports.Functions)
            {
                output.WriteLine($"export      {export.Ordinal,5} {export.Name ?? "-"} 0x{export.Rva:X}{(export.Forwarder is null ? "" : " -> " + export.Forwarder)}");
            }
        }

        foreach (var r in pe.Resources)
        {
            output.WriteLine($"resource    {r.Type}/{r.Name} language {r.Language}, {r.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }

        Line(output, "signature", pe.Signature is { } sig ? $"{sig.CertificateType}, {sig.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes at 0x{sig.Offset:X} (present, not verified)" : "none");
        Line(output, "overlay", pe.OverlaySize > 0 ? $"{pe.OverlaySize.ToString("N0", CultureInfo.InvariantCulture)} bytes at 0x{pe.OverlayOffset:X}" : null);
        foreach (var anomaly in pe.Anomalies)
        {
            output.WriteLine($"anomaly     {anomaly}");
        }
    }

    private static void WriteYara(YaraScanResult? yara, TextWriter output)
    {
        if (yara is null)
        {
            return;
        }

        Line(output, "yara", yara.Error is null ? $"{yara.Matches.Count} rule(s) matched" : $"not scanned: {yara.Error}");
        foreach (var match in yara.Matches)
        {
            var tags = match.Tags.Count == 0 ? "" : $" [{string.Join(',', match.Tags)}]";
            var meta = match.Meta.Count == 0 ? "" : " " + string.Join(' ', match.Meta.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}"));
            output.WriteLine($"  {match.Rule}{tags} ({match.Namespace}){meta}");
            foreach (var s in match.Strings)
            {
                output.WriteLine($"    0x{s.Offset:X} {s.Identifier} ({s.Length} bytes) {s.Preview}");
            }
        }

        foreach (var warning in yara.Warnings)
        {
            output.WriteLine($"  warning: {warning}");
        }
    }

    private static void Line(TextWriter output, string label, string? value)
    {
        if (value is not null)
        {
            output.WriteLine($"{label,-11} {value}");
        }
    }
}
