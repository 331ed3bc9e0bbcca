using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

/// <summary>
/// Lines the plain reader takes must read exactly as through <see cref="Utf8JsonReader"/>, and every line it gives up on
/// (escapes, non-ASCII text, deep nesting, any malformation) must still be read, or skipped for the same reason, by it.
/// </summary>
public class JsonLinesPlainReaderTests
{
    [Fact]
    public void Corpus_generated_and_mutated_lines_read_the_same_with_and_without_the_plain_reader()
    {
        var random = new Random(20261123);
        var lines = new List<byte[]>();
        foreach (var line in SeedLines())
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            lines.Add(bytes);
            for (var m = 0; m < 40; m++)
            {
                lines.Add(Mutate(bytes, random));
            }
        }

        var plain = new JsonLineParser("t.jsonl", new LogReadOptions());
        var full = new JsonLineParser("t.jsonl", new LogReadOptions()) { UseFastPath = false };
        var read = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var (plainOk, plainReason, plainEvents) = Parse(plain, lines[i], i);
            var (fullOk, fullReason, fullEvents) = Parse(full, lines[i], i);
            var because = Encoding.UTF8.GetString(lines[i]);
            plainOk.Should().Be(fullOk, because);
            plainReason.Should().Be(fullReason, because);
            plainEvents.Should().Equal(fullEvents, because);
            read += plainOk ? 1 : 0;
        }

        read.Should().BeGreaterThan(lines.Count / 10, "mutations leave many lines valid");
    }

    [Theory]
    [InlineData("{}", "")]
    [InlineData("{\"a\":[]}", "")]
    [InlineData("{\"a\":{},\"b\":null}", "b=")]
    [InlineData(" {\"n\":-0.5e+3 , \"t\":true,\"f\":false}\t", "n=-0.5e+3|t=true|f=false")]
    [InlineData("{\"a\":[1,[2,{\"b\":3}],\"x\"]}", "a.0=1|a.1.0=2|a.1.1.b=3|a.2=x")]
    [InlineData("{\"k\":\"caf\u00e9\",\"e\":\"a\\\"b\"}", "k=caf\u00e9|e=a\"b")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":1}}}}}}}}}}}}}}}}}", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q=1")]
    public void Plain_and_other_lines_flatten_as_documented(string line, string expected)
    {
        var (events, report) = LogText.Read(line + "\n");
        report.SkippedTotal.Should().Be(0);
        string.Join("|", events.Single().Fields.Select(f => f.Name + "=" + f.Value)).Should().Be(expected);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 \"b\":2}")]
    [InlineData("{\"a\":[1,]}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":1.}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":truex}")]
    [InlineData("{\"a\":\"x\u0001\"}")]
    [InlineData("{\"a\":1}x")]
    [InlineData("{\"a\":1}}")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{a:1}")]
    [InlineData("{\"a\":[1}")]
    [InlineData("{\"a\":/*c*/1}")]
    public void Malformed_lines_are_skipped_as_invalid_json(string line)
    {
        var (events, report) = LogText.Read(line + "\n{\"ok\":1}\n");
        events.Should().ContainSingle().Which.Fields.Should().Equal(new LogField("ok", "1"));
        report.SkippedTotal.Should().Be(1);
    }

    [Fact]
    public void A_huge_line_of_many_short_strings_reads_in_linear_time()
    {
        var text = new StringBuilder("{\"a\":[");
        for (var i = 0; i < 150_000; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("\"v\"");
        }

        text.Append("]}\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (events, _) = LogText.Read(text.ToString());
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        events.Single().Fields.Should().HaveCount(150_000);
    }

    private static (bool Ok, string? Reason, List<string> Events) Parse(JsonLineParser parser, byte[] line, long number)
    {
        var events = new List<LogEvent>();
        var ok = parser.TryParse(line, number, events, out var reason);
        return (ok, reason, [.. events.Select(e => $"{e.RecordId} {e.Timestamp:O} " + string.Join("|", e.Fields.Select(f => f.Name + "=" + (f.Value ?? "<null>"))))]);
    }

    private static IEnumerable<string> SeedLines()
    {
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var file in Directory.EnumerateFiles(SharedCorpus.Path("sigma", "regression_data"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(40))
        {
            foreach (var element in Values(File.ReadAllBytes(file)))
            {
                yield return JsonSerializer.Serialize(element, relaxed);
                yield return JsonSerializer.Serialize(element);
            }
        }

        yield return "{\"@timestamp\":\"2024-05-01T10:00:00.000Z\",\"event\":{\"kind\":\"event\",\"category\":[\"network\",\"web\"]},\"source\":{\"ip\":\"200.66.144.153\",\"port\":62893},\"user\":{\"name\":\"root\"},\"http\":{\"request\":{\"method\":\"GET\"},\"response\":{\"status_code\":404}},\"url\":{\"path\":\"/index.html\"},\"message\":\"request 0 served\"}";
        yield return "{\"ts\":1714557600.5,\"a\":[{\"b\":null},{\"c\":[true,false,-1E-2]}],\"s\":\"<Event xmlns='x'><System><EventID>1</EventID></System></Event>\"}";
        yield return "{\"Records\":[{\"eventTime\":\"2024-05-01T10:00:00Z\",\"eventName\":\"x\"}]}";
        yield return "{ \"x\" : \"y\" ,\r\n \"z\" : [ ] , \"w\" : { } }";
    }

    /// <summary>Each JSON value of a file: some captures hold several events one after the other.</summary>
    private static List<JsonElement> Values(byte[] json)
    {
        var values = new List<JsonElement>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            values.Add(document.RootElement.Clone());
        }

        return values;
    }

    /// <summary>Truncates, flips a byte, or inserts a byte the JSON grammar cares about.</summary>
    private static byte[] Mutate(byte[] line, Random random)
    {
        var bytes = new List<byte>(line);
        var at = random.Next(bytes.Count + 1);
        byte[] interesting = [(byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)' ', (byte)'0', (byte)'-',
            (byte)'e', (byte)'.', (byte)'t', (byte)'n', 0x01, 0x7F, 0xC3, 0xA9, 0xFF, (byte)'\r'];
        switch (random.Next(4))
        {
            case 0:
                return [.. bytes.Take(at)];
            case 1 when at < bytes.Count:
                bytes[at] = interesting[random.Next(interesting.Length)];
                break;
            case 2 when at < bytes.Count:
                bytes.RemoveAt(at);
                break;
            default:
                bytes.Insert(at, interesting[random.Next(interesting.Length)]);
                break;
        }

        return [.. bytes];
    }
}
