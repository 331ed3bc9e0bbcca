using System.CommandLine;
using Ribat.Core.Evidence;

namespace Ribat.Cli;

/// <summary><c>ribat evidence verify [--case ID]</c>.</summary>
internal static class EvidenceCommands
{
    public static Command Create()
    {
        var evidence = new Command("evidence", "Check the evidence store and the chains of custody.");
        var caseId = new Option<Guid?>("--case") { Description = "Verify only this case's items (its id).", HelpName = "ID" };
        var verify = new Command("verify",
            "Re-hash every stored evidence file and re-compute every custody chain: exit 0 when all are whole, 1 naming each broken item and entry.") { caseId };
        verify.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var result = await admin.Get<VerifyEvidence>().RunAsync(parsed.GetValue(caseId), ct);
            foreach (var problem in result.Problems)
            {
                var entry = problem.Entry is { } n ? $", entry {n}" : string.Empty;
                Console.Out.WriteLine($"BROKEN item {problem.ItemId} ({problem.FileName}, {(problem.IncidentId is { } incident ? $"incident {incident}" : $"case {problem.CaseId}")}){entry}: {problem.Problem}");
            }

            var items = $"{result.Items} item(s), {result.Entries} custody entr{(result.Entries == 1 ? "y" : "ies")}";
            if (!result.Intact)
            {
                var broken = result.Problems.Select(p => p.ItemId).Distinct().Count();
                Console.Out.WriteLine($"Evidence BROKEN: {broken} of {items} fail verification.");
                return ExitCodes.Refused;
            }

            Console.Out.WriteLine($"Evidence intact: {items}; every file matches its acquisition hashes and every chain links.");
            return ExitCodes.Ok;
        }));
        evidence.Subcommands.Add(verify);
        return evidence;
    }
}
