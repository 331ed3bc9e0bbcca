using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

public sealed class LogEventTests
{
    [Fact]
    public void A_name_finds_its_first_field_ignoring_case_before_and_after_the_event_is_indexed()
    {
        var fields = Enumerable.Range(0, 20).Select(i => new LogField($"Field{i}", $"v{i}"))
            .Append(new LogField("FIELD3", "second")).Append(new LogField("empty", null)).ToArray();
        var logEvent = new LogEvent(LogFormat.JsonLines, "x.jsonl", 1, null, fields);

        // The same questions many times: the first few walk the fields, the rest go through the index.
        for (var round = 0; round < 5; round++)
        {
            logEvent.Get("field3").Should().Be("v3");
            logEvent.Get("Field19").Should().Be("v19");
            logEvent.Has("empty").Should().BeTrue();
            logEvent.Get("empty").Should().BeNull();
            logEvent.Has("missing").Should().BeFalse();
        }
    }
}
