using System.Text;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

/// <summary>
/// Names found through the key tree and values kept per field must read exactly as the text says, line after line,
/// whatever the keys and values repeat or not.
/// </summary>
public sealed class JsonLinesNamesTests
{
    [Fact]
    public void Escaped_and_plain_spellings_of_a_key_are_one_name_and_escaped_values_are_unescaped()
    {
        var (events, report) = LogText.Read(
            "{\"user\":{\"name\":\"alice\"},\"msg\":\"a\\\"b\"}\n"
            + "{\"\\u0075ser\":{\"n\\u0061me\":\"bob\"},\"msg\":\"tab\\there\"}\n"
            + "{\"user\":{\"name\":\"\\u00e9ve\",\"caf\u00e9\":\"\u00fcber\"},\"msg\":\"a\\\"b\"}\n");

        report.SkippedTotal.Should().Be(0);
        events.Select(e => e.Fields.Select(f => f.Name + "=" + f.Value)).Should().BeEquivalentTo(
            new[]
            {
                new[] { "user.name=alice", "msg=a\"b" },
                new[] { "user.name=bob", "msg=tab\there" },
                new[] { "user.name=\u00e9ve", "user.caf\u00e9=\u00fcber", "msg=a\"b" },
            },
            options => options.WithStrictOrdering());
    }

    [Fact]
    public void Values_that_repeat_and_values_that_do_not_read_the_same_as_the_text_over_many_lines()
    {
        string[] methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT", "PROPFIND"];
        var text = new StringBuilder();
        for (var i = 0; i < 2_000; i++)
        {
            // method cycles over more values than a field keeps; status over two; id never repeats; same switches type.
            var same = i % 3 == 0 ? "\"7\"" : "7";
            var flag = i % 2 == 0 ? "true" : "false";
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{{\"m\":\"{methods[i % methods.Length]}\",\"s\":{(i % 7 == 0 ? 404 : 200)},\"id\":\"n{i}\",\"same\":{same},\"a\":[\"x{i % 3}\",{{\"b\":{flag}}}]}}\n");
        }

        var (events, report) = LogText.Read(text.ToString());

        report.SkippedTotal.Should().Be(0);
        events.Should().HaveCount(2_000);
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Fields.Should().Equal(
                new LogField("m", methods[i % methods.Length]),
                new LogField("s", i % 7 == 0 ? "404" : "200"),
                new LogField("id", "n" + i),
                new LogField("same", "7"),
                new LogField("a.0", "x" + (i % 3)),
                new LogField("a.1.b", i % 2 == 0 ? "true" : "false"));
        }
    }

    [Fact]
    public void Past_the_bound_of_interned_names_fresh_keys_and_what_nests_under_them_keep_their_full_names()
    {
        var count = JsonFieldNames.MaxNames + 500;
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"k{i}\":{{\"inner\":[{i},{{\"deep\":\"v{i}\"}}]}},\"kept\":{{\"x\":\"y\"}}}}\n");
        }

        var (events, report) = LogText.Read(text.ToString());

        report.SkippedTotal.Should().Be(0);
        events.Should().HaveCount(count);
        foreach (var i in new[] { 0, 1, JsonFieldNames.MaxNames / 4, count - 2, count - 1 })
        {
            events[i].Fields.Should().Equal(
                new LogField($"k{i}.inner.0", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new LogField($"k{i}.inner.1.deep", $"v{i}"),
                new LogField("kept.x", "y"));
        }
    }

    [Fact]
    public void A_key_longer_than_the_interned_limit_keeps_its_full_name()
    {
        var key = new string('k', JsonFieldNames.MaxKeyBytes + 10);
        var (events, _) = LogText.Read($"{{\"{key}\":{{\"a\":1}},\"@timestamp\":\"2024-01-02T03:04:05Z\"}}\n{{\"{key}\":{{\"a\":2}}}}\n");

        events.Select(e => e.Get(key + ".a")).Should().Equal("1", "2");
        events[0].Timestamp.Should().Be(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }

    [Fact]
    public void Invalid_utf8_reads_as_replacement_characters_when_plain_and_skips_the_line_when_escaped()
    {
        byte[] bytes =
        [
            .. "{\"ok\":1}\n"u8,
            .. "{\"k"u8, 0xC3, .. "\":\"v"u8, 0xFF, .. "\"}\n"u8,
            .. "{\"k"u8, 0xC3, .. "\":\"w\"}\n"u8,
            .. "{\"e\":\"\\n"u8, 0xFF, .. "\"}\n"u8,
            .. "{\"\\n"u8, 0xFF, .. "\":1}\n"u8,
            .. "{\"ok\":2}\n"u8,
        ];

        var (events, report) = LogText.Read(bytes);

        events.Select(e => e.Fields.Single().Name + "=" + e.Fields.Single().Value).Should().Equal("ok=1", "k\uFFFD=v\uFFFD", "k\uFFFD=w", "ok=2");
        report.Skipped.Should().Equal(new Dictionary<string, long> { ["invalid JSON"] = 2 });
    }

    [Fact]
    public void Truncated_lines_skip_and_leave_the_names_usable_for_the_next_line()
    {
        var whole = "{\"user\":{\"name\":\"alice\",\"roles\":[\"a\",\"b\"]},\"n\":1}";
        var text = new StringBuilder();
        for (var cut = 1; cut < whole.Length; cut++)
        {
            text.Append(whole.AsSpan(0, cut)).Append('\n').Append(whole).Append('\n');
        }

        var (events, report) = LogText.Read(text.ToString());

        events.Should().HaveCount(whole.Length - 1);
        events.Should().AllSatisfy(e => e.Fields.Should().Equal(
            new LogField("user.name", "alice"), new LogField("user.roles.0", "a"), new LogField("user.roles.1", "b"), new LogField("n", "1")));
        report.Skipped["invalid JSON"].Should().Be(whole.Length - 1);
    }

    [Theory]
    [InlineData("{\"Records\":[{\"a\":1},{\"a\":2}]}")]
    [InlineData("{ \t \"records\" : [{\"a\":1},{\"a\":2}]}")]
    [InlineData("{\"\\u0052ecords\":[{\"a\":1},{\"a\":2}]}")]
    public void Records_are_found_however_the_first_key_is_spaced_or_escaped(string line)
    {
        var (events, _) = LogText.Read(line + "\n{\"Rows\":[{\"a\":3}],\"records\":[{\"a\":4}]}\n");

        events.Select(e => e.Get("a")).Should().Equal("1", "2", null);
        events[2].Get("Rows.0.a").Should().Be("3");
        events[2].Get("records.0.a").Should().Be("4");
    }
}
