using System.Globalization;
using System.Text;

namespace Ribat.Forensics.Finance;

/// <summary>
/// The graph in Graphviz DOT: one node per account (labelled with its kind and display form, shaped by kind), one
/// edge per flow labelled with its totals and count. Every id and label is a quoted, escaped string, so no account
/// text can change the graph's structure.
/// </summary>
public static class MoneyFlowDot
{
    public static void Write(TextWriter output, MoneyFlowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(graph);
        output.WriteLine("digraph money_flow {");
        output.WriteLine("  rankdir=LR;");
        output.WriteLine("  node [fontname=\"Helvetica\"];");
        foreach (var node in graph.Nodes)
        {
            var shape = node.Party.Kind switch
            {
                "iban" => "box",
                MoneyParty.OpaqueKind => "ellipse",
                _ => "hexagon",
            };
            output.WriteLine($"  {Quote(node.Party.ToString())} [shape={shape}, label={Quote($"{node.Party.Display}\n{node.Party.Kind}")}];");
        }

        foreach (var flow in graph.Flows)
        {
            var totals = string.Join("\n", flow.Totals.Select(t => $"{Amount(t.Amount)} {t.Currency}"));
            output.WriteLine($"  {Quote(flow.From.ToString())} -> {Quote(flow.To.ToString())} [label={Quote($"{totals}\n{flow.Count} transfer{(flow.Count == 1 ? "" : "s")}")}];");
        }

        output.WriteLine("}");
    }

    public static string Amount(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder,
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}
