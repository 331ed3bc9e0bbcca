using System.CommandLine;
using Ribat.Core.Federation;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Forensics.Exchange;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat intel import | export</c>: the node operator moves indicator files in and out for one organisation,
/// under that organisation's sharing view. The operator acts as an organisation administrator of it, and the
/// audit log names the shell as the actor.
/// </summary>
internal static class IntelCommands
{
    public static Command Create()
    {
        var intel = new Command("intel", "Import and export indicators for an organisation (STIX 2.1, MISP JSON, CSV, text lists, block lists).");
        intel.Subcommands.Add(Import());
        intel.Subcommands.Add(Export());
        return intel;
    }

    private static Option<string> Org() => new("--org") { Description = "The organisation the indicators belong to (or are exported for), by name.", Required = true, HelpName = "NAME" };

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to import." };
        var org = Org();
        var format = new Option<string>("--format") { Description = "stix (a STIX 2.1 bundle: every object kept), misp, csv or text.", Required = true, HelpName = "FORMAT" };
        var tlp = new Option<string?>("--tlp") { Description = "TLP for rows and events without their own TLP tag (default AMBER).", HelpName = "LEVEL" };
        var pap = new Option<string?>("--pap") { Description = "PAP (default AMBER).", HelpName = "LEVEL" };
        var distribution = new Option<string?>("--distribution") { Description = "organisation-only (default), community or connected-communities.", HelpName = "WHO" };
        var type = new Option<string?>("--type") { Description = "For text lists: every line is this type (default: decided by each line's shape).", HelpName = "TYPE" };
        var valueColumn = new Option<string?>("--value-column") { Description = "For CSV: the column holding the value (default: guessed from the header).", HelpName = "NAME" };
        var typeColumn = new Option<string?>("--type-column") { Description = "For CSV: the column holding each row's type.", HelpName = "NAME" };
        var allOrNothing = new Option<bool>("--all-or-nothing") { Description = "Write nothing when any row is bad." };
        var import = new Command("import", "Import a file as indicators; bad rows are listed by line and the rest kept (exit 1 when any row was refused).")
        {
            file, org, format, tlp, pap, distribution, type, valueColumn, typeColumn, allOrNothing,
        };
        import.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var path = parsed.GetValue(file)!;
            if (!path.Exists)
            {
                return CliOutput.Fail($"{path.FullName} does not exist.");
            }

            var actor = await ActorForAsync(admin, parsed.GetValue(org)!, ct);
            if (actor is null)
            {
                return CliOutput.Fail($"No organisation is named '{parsed.GetValue(org)}'.");
            }

            if (string.Equals(parsed.GetValue(format), "stix", StringComparison.OrdinalIgnoreCase))
            {
                return await ImportStixAsync(admin, actor, path, new SharingTermsInput(parsed.GetValue(tlp), parsed.GetValue(pap), parsed.GetValue(distribution)), ct);
            }

            CsvColumnMapping? mapping = null;
            if (string.Equals(parsed.GetValue(format), "csv", StringComparison.OrdinalIgnoreCase))
            {
                await using var head = path.OpenRead();
                var preview = await CsvIndicatorReader.PreviewAsync(head, 1, cancellationToken: ct);
                mapping = parsed.GetValue(valueColumn) is { } value
                    ? new CsvColumnMapping { ValueColumn = value, TypeColumn = parsed.GetValue(typeColumn) }
                    : preview.SuggestedMapping;
                if (mapping is null)
                {
                    return CliOutput.Fail($"No column of the header ({string.Join(", ", preview.Header)}) looks like a value column; name it with --value-column.");
                }
            }

            await using var content = path.OpenRead();
            var sharing = new SharingTermsInput(parsed.GetValue(tlp), parsed.GetValue(pap), parsed.GetValue(distribution));
            var outcome = await admin.Get<ImportIndicators>().HandleAsync(actor, content,
                new ImportRequest(parsed.GetValue(format), sharing, null, parsed.GetValue(allOrNothing), mapping, parsed.GetValue(type)), ct);
            if (outcome.Error is { } failed)
            {
                return CliOutput.Fail(failed);
            }

            var result = outcome.Value!;
            foreach (var issue in result.Issues)
            {
                Console.Error.WriteLine($"ribat: {path.Name}: {issue}");
            }

            Console.Out.WriteLine($"Imported {result.Recorded} indicator(s) from {path.Name}: {result.Duplicates} already held, {result.Issues.Count} refused, {result.Skipped.Count} skipped, {result.Warnings.Count} on a warning list.");
            return result.Issues.Count == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        }));
        return import;
    }

    private static Command Export()
    {
        var org = Org();
        var format = new Option<string>("--format") { Description = "stix (a STIX 2.1 bundle of every object the organisation may see; --type is a STIX type), csv, misp, plain, hosts, suricata, snort, rpz, or rules (with --type sigma|yara|suricata|snort: the rule texts as one file).", Required = true, HelpName = "FORMAT" };
        var type = new Option<string?>("--type") { Description = "Only this indicator type.", HelpName = "TYPE" };
        var shareable = new Option<bool>("--shareable-only") { Description = "Only what the organisation may pass on (TLP, H2/H3 and distribution respected)." };
        var inactive = new Option<bool>("--include-inactive") { Description = "CSV and MISP: also expired, false-positive, warning-listed and context-only rows." };
        var action = new Option<string?>("--rule-action") { Description = "Suricata and Snort: alert (default) or drop.", HelpName = "ACTION" };
        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of stdout.", HelpName = "FILE" };
        var export = new Command("export", "Export what the organisation may see.") { org, format, type, shareable, inactive, action, output };
        export.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var actor = await ActorForAsync(admin, parsed.GetValue(org)!, ct);
            if (actor is null)
            {
                return CliOutput.Fail($"No organisation is named '{parsed.GetValue(org)}'.");
            }

            var file = parsed.GetValue(output);
            var buffer = new MemoryStream();
            if (string.Equals(parsed.GetValue(format), "stix", StringComparison.OrdinalIgnoreCase))
            {
                var bundle = await admin.Get<ExportStix>().HandleAsync(actor, new ExportStixRequest(parsed.GetValue(type), parsed.GetValue(shareable)), buffer, ct);
                if (bundle.Error is { } refused)
                {
                    return CliOutput.Fail(refused);
                }

                if (await WriteAsync(buffer, file, ct) is { } unwritable)
                {
                    return unwritable;
                }

                (file is null ? Console.Error : Console.Out).WriteLine($"Exported {bundle.Value!.Written} STIX object(s); {bundle.Value.Withheld} withheld by policy.");
                return ExitCodes.Ok;
            }

            var exported = await admin.Get<ExportIndicators>().HandleAsync(actor,
                new ExportRequest(parsed.GetValue(format), parsed.GetValue(type), null, parsed.GetValue(shareable), parsed.GetValue(inactive), parsed.GetValue(action)), buffer, ct);
            if (exported.Error is { } failed)
            {
                return CliOutput.Fail(failed);
            }

            if (await WriteAsync(buffer, file, ct) is { } failedWrite)
            {
                return failedWrite;
            }

            var result = exported.Value!;
            var summary = $"Exported {result.Written} indicator(s) as {result.Format}; {result.Withheld} withheld by policy or not fit for the format, {result.Unsupported} the format cannot express.";
            (file is null ? Console.Error : Console.Out).WriteLine(summary);
            return ExitCodes.Ok;
        }));
        return export;
    }

    private static async Task<int?> WriteAsync(MemoryStream buffer, FileInfo? file, CancellationToken ct)
    {
        try
        {
            await using var target = file is null ? Console.OpenStandardOutput() : file.Create();
            buffer.Position = 0;
            await buffer.CopyToAsync(target, ct);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CliOutput.Fail($"cannot write {file?.FullName ?? "stdout"}: {ex.Message}");
        }
    }

    /// <summary>A STIX bundle, checked whole: any broken MUST refuses it (exit 2); unresolved references are findings (exit 1).</summary>
    private static async Task<int> ImportStixAsync(AdminContext admin, Actor actor, FileInfo path, SharingTermsInput sharing, CancellationToken ct)
    {
        if (path.Length > ImportStix.MaxBytes)
        {
            return CliOutput.Fail($"{path.Name} is {path.Length:N0} bytes; at most {ImportStix.MaxBytes:N0} are imported at once.");
        }

        var bytes = await File.ReadAllBytesAsync(path.FullName, ct);
        var outcome = await admin.Get<ImportStix>().HandleAsync(actor, bytes, new ImportStixRequest(sharing), ct);
        if (outcome.Error is { } failed)
        {
            return failed.Fields?.Values.FirstOrDefault() is { Length: > 0 } issues
                ? CliOutput.Fail($"{path.Name}: {issues[0]} ({issues.Length} error(s) listed by the API; nothing imported)", ExitCodes.For(failed))
                : CliOutput.Fail(failed);
        }

        var result = outcome.Value!;
        foreach (var missing in result.MissingReferences)
        {
            Console.Error.WriteLine($"ribat: {path.Name}: unresolved reference {missing}");
        }

        Console.Out.WriteLine($"Imported {result.Objects} STIX object(s) from {path.Name}: {result.Added} added, {result.AlreadyHeld} already held, {result.IndicatorsRecorded} recorded as indicators, {result.MissingReferenceCount} reference(s) unresolved.");
        return result.MissingReferenceCount == 0 ? ExitCodes.Ok : ExitCodes.Refused;
    }

    private static async Task<Actor?> ActorForAsync(AdminContext admin, string name, CancellationToken ct)
    {
        var organisation = await admin.Get<ListOrganisations>().FindByNameAsync(Actor.Operator, name, ct);
        return organisation is null ? null : new Actor(null, "operator (cli)", organisation.Id, new HashSet<string> { Roles.OrgAdmin });
    }
}
