using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ribat.Forensics.Finance;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat analyze money</c>: reads transaction exports (CSV from exchanges, banks, block explorers) on the spot and
/// prints the money-flow graph between the accounts and wallets in them. Nothing is stored.
/// </summary>
internal static class MoneyCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "CSV exports with a header row (comma, semicolon or tab), merged into one graph.", Arity = ArgumentArity.OneOrMore };
        var map = new Option<string?>("--map") { Description = $"Which columns hold what, by header name: from=COL,to=COL,amount=COL and optionally currency=COL,date=COL,txid=COL. Without it the columns are recognised by their names (from/sender/payer/debtor, to/recipient/payee/beneficiary, amount/value, currency/asset, date/timestamp, txid/hash).", HelpName = "ROLE=COLUMN,..." };
        var currency = new Option<string?>("--currency") { Description = "The currency of rows that name none (e.g. BTC for a block explorer's export of one wallet).", HelpName = "CODE" };
        var format = new Option<string>("--format") { Description = "table (default), json or dot (Graphviz).", DefaultValueFactory = _ => "table", HelpName = "FORMAT" };
        var command = new Command("money",
            "Build a money-flow graph from transaction exports: accounts and wallets as nodes (typed: iban, btc-address, eth-address, " +
            "tron-address, ltc-address, xmr-address when the text validates as one, otherwise account), one flow per payer and payee " +
            "with totals per currency, count and first and last date, and what each account received and sent. A negative amount is " +
            "money going the other way. Rows that cannot be read are refused whole and listed with file, line, column and reason " +
            "(on stderr, or under issues in JSON); the other rows are kept. A file that is missing, has no header or whose columns " +
            "cannot be recognised stops everything with exit code 2, as does a run in which no row could be read.")
        {
            files, map, currency, format,
        };
        command.SetAction(parsed =>
        {
            var output = parsed.GetValue(format)!.ToLowerInvariant();
            if (output is not ("table" or "json" or "dot"))
            {
                return CliOutput.Fail($"--format must be table, json or dot, not '{parsed.GetValue(format)}'.");
            }

            MoneyColumnMapping? mapping = null;
            if (parsed.GetValue(map) is { } mapText && !MoneyColumnMapping.TryParse(mapText, null, out mapping, out var mapProblem))
            {
                return CliOutput.Fail($"--map: {mapProblem}");
            }

            var options = new MoneyReadOptions { Currency = parsed.GetValue(currency) };
            var paths = parsed.GetValue(files)!;
            foreach (var path in paths)
            {
                if (Directory.Exists(path))
                {
                    return CliOutput.Fail($"{path} is a folder; name the export files in it.");
                }

                if (!File.Exists(path))
                {
                    return CliOutput.Fail($"{path} does not exist.");
                }
            }

            // Transfers go straight into the graph as they are read: memory follows the accounts, not the rows.
            var builder = new MoneyFlowBuilder();
            var issues = new List<MoneyIssue>();
            foreach (var path in paths)
            {
                MoneyImport import;
                try
                {
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    import = TransferReader.Read(stream, path, mapping, options, builder.Add);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return CliOutput.Fail($"cannot read {path}: {ex.Message}");
                }

                if (!import.Succeeded)
                {
                    return CliOutput.Fail(import.Issues[0].ToString());
                }

                issues.AddRange(import.Issues);
            }

            if (builder.Transfers == 0)
            {
                WriteIssues(issues);
                return CliOutput.Fail(issues.Count == 0 ? "the exports hold no rows." : $"no row could be read ({issues.Count} refused).");
            }

            var graph = builder.Build();
            switch (output)
            {
                case "json":
                    using (var stdout = Console.OpenStandardOutput())
                    using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                    {
                        MoneyFlowJson.Write(json, graph, paths, issues);
                    }

                    Console.Out.WriteLine();
                    break;
                case "dot":
                    MoneyFlowDot.Write(Console.Out, graph);
                    WriteIssues(issues);
                    break;
                default:
                    MoneyFlowTable.Write(Console.Out, graph, paths.Length, issues.Count);
                    WriteIssues(issues);
                    break;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteIssues(List<MoneyIssue> issues)
    {
        foreach (var issue in issues)
        {
            Console.Error.WriteLine($"ribat: refused {issue.ToString().ReplaceLineEndings(" ")}");
        }
    }
}
