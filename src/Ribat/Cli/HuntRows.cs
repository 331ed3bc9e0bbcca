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

    protected static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    protected static string Kind(HuntKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The event's fields as one JSON object; a name met again gets <c>_1</c>, <c>_2</c>… as the EVTX JSON does.</summary>
    protected static void WriteEvent(Utf8JsonWriter json, LogEvent logEvent)
    {
        json.WriteStartObject();
        HashSet<string>? seen = null;
        foreach (var field in logEvent.Fields)
        {
            var name = field.Name;
            seen ??= new HashSet<string>(StringComparer.Ordinal);
            for (var n = 1; !seen.Add(name); n++)
            {
                name = field.Name + "_" + n.ToString(CultureInfo.InvariantCulture);
            }

            json.WriteString(name, field.Value);
        }

        json.WriteEndObject();
    }

    private sealed class JsonRows(Stream output, bool flush, AddressEnricher? enricher) : HuntRows(output, flush)
    {
        private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        protected override void WriteRow(HuntHit hit)
        {
            var json = _json;
            json.WriteStartObject();
            json.WriteString("kind", Kind(hit.Kind));
            json.WriteString("rule_id", hit.RuleId);
            json.WriteString("rule_title", hit.RuleTitle);
            json.WriteString("level", hit.Level);
            json.WriteStartArray("tags");
            foreach (var tag in hit.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteString("timestamp", Time(hit.Event.Timestamp));
            json.WriteString("source_file", hit.Event.SourceFile);
            json.WriteNumber("record_id", hit.Event.RecordId);
            WriteExtras(json, hit);
            json.WritePropertyName("event");
            WriteEvent(json, hit.Event);
            if (enricher is not null)
            {
                WriteOrigins(json, hit.Event, enricher);
            }

            json.WriteEndObject();
            json.Flush();
            Output.WriteByte((byte)'\n');
            json.Reset(Output);
        }

        /// <summary>
        /// <c>origins</c>: each distinct address that is a field's whole value, with what the databases know of it;
        /// addresses they know nothing of are left out.
        /// </summary>
        private static void WriteOrigins(Utf8JsonWriter json, LogEvent logEvent, AddressEnricher enricher)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            json.WriteStartObject("origins");
            foreach (var field in logEvent.Fields)
            {
                if (field.Value is not { } value || !IsAddress(value, out var address) || !seen.Add(value))
                {
                    continue;
                }

                var origin = enricher.Lookup(address);
                if (origin != AddressOrigin.Unknown)
                {
                    json.WriteStartObject(value);
                    EnrichCommand.WriteOrigin(json, origin);
                    json.WriteEndObject();
                }
            }

            json.WriteEndObject();
        }

        /// <summary>An address as the indicator store reads one (no "1.2" shorthand), so hunts and indicators agree.</summary>
        private static bool IsAddress(string value, out IPAddress address)
        {
            address = IPAddress.None;
            if (value.Length > 64
                || !(Observables.TryCanonicalise(ObservableType.IPv4, value, out var canonical, out _)
                    || Observables.TryCanonicalise(ObservableType.IPv6, value, out canonical, out _)))
            {
                return false;
            }

            address = IPAddress.Parse(canonical.Value);
            return true;
        }

        private static void WriteExtras(Utf8JsonWriter json, HuntHit hit)
        {
            if (hit.Kind == HuntKind.Ioc)
            {
                json.WriteString("indicator", hit.Indicator);
                json.WriteString("indicator_type", hit.IndicatorType);
                json.WriteString("indicator_id", hit.IndicatorId);
                json.WriteString("field", hit.Field);
            }
            else if (hit.Kind is HuntKind.Correlation or HuntKind.Access)
            {
                json.WriteNumber("event_count", hit.EventCount);
                if (hit.Kind == HuntKind.Correlation)
                {
                    json.WriteString("group_key", hit.GroupKey);
                }
            }
            else if (hit.Kind == HuntKind.Event)
            {
                json.WriteStartArray("matched");
                foreach (var id in hit.Matched)
                {
                    json.WriteStringValue(id);
                }

                json.WriteEndArray();
            }
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
