using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Access;

/// <summary>One logon attempt, whatever log it came from.</summary>
internal readonly record struct LogonAttempt(DateTimeOffset Time, bool Success, string Account, string Source, string Detail, AccessEvidence Evidence);

/// <summary>
/// Reads logon attempts out of events: Windows Security 4624/4625/4648/4771/4776 (fields as the EVTX reader flattens
/// them) and the sshd, su, sudo and PAM events of the syslog reader. Anything else is not an attempt.
/// </summary>
internal static class LogonAttempts
{
    public static bool TryRead(LogEvent logEvent, out LogonAttempt attempt)
    {
        attempt = default;
        if (logEvent.Timestamp is not { } time)
        {
            return false;
        }

        var evidence = new AccessEvidence(logEvent.SourceFile, logEvent.RecordId);
        return logEvent.Format is LogFormat.Syslog3164 or LogFormat.Syslog5424
            ? TryReadSyslog(logEvent, time, evidence, out attempt)
            : TryReadWindows(logEvent, time, evidence, out attempt);
    }

    private static bool TryReadWindows(LogEvent e, DateTimeOffset time, AccessEvidence evidence, out LogonAttempt attempt)
    {
        attempt = default;
        if (!e.TryGet("EventID", out var id) || id is not ("4624" or "4625" or "4648" or "4771" or "4776")
            || (e.TryGet("Channel", out var channel) && !string.Equals(channel, "Security", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var account = Value(e, "TargetUserName");
        if (account is null || IsServiceAccount(account))
        {
            return false;
        }

        var logonType = Value(e, "LogonType");
        if (id == "4624" && logonType is "0" or "4" or "5")
        {
            return false;
        }

        var source = Address(Value(e, "IpAddress")) ?? Value(e, "WorkstationName") ?? Value(e, "Workstation") ?? "local@" + (Value(e, "Computer") ?? "?");
        var status = Value(e, "Status");
        var success = id switch
        {
            "4624" or "4648" => true,
            "4776" => status is "0x0" or "0x00000000" or "0",
            _ => false,
        };
        var detail = $"Windows {id}" + (logonType is null ? "" : $", logon type {logonType}") + (status is null ? "" : $", status {status}");
        attempt = new LogonAttempt(time, success, account, source, detail, evidence);
        return true;
    }

    private static bool TryReadSyslog(LogEvent e, DateTimeOffset time, AccessEvidence evidence, out LogonAttempt attempt)
    {
        attempt = default;
        var name = Value(e, "event");
        if (name is null)
        {
            return false;
        }

        bool success;
        string? account;
        var local = "local@" + (Value(e, "host") ?? "?");
        string source;
        if (name.StartsWith("ssh_failed_", StringComparison.Ordinal) || name.StartsWith("ssh_accepted_", StringComparison.Ordinal))
        {
            success = name[4] == 'a';
            account = Value(e, "user");
            source = Value(e, "source_ip") ?? local;
        }
        else if (name is "su_failed" or "su_succeeded")
        {
            success = name == "su_succeeded";
            account = Value(e, "target_user") ?? Value(e, "user");
            source = local;
        }
        else if (name is "sudo_auth_failure")
        {
            success = false;
            account = Value(e, "user");
            source = local;
        }
        else if (name is "pam_auth_failure" && Value(e, "service") is not ("sshd" or "su" or "su-l" or "sudo"))
        {
            // sshd, su and sudo log their own failure beside PAM's: counting both would count each attempt twice.
            success = false;
            account = Value(e, "target_user") ?? Value(e, "user");
            source = Value(e, "source_ip") ?? local;
        }
        else
        {
            return false;
        }

        if (account is null)
        {
            return false;
        }

        attempt = new LogonAttempt(time, success, account, source, name, evidence);
        return true;
    }

    private static string? Value(LogEvent e, string name) => e.TryGet(name, out var value) && !string.IsNullOrWhiteSpace(value) && value != "-" ? value : null;

    /// <summary>"::ffff:10.0.0.5" as "10.0.0.5"; loopback and "-" are no source address.</summary>
    private static string? Address(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[7..];
        }

        return value is "::1" or "127.0.0.1" ? null : value;
    }

    /// <summary>Machine accounts and the built-in service identities log on all day and are not people.</summary>
    private static bool IsServiceAccount(string account) =>
        account.EndsWith('$') || account is "SYSTEM" or "LOCAL SERVICE" or "NETWORK SERVICE" or "ANONYMOUS LOGON"
        || account.StartsWith("DWM-", StringComparison.Ordinal) || account.StartsWith("UMFD-", StringComparison.Ordinal);
}
