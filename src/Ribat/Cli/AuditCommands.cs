using System.CommandLine;
using Ribat.Core.Audit;
using Ribat.Core.Tenancy;

namespace Ribat.Cli;

/// <summary><c>ribat audit verify | export</c>.</summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var audit = new Command("audit", "Check and export the hash-chained audit log.");

        var expect = new Option<string?>("--expect")
        {
            Description = "A head recorded earlier (SEQ:HASH, as printed by a previous verify): also fail if that row was altered or cut off.",
            HelpName = "SEQ:HASH",
        };
        var verify = new Command("verify", "Re-compute the whole hash chain: exit 0 when intact, 1 naming the first broken row.") { expect };
        verify.SetAction((parsed, ct) =>
        {
            AuditHead? recorded = null;
            if (parsed.GetValue(expect) is { } text && !AuditHead.TryParse(text, out recorded))
            {
                return Task.FromResult(CliOutput.Fail($"--expect '{text}' is not SEQ:HASH (a row number, a colon and 64 hex digits)."));
            }

            return AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
            {
                var result = await admin.Get<VerifyAuditChain>().RunAsync(recorded, ct);
                if (!result.Intact)
                {
                    Console.Out.WriteLine($"Audit log BROKEN at row {result.BrokenAt}: {result.Problem}. {result.Rows} row(s) before it verify.");
                    return ExitCodes.Refused;
                }

                Console.Out.WriteLine($"Audit log intact: {result.Rows} row(s); head {result.Head}");
                return ExitCodes.Ok;
            });
        });
        audit.Subcommands.Add(verify);

        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of stdout.", HelpName = "FILE" };
        var export = new Command("export", "Export every audit row, oldest first, as JSON lines.") { output };
        export.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var file = parsed.GetValue(output);
            Stream target;
            try
            {
                target = file is null ? Console.OpenStandardOutput() : file.Create();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return CliOutput.Fail($"cannot write {file!.FullName}: {ex.Message}");
            }

            await using (target)
            {
                var written = await admin.Get<AuditLog>().ExportAsync(Actor.Operator, new AuditQuery(), target, ct);
                if (written.Error is { } failed)
                {
                    return CliOutput.Fail(failed);
                }

                if (file is not null)
                {
                    Console.Out.WriteLine($"Exported {written.Value} row(s) to {file.FullName}");
                }
            }

            return ExitCodes.Ok;
        }));
        audit.Subcommands.Add(export);
        return audit;
    }
}
