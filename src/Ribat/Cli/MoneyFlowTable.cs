using System.Globalization;
using Ribat.Forensics.Finance;

namespace Ribat.Cli;

/// <summary>The money-flow graph as two aligned tables: flows (one line per currency), then accounts.</summary>
internal static class MoneyFlowTable
{
    public static void Write(TextWriter output, MoneyFlowGraph graph, int files, int refused)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{graph.Transfers} transfers from {files} file{(files == 1 ? "" : "s")}: {graph.Nodes.Count} accounts, {graph.Flows.Count} flows, {refused} rows refused."));
        output.WriteLine();
        var flows = new List<string[]> { new[] { "FROM", "TO", "AMOUNT", "CURRENCY", "COUNT", "FIRST", "LAST" } };
        foreach (var flow in graph.Flows)
        {
            foreach (var total in flow.Totals)
            {
                flows.Add([flow.From.Display, flow.To.Display, MoneyFlowDot.Amount(total.Amount), total.Currency,
                    total.Count.ToString(CultureInfo.InvariantCulture), Date(flow.First), Date(flow.Last)]);
            }
        }

        Print(output, flows);
        output.WriteLine();
        var accounts = new List<string[]> { new[] { "ACCOUNT", "KIND", "TRANSFERS", "RECEIVED", "SENT" } };
        foreach (var node in graph.Nodes)
        {
            accounts.Add([node.Party.Display, node.Party.Kind, node.Transfers.ToString(CultureInfo.InvariantCulture), Totals(node.Received), Totals(node.Sent)]);
        }

        Print(output, accounts);
    }

    private static string Totals(IReadOnlyList<CurrencyTotal> totals) =>
        totals.Count == 0 ? "-" : string.Join("; ", totals.Select(t => $"{MoneyFlowDot.Amount(t.Amount)} {t.Currency}"));

    private static string Date(DateTimeOffset? value) =>
        value is { } date ? date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    private static void Print(TextWriter output, List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
