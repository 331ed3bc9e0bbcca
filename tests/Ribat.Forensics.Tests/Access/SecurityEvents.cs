using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Access;

/// <summary>
/// Windows Security events shaped as the EVTX reader flattens them (EventData first, System after), with the fields
/// of the corpus <c>security.evtx</c> logon events.
/// </summary>
internal static class SecurityEvents
{
    public static readonly DateTimeOffset Monday = new(2024, 6, 3, 9, 0, 0, TimeSpan.Zero);

    private static long _record = 1000;

    public static LogEvent Logon(int id, DateTimeOffset time, string account, string? ip = "203.0.113.5", string logonType = "3", string? status = null, string file = "Security.evtx")
    {
        var record = Interlocked.Increment(ref _record);
        var fields = new List<LogField>
        {
            new("SubjectUserSid", "S-1-0-0"),
            new("TargetUserName", account),
            new("TargetDomainName", "CORP"),
            new("LogonType", logonType),
            new("WorkstationName", "WS-" + account),
            new("IpAddress", ip ?? "-"),
            new("IpPort", "49152"),
        };
        if (status is not null)
        {
            fields.Add(new("Status", status));
        }

        fields.AddRange(
        [
            new("EventID", id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Provider_Name", "Microsoft-Windows-Security-Auditing"),
            new("Channel", "Security"),
            new("Computer", "DC01.corp.local"),
            new("EventRecordID", record.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("TimeCreated", time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        return new LogEvent(LogFormat.Evtx, file, record, time, [.. fields]);
    }

    public static LogEvent Failure(DateTimeOffset time, string account, string? ip = "203.0.113.5") => Logon(4625, time, account, ip, status: "0xc000006d");

    public static LogEvent Success(DateTimeOffset time, string account, string? ip = "203.0.113.5", string logonType = "3") => Logon(4624, time, account, ip, logonType);
}
