using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;
using Ribat.Forensics.Logs;

namespace Ribat.Cli;

/// <summary>
/// Writes hunt rows as they come: JSON lines, CSV with a header (the event as a JSON string column) or a readable table
/// of fixed-width columns (the rows are not known in advance, so widths cannot be measured).
/// </summary>
internal abstract class HuntRows(Stream output, bool flushEachRow)
{
    protected Stream Output { get; } = output;

    protected bool FlushEachRow { get; } = flushEachRow;

    /// <param name="enricher">With <c>--asn-db</c>/<c>--country-db</c>/<c>--city-db</c>: JSON rows carry the origin of every address in the event.</param>
    public static HuntRows Create(OutputFormat format, Stream output, bool flushEachRow, AddressEnricher? enricher = null) => format switch
    {
        OutputFormat.Json => new JsonRows(output, flushEachRow, enricher),
        OutputFormat.Csv => new CsvRows(output, flushEachRow),
        _ => new TableRows(output, flushEachRow),
    };

    public void Write(HuntHit hit)
    {
        WriteRow(hit);
        if (FlushEachRow)
        {
            Finish();
        }
    }

    public virtual void Finish() => Output.Flush();

    protected abstract void WriteRow(HuntHit hit);

    protected static string? Time(DateTimeOffset? time) => HuntHitJson.Time(time);

    protected static string Kind(HuntKind kind) => HuntHitJson.Kind(kind);

    protected static void WriteEvent(Utf8JsonWriter json, LogEvent logEvent) => HuntHitJson.WriteEvent(json, logEvent);

    private sealed class JsonRows(Stream output, bool flush, AddressEnricher? enricher) : HuntRows(output, flush)
    {
        private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        protected override void WriteRow(HuntHit hit)
        {
            HuntHitJson.Write(_json, hit, enricher);
            _json.Flush();
            Output.WriteByte((byte)'\n');
            _json.Reset(Output);
        }
    }

    private sealed class CsvRows : HuntRows
    {
        private const string Header = "kind,timestamp,level,rule_id,rule_title,tags,source_file,record_id,indicator,indicator_type,indicator_id,field,event_count,group_key,matched,event";
        private readonly StreamWriter _text;
        private readonly MemoryStream _event = new();

        public CsvRows(Stream output, bool flush)
            : base(output, flush)
        {
            _text = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
            _text.WriteLine(Header);
        }

        protected override void WriteRow(HuntHit hit)
        {
            string?[] cells =
            [
                Kind(hit.Kind), Time(hit.Event.Timestamp), hit.Level, hit.RuleId, hit.RuleTitle, string.Join(';', hit.Tags), hit.Event.SourceFile,
                hit.Event.RecordId.ToString(CultureInfo.InvariantCulture), hit.Indicator, hit.IndicatorType, hit.IndicatorId, hit.Field,
                hit.EventCount.ToString(CultureInfo.InvariantCulture), hit.GroupKey, string.Join(';', hit.Matched), EventJson(hit.Event),
            ];
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                {
                    _text.Write(',');
                }

                _text.Write(Quote(cells[i] ?? string.Empty));
            }

            _text.WriteLine();
        }

        public override void Finish()
        {
            _text.Flush();
            base.Finish();
        }

        private string EventJson(LogEvent logEvent)
        {
            _event.SetLength(0);
            using (var json = new Utf8JsonWriter(_event, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                WriteEvent(json, logEvent);
            }

            return Encoding.UTF8.GetString(_event.GetBuffer(), 0, (int)_event.Length);
        }

        /// <summary>RFC 4180 quoting, and a leading quote on formula-like cells so spreadsheets do not run them.</summary>
        private static string Quote(string value)
        {
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            {
                value = "'" + value;
            }

            return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        }
    }

    private sealed class TableRows : HuntRows
    {
        private readonly StreamWriter _text;

        public TableRows(Stream output, bool flush)
            : base(output, flush)
        {
            _text = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            _text.WriteLine($"{"TIME (UTC)",-20}  {"LEVEL",-13}  {"KIND",-11}  {"RULE",-60}  WHERE");
        }

        protected override void WriteRow(HuntHit hit)
        {
            var time = hit.Event.Timestamp?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
            var rule = hit.Kind switch
            {
                HuntKind.Event => hit.Matched.Count == 0 ? "" : "matched: " + string.Join(' ', hit.Matched),
                HuntKind.Ioc => $"{hit.Indicator} in {hit.Field}",
                HuntKind.Correlation or HuntKind.Access => $"{hit.RuleTitle} ({hit.EventCount} events)",
                _ => hit.RuleTitle ?? hit.RuleId ?? "",
            };
            if (rule.Length > 60)
            {
                rule = rule[..59] + "…";
            }

            var where = string.Create(CultureInfo.InvariantCulture, $"{hit.Event.SourceFile}#{hit.Event.RecordId}");
            _text.WriteLine($"{time,-20}  {hit.Level ?? "-",-13}  {Kind(hit.Kind),-11}  {rule,-60}  {where}".TrimEnd());
        }

        public override void Finish()
        {
            _text.Flush();
            base.Finish();
        }
    }
}
