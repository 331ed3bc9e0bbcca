using System.Text;
using Ribat.Forensics.Exchange;
using static Ribat.Forensics.Tests.Exchange.ExchangeCorpus;

namespace Ribat.Forensics.Tests.Exchange;

/// <summary>Broken, oversized and random input: always an answer with a one-line reason, never an exception.</summary>
public class MispEventReaderHostileTests
{
    private static ImportIssue FailsWith(ImportResult<IReadOnlyList<ExchangeReport>> result)
    {
        result.Succeeded.Should().BeFalse();
        var issue = result.Issues.Should().ContainSingle().Subject;
        issue.ShouldBeOneLine();
        return issue;
    }

    [Fact]
    public void A_real_event_cut_anywhere_is_reported_as_truncated()
    {
        var bytes = Bytes("existing_event.json");
        for (var cut = 1; cut < bytes.Length - 2; cut += 499)
        {
            var issue = FailsWith(MispEventReader.Read(bytes.AsMemory(0, cut)));
            issue.Reason.Should().Contain("looks truncated", $"the input was cut after {cut} bytes");
            issue.Line.Should().BeGreaterThan(0);
        }
    }

    [Theory]
    [InlineData("", "the input is empty.")]
    [InlineData("   \n ", "the input is empty.")]
    [InlineData("[]", "expected a JSON object at the top, found an array.")]
    [InlineData("\"Event\"", "expected a JSON object at the top, found a string.")]
    [InlineData("{\"foo\": 1}", "no MISP event found: expected {\"Event\": {...}}, {\"response\": [...]} or an event object with 'info', 'Attribute' or 'Object'.")]
    public void Input_that_holds_no_event_says_what_was_expected(string json, string reason)
    {
        FailsWith(ReadMisp(json)).Reason.Should().Be(reason);
    }

    [Theory]
    [InlineData("{\"Event\": {\"info\": \"x\"}} {}", "not valid JSON at line 1, byte 26: '{' is invalid after a single JSON value. Expected end of data.")]
    [InlineData("{\"Event\": {\"info\": \"x\",}}", "not valid JSON at line 1, byte 24:")]
    [InlineData("{\"Event\": {\"info\": 'x'}}", "not valid JSON at line 1, byte 20:")]
    public void Malformed_json_names_line_and_byte(string json, string start)
    {
        FailsWith(ReadMisp(json)).Reason.Should().StartWith(start);
    }

    [Fact]
    public void Wrong_json_types_are_issues_for_that_field_and_the_rest_is_read()
    {
        var result = ReadMisp("""
            {"Event": {"info": ["not", "a", "string"], "date": 20240101, "threat_level_id": "9", "Tag": "tlp:red",
              "Attribute": [ "x", {"type": "domain", "value": {"nested": true}}, {"type": "domain", "value": "kept.example", "to_ids": "maybe"} ],
              "Object": {"name": "file"}}}
            """);

        result.Succeeded.Should().BeTrue();
        var report = result.Value!.Single();
        report.Title.Should().BeEmpty();
        report.Indicators.Should().ContainSingle().Which.Value.Should().Be("kept.example");
        result.Issues.Select(i => $"{i.Column}: {i.Reason}").Should().Equal(
            "Event.info: expected a string, found an array; ignored.",
            "Event.date: '20240101' is not a date written yyyy-MM-dd; ignored.",
            "Event.threat_level_id: '9' is not a number from 1 to 4; ignored.",
            "Event.Tag: expected an array, found a string; ignored.",
            "Event.Attribute[0]: expected an object, found a string; ignored.",
            "Event.Attribute[1].value: expected a string, found an object; ignored.",
            "Event.Attribute[2].to_ids: 'maybe' is not true or false; taken as false.",
            "Event.Object: expected an array, found an object; ignored.");
    }

    [Fact]
    public void A_ten_megabyte_value_is_refused_by_length_and_the_event_still_imports()
    {
        var huge = new string('a', 10 * 1024 * 1024);
        var result = ReadMisp(EventWith($$"""{"type": "domain", "value": "{{huge}}.example"}, {"type": "domain", "value": "ok.example"}"""));

        result.Value!.Single().Indicators.Should().ContainSingle().Which.Value.Should().Be("ok.example");
        result.Issues.Should().ContainSingle().Which.Should().Be(new ImportIssue(1, "Event.Attribute[0].value",
            "a string of 10485768 bytes, longer than the 1048576 allowed; ignored."));
    }

    [Fact]
    public void Deep_nesting_stops_at_the_limit_with_a_message()
    {
        var json = "{\"Event\": {\"info\": \"x\", \"junk\": " + new string('[', 100_000) + new string(']', 100_000) + "}}";

        FailsWith(ReadMisp(json)).Should().Be(new ImportIssue(1, null, "the JSON is nested deeper than 64 levels, the limit."));
    }

    [Fact]
    public void Input_over_the_size_limit_is_refused_before_it_is_read_whole()
    {
        var options = new MispReadOptions { MaxInputBytes = 10_000 };
        var bytes = Bytes("existing_event.json");

        FailsWith(MispEventReader.Read(new MemoryStream(bytes), options)).Reason.Should().Be("the input is larger than 10000 bytes, the limit.");
        var unseekable = new OneWayStream(bytes);
        FailsWith(MispEventReader.Read(unseekable, options)).Reason.Should().Be("the input is larger than 10000 bytes, the limit.");
        unseekable.BytesRead.Should().BeLessThan(bytes.Length, "reading stops once the limit is passed");
    }

    [Fact]
    public async Task An_unseekable_stream_is_read_whole_asynchronously()
    {
        var result = await MispEventReader.ReadAsync(new OneWayStream(Bytes("existing_event.json")));

        result.Value!.Single().Indicators.Should().HaveCount(84);
    }

    [Fact]
    public void Too_many_attributes_is_refused_with_the_limit()
    {
        var result = MispEventReader.Read(Bytes("existing_event.json"), new MispReadOptions { MaxAttributesPerEvent = 100 });

        FailsWith(result).Reason.Should().Be("the event has more than 100 attributes, the limit.");
    }

    [Fact]
    public void Invalid_utf8_in_a_value_is_an_issue_for_that_value()
    {
        var json = Encoding.UTF8.GetBytes(EventWith("""{"type": "domain", "value": "@@"}, {"type": "domain", "value": "ok.example"}"""));
        var at = Array.IndexOf(json, (byte)'@');
        json[at] = 0xC3;
        json[at + 1] = 0x28;

        var result = MispEventReader.Read(json);

        result.Value!.Single().Indicators.Should().ContainSingle();
        result.Issues.Should().ContainSingle().Which.Reason.Should().Be("the string is not valid UTF-8 (or escapes a lone surrogate); ignored.");
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(EventWith("""{"type": "domain", "value": "a.example"}"""))).ToArray();

        MispEventReader.Read(bytes).Value!.Single().Indicators.Should().ContainSingle();
    }

    [Fact]
    public void Issues_beyond_the_limit_are_counted_not_listed()
    {
        var attributes = string.Join(",", Enumerable.Range(0, 500).Select(i => $$"""{"type": "ip-dst", "value": "300.0.0.{{i}}"}"""));

        var result = ReadMisp(EventWith(attributes), new MispReadOptions { MaxIssues = 100 });

        result.Issues.Should().HaveCount(101);
        result.Issues[^1].Reason.Should().Be("400 more not listed: only the first 100 are kept.");
    }

    [Fact]
    public void Random_bytes_and_corrupted_events_never_throw()
    {
        var random = new Random(20240501);
        var original = Bytes("existing_event.json");
        for (var round = 0; round < 300; round++)
        {
            byte[] input;
            if (round % 2 == 0)
            {
                input = new byte[random.Next(0, 4096)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])original.Clone();
                for (var flips = random.Next(1, 20); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }

            var result = MispEventReader.Read(input);
            result.Issues.Concat(result.Skipped).Should().AllSatisfy(i => i.ShouldBeOneLine());
            if (!result.Succeeded)
            {
                result.Issues.Should().ContainSingle();
            }
        }
    }

    /// <summary>A network-like stream: no length, no seeking, small reads.</summary>
    internal sealed class OneWayStream(byte[] data) : Stream
    {
        public int BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var take = Math.Min(Math.Min(count, 1000), data.Length - BytesRead);
            Array.Copy(data, BytesRead, buffer, offset, take);
            BytesRead += take;
            return take;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
