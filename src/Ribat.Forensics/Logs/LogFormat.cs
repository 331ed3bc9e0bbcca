namespace Ribat.Forensics.Logs;

/// <summary>The format a log file was recognised as, from its content.</summary>
public enum LogFormat : byte
{
    Unknown,
    Evtx,

    /// <summary>BSD syslog (RFC 3164), the form of most Linux <c>auth.log</c> and <c>messages</c> files.</summary>
    Syslog3164,

    /// <summary>IETF syslog (RFC 5424).</summary>
    Syslog5424,

    /// <summary>Apache/Nginx access log, common or combined.</summary>
    AccessLog,
    JsonLines,
    Csv,
}
