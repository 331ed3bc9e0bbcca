using System.Text.Json;
using Ribat.Forensics.Exchange;

namespace Ribat.Forensics.Finance;

/// <summary>
/// The JSON form of a money-flow graph, snake_case, every field present (null when absent), amounts as JSON numbers
/// written exactly, times UTC ISO 8601. Fields are listed in the module README.
/// </summary>
public static class MoneyFlowJson
{
    public static void Write(Utf8JsonWriter json, MoneyFlowGraph graph, IReadOnlyList<string> files, IReadOnlyList<MoneyIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(issues);
        json.WriteStartObject();
        json.WriteStartArray("files");
        foreach (var file in files)
        {
            json.WriteStringValue(file);
        }

        json.WriteEndArray();
        json.WriteNumber("transfers", graph.Transfers);
        json.WriteStartArray("accounts");
        foreach (var node in graph.Nodes)
        {
            json.WriteStartObject();
            WriteParty(json, node.Party);
            json.WriteNumber("transfers", node.Transfers);
            WriteTotals(json, "received", node.Received);
            WriteTotals(json, "sent", node.Sent);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("flows");
        foreach (var flow in graph.Flows)
        {
            json.WriteStartObject();
            json.WriteString("from", flow.From.Id);
            json.WriteString("from_kind", flow.From.Kind);
            json.WriteString("to", flow.To.Id);
            json.WriteString("to_kind", flow.To.Kind);
            json.WriteNumber("count", flow.Count);
            WriteTime(json, "first", flow.First);
            WriteTime(json, "last", flow.Last);
            WriteTotals(json, "totals", flow.Totals);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("issues");
        foreach (var issue in issues)
        {
            json.WriteStartObject();
            json.WriteString("file", issue.File);
            json.WriteNumber("line", issue.Line);
            json.WriteString("column", issue.Column);
            json.WriteString("reason", issue.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteParty(Utf8JsonWriter json, MoneyParty party)
    {
        json.WriteString("id", party.Id);
        json.WriteString("kind", party.Kind);
        json.WriteString("display", party.Display);
    }

    private static void WriteTotals(Utf8JsonWriter json, string name, IReadOnlyList<CurrencyTotal> totals)
    {
        json.WriteStartArray(name);
        foreach (var total in totals)
        {
            json.WriteStartObject();
            json.WriteString("currency", total.Currency);
            json.WriteNumber("amount", total.Amount);
            json.WriteNumber("count", total.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, ExchangeDates.Format(time));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
