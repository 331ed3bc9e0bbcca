using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

public sealed class JsonLinesTests
{
    [Fact]
    public void Nested_objects_flatten_to_dotted_names_and_arrays_to_indexes()
    {
        var (events, report) = LogText.Read(
            "{\"@timestamp\":\"2024-05-01T10:00:00.5+02:00\",\"host\":{\"name\":\"web\",\"ip\":[\"10.0.0.1\",\"10.0.0.2\"]},\"n\":1.50e3,\"ok\":true,\"no\":false,\"gone\":null,\"empty\":{},\"none\":[],\"list\":[{\"a\":1},[2,3]],\"esc\\\"aped\":\"\\u00e9\\n\"}\n");

        report.Format.Should().Be(LogFormat.JsonLines);
        var e = events.Should().ContainSingle().Subject;
        e.Fields.Should().Equal(
            new LogField("@timestamp", "2024-05-01T10:00:00.5+02:00"),
            new LogField("host.name", "web"),
            new LogField("host.ip.0", "10.0.0.1"),
            new LogField("host.ip.1", "10.0.0.2"),
            new LogField("n", "1.50e3"),
            new LogField("ok", "true"),
            new LogField("no", "false"),
            new LogField("gone", null),
            new LogField("list.0.a", "1"),
            new LogField("list.1.0", "2"),
            new LogField("list.1.1", "3"),
            new LogField("esc\"aped", "é\n"));
        e.Timestamp.Should().Be(new DateTimeOffset(2024, 5, 1, 8, 0, 0, 500, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("{\"time\":\"2024-01-02T03:04:05Z\",\"timestamp\":\"2020-01-01T00:00:00Z\"}", "2020-01-01T00:00:00Z")]
    [InlineData("{\"ts\":1704164645.25}", "2024-01-02T03:04:05.25Z")]
    [InlineData("{\"ts\":1704164645250}", "2024-01-02T03:04:05.25Z")]
    [InlineData("{\"eventTime\":\"2024-01-02T03:04:05Z\"}", "2024-01-02T03:04:05Z")]
    [InlineData("{\"Timestamp\":\"2024-01-02 03:04:05\"}", "2024-01-02T03:04:05Z")]
    [InlineData("{\"a\":{\"time\":\"2024-01-02T03:04:05Z\"}}", null)]
    [InlineData("{\"time\":\"yesterday\"}", null)]
    public void The_time_comes_from_the_best_known_key(string line, string? expected)
    {
        var (events, _) = LogText.Read(line + "\n");

        events.Should().ContainSingle().Which.Timestamp.Should().Be(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Cloudtrail_records_in_one_line_give_one_event_each()
    {
        var (events, report) = LogText.Read(
            "{\"Records\":[{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"alice\"},\"eventTime\":\"2024-03-01T12:00:00Z\",\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\",\"sourceIPAddress\":\"203.0.113.5\",\"responseElements\":{\"ConsoleLogin\":\"Failure\"}},"
            + "{\"eventTime\":\"2024-03-01T12:00:01Z\",\"eventName\":\"GetObject\",\"resources\":[{\"ARN\":\"arn:aws:s3:::b/k\"}]}],\"digest\":1}\n");

        report.SkippedTotal.Should().Be(0);
        events.Should().HaveCount(2);
        events[0].Get("userIdentity.userName").Should().Be("alice");
        events[0].Get("responseElements.ConsoleLogin").Should().Be("Failure");
        events[0].Timestamp.Should().Be(new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero));
        events[1].Get("resources.0.ARN").Should().Be("arn:aws:s3:::b/k");
        events[1].Has("eventVersion").Should().BeFalse();
        events.Should().AllSatisfy(e => e.RecordId.Should().Be(1));
    }

    [Fact]
    public void Azure_activity_and_gcp_audit_entries_get_their_time()
    {
        var (events, _) = LogText.Read(
            "{\"time\":\"2024-04-01T08:00:00.0000000Z\",\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE\",\"callerIpAddress\":\"198.51.100.1\",\"identity\":{\"claims\":{\"name\":\"bob\"}}}\n"
            + "{\"protoPayload\":{\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\",\"methodName\":\"SetIamPolicy\",\"requestMetadata\":{\"callerIp\":\"198.51.100.2\"}},\"timestamp\":\"2024-04-01T09:00:00.123Z\",\"receiveTimestamp\":\"2024-04-01T09:00:01Z\"}\n");

        events[0].Timestamp.Should().Be(new DateTimeOffset(2024, 4, 1, 8, 0, 0, TimeSpan.Zero));
        events[0].Get("identity.claims.name").Should().Be("bob");
        events[1].Timestamp.Should().Be(new DateTimeOffset(2024, 4, 1, 9, 0, 0, 123, TimeSpan.Zero));
        events[1].Get("protoPayload.methodName").Should().Be("SetIamPolicy");
    }

    [Fact]
    public void Sysmon_xml_carried_in_a_json_message_is_lifted_flat_first()
    {
        var xml = "<Event><System><Provider Name=\\\"Linux-Sysmon\\\"/><EventID>3</EventID><TimeCreated SystemTime=\\\"2024-05-01T10:00:00.000000000Z\\\"/><Computer>h</Computer></System><EventData><Data Name=\\\"Image\\\">/usr/bin/nc</Data><Data Name=\\\"DestinationIp\\\">203.0.113.9</Data></EventData></Event>";
        var (events, _) = LogText.Read($"{{\"@timestamp\":\"2024-05-01T10:00:01Z\",\"message\":\"{xml}\",\"host\":\"h\"}}\n");

        var e = events.Should().ContainSingle().Subject;
        e.Fields[0].Should().Be(new LogField("Image", "/usr/bin/nc"));
        e.Get("DestinationIp").Should().Be("203.0.113.9");
        e.Get("EventID").Should().Be("3");
        e.Get("TimeCreated").Should().Be("2024-05-01T10:00:00.000000000Z");
        e.Get("host").Should().Be("h");
        e.Timestamp.Should().Be(new DateTimeOffset(2024, 5, 1, 10, 0, 1, TimeSpan.Zero));
    }

    [Fact]
    public void Evtx_shaped_json_gets_flat_windows_names_event_data_first()
    {
        var (events, _) = LogText.Read(
            "{\"Event\":{\"#attributes\":{\"xmlns\":\"x\"},\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Sysmon\",\"Guid\":\"5770385F\"}},\"EventID\":1,\"Execution\":{\"#attributes\":{\"ProcessID\":1234,\"ThreadID\":5}},\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2019-04-01T10:00:00.123456Z\"}},\"Computer\":\"pc\"},"
            + "\"EventData\":{\"ProcessId\":4242,\"Image\":\"C:\\\\w\\\\cmd.exe\",\"CommandLine\":\"cmd /c whoami\"}}}\n");

        var e = events.Should().ContainSingle().Subject;
        e.Get("ProcessId").Should().Be("4242");
        e.Get("Image").Should().Be("C:\\w\\cmd.exe");
        e.Get("EventID").Should().Be("1");
        e.Get("Provider_Name").Should().Be("Microsoft-Windows-Sysmon");
        e.Get("Computer").Should().Be("pc");
        e.Get("TimeCreated").Should().Be("2019-04-01T10:00:00.123456Z");
        e.Timestamp.Should().Be(new DateTimeOffset(2019, 4, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_560));
    }

    [Theory]
    [InlineData("{\"a\":1", "invalid JSON")]
    [InlineData("{\"a\":1}}", "invalid JSON")]
    [InlineData("{\"a\":1} {\"b\":2}", "invalid JSON")]
    [InlineData("{\"a\":tru}", "invalid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("plain text", "not a JSON object")]
    [InlineData("{\"Records\":[1,2]}", "invalid JSON")]
    public void A_damaged_line_is_skipped_with_its_reason_and_the_rest_read(string bad, string reason)
    {
        var (events, report) = LogText.Read($"{{\"a\":1}}\n{{\"a\":2}}\n{bad}\n{{\"a\":3}}\n");

        events.Select(e => e.Get("a")).Should().Equal("1", "2", "3");
        report.Skipped.Should().Equal(new Dictionary<string, long> { [reason] = 1 });
    }

    [Fact]
    public void Nesting_past_the_depth_limit_is_invalid_not_a_crash()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var (events, report) = LogText.Read($"{{\"a\":1}}\n{{\"d\":{deep}}}\n");

        events.Should().ContainSingle();
        report.Skipped["invalid JSON"].Should().Be(1);
    }
}
