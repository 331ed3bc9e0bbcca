using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

public sealed class SyslogTests
{
    private static readonly LogReadOptions Year2024 = new() { SyslogYear = 2024 };

    [Fact]
    public void An_auth_log_line_gives_host_program_pid_message_and_a_time_in_the_given_year()
    {
        var (events, report) = LogText.Read("Mar  5 07:08:09 web01 sshd[4242]: Server listening on 0.0.0.0 port 22.\n", Year2024);

        report.Format.Should().Be(LogFormat.Syslog3164);
        var e = events.Should().ContainSingle().Subject;
        e.Format.Should().Be(LogFormat.Syslog3164);
        e.Get("timestamp").Should().Be("Mar  5 07:08:09");
        e.Get("host").Should().Be("web01");
        e.Get("program").Should().Be("sshd");
        e.Get("pid").Should().Be("4242");
        e.Get("message").Should().Be("Server listening on 0.0.0.0 port 22.");
        e.Has("event").Should().BeFalse();
        e.Has("facility").Should().BeFalse();
        e.Timestamp.Should().Be(new DateTimeOffset(2024, 3, 5, 7, 8, 9, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("sshd[1]: Failed password for root from 203.0.113.5 port 51122 ssh2", "ssh_failed_password", "root", "203.0.113.5", "51122", "password")]
    [InlineData("sshd[1]: Failed password for invalid user admin from 203.0.113.5 port 51123 ssh2", "ssh_failed_password", "admin", "203.0.113.5", "51123", "password")]
    [InlineData("sshd[1]: Failed none for invalid user oracle from 2001:db8::7 port 40000 ssh2", "ssh_failed_none", "oracle", "2001:db8::7", "40000", "none")]
    [InlineData("sshd[1]: Accepted password for bob from 198.51.100.4 port 5555 ssh2", "ssh_accepted_password", "bob", "198.51.100.4", "5555", "password")]
    [InlineData("sshd[1]: Accepted publickey for deploy from 198.51.100.4 port 5556 ssh2: ED25519 SHA256:abcdef", "ssh_accepted_publickey", "deploy", "198.51.100.4", "5556", "publickey")]
    [InlineData("sshd-session[1]: Accepted keyboard-interactive/pam for eve from 198.51.100.4 port 5557 ssh2", "ssh_accepted_keyboard_interactive", "eve", "198.51.100.4", "5557", "keyboard-interactive/pam")]
    [InlineData("sshd[1]: Invalid user test9 from 52.80.34.196 port 36060", "ssh_invalid_user", "test9", "52.80.34.196", "36060", null)]
    [InlineData("sshd[1]: Invalid user  from 52.80.34.196", "ssh_invalid_user", null, "52.80.34.196", null, null)]
    [InlineData("sshd[1]: Disconnected from authenticating user root 203.0.113.5 port 51122 [preauth]", "ssh_disconnect_preauth", "root", "203.0.113.5", "51122", null)]
    [InlineData("sshd[1]: Connection closed by invalid user ubuntu 41.111.227.75 port 47306 [preauth]", "ssh_disconnect_preauth", "ubuntu", "41.111.227.75", "47306", null)]
    [InlineData("sshd[1]: Connection closed by 173.234.31.186 [preauth]", "ssh_disconnect_preauth", null, "173.234.31.186", null, null)]
    [InlineData("sshd[1]: Received disconnect from 203.0.113.5 port 51122:11: Bye Bye [preauth]", "ssh_disconnect_preauth", null, "203.0.113.5", "51122", null)]
    [InlineData("sshd[1]: Disconnected from user bob 198.51.100.4 port 5555", "ssh_disconnect", "bob", "198.51.100.4", "5555", null)]
    [InlineData("sshd[1]: error: maximum authentication attempts exceeded for root from 203.0.113.5 port 2 ssh2 [preauth]", "ssh_max_auth_attempts", "root", "203.0.113.5", "2", null)]
    public void Sshd_messages_get_normalised_fields(string tagAndMessage, string name, string? user, string? ip, string? port, string? method)
    {
        var e = One($"Jan 10 15:37:27 LabSZ {tagAndMessage}");

        e.Get("event").Should().Be(name);
        e.Get("user").Should().Be(user);
        e.Get("source_ip").Should().Be(ip);
        e.Get("source_port").Should().Be(port);
        e.Get("auth_method").Should().Be(method);
    }

    [Fact]
    public void Sudo_commands_and_failures_name_user_target_tty_pwd_and_command()
    {
        var ok = One("Jan 10 10:00:00 h sudo:     bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id -u");
        ok.Get("event").Should().Be("sudo_command");
        ok.Get("user").Should().Be("bob");
        ok.Get("target_user").Should().Be("root");
        ok.Get("tty").Should().Be("pts/0");
        ok.Get("pwd").Should().Be("/home/bob");
        ok.Get("command").Should().Be("/usr/bin/id -u");

        var failed = One("Jan 10 10:00:01 h sudo:   mallory : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash");
        failed.Get("event").Should().Be("sudo_auth_failure");
        failed.Get("user").Should().Be("mallory");
        failed.Get("command").Should().Be("/bin/bash");

        One("Jan 10 10:00:02 h sudo: eve : user NOT in sudoers ; TTY=pts/2 ; PWD=/ ; USER=root ; COMMAND=/bin/sh").Get("event").Should().Be("sudo_not_in_sudoers");
        One("Jan 10 10:00:03 h sudo: cron : PWD=/ ; USER=root ; COMMAND=/usr/bin/true").Get("tty").Should().BeNull();
    }

    [Fact]
    public void Su_and_pam_messages_are_recognised()
    {
        var failed = One("Jan 10 10:00:00 h su[77]: FAILED SU (to root) max on pts/0");
        failed.Get("event").Should().Be("su_failed");
        failed.Get("user").Should().Be("max");
        failed.Get("target_user").Should().Be("root");
        failed.Get("tty").Should().Be("pts/0");

        One("Jan 10 10:00:00 h su[77]: (to root) max on pts/0").Get("event").Should().Be("su_succeeded");
        One("Jan 10 10:00:00 h su[77]: + pts/3 max:root").Get("event").Should().Be("su_succeeded");
        One("Jan 10 10:00:00 h su[77]: - pts/3 max:root").Get("event").Should().Be("su_failed");

        var suSession = One("Jan 10 10:00:00 h su[77]: pam_unix(su-l:session): session opened for user root(uid=0) by max(uid=1000)");
        suSession.Get("event").Should().Be("su_session_opened");
        suSession.Get("user").Should().Be("max");
        suSession.Get("target_user").Should().Be("root");
        suSession.Get("service").Should().Be("su-l");

        var sshSession = One("Jan 10 10:00:00 h sshd[9]: pam_unix(sshd:session): session opened for user bob by (uid=0)");
        sshSession.Get("event").Should().Be("pam_session_opened");
        sshSession.Get("user").Should().Be("bob");
        sshSession.Has("target_user").Should().BeFalse();

        var sshFailure = One("Jan 10 10:00:00 h sshd[9]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root");
        sshFailure.Get("event").Should().Be("pam_auth_failure");
        sshFailure.Get("user").Should().Be("root");
        sshFailure.Get("source_ip").Should().Be("203.0.113.5");
        sshFailure.Get("tty").Should().Be("ssh");

        var suFailure = One("Jan 10 10:00:00 h su[77]: pam_unix(su:auth): authentication failure; logname=max uid=1000 euid=0 tty=/dev/pts/0 ruser=max rhost=  user=root");
        suFailure.Get("user").Should().Be("max");
        suFailure.Get("target_user").Should().Be("root");
        suFailure.Has("source_ip").Should().BeFalse();

        var old = One("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4");
        old.Get("event").Should().Be("pam_auth_failure");
        old.Get("service").Should().Be("sshd");
        old.Get("source_ip").Should().Be("218.188.2.4");
    }

    [Fact]
    public void A_priority_gives_facility_and_severity_and_a_missing_host_is_allowed()
    {
        var e = One("<38>Oct 11 22:14:15 su: FAILED SU (to root) max on pts/8");

        e.Get("facility").Should().Be("auth");
        e.Get("severity").Should().Be("info");
        e.Has("host").Should().BeFalse();
        e.Get("program").Should().Be("su");
        e.Has("pid").Should().BeFalse();
        e.Get("event").Should().Be("su_failed");
    }

    [Fact]
    public void Rsyslog_high_precision_timestamps_carry_their_own_year_and_offset()
    {
        var e = One("2024-02-29T23:30:00.123456+02:00 web01 CRON[12]: pam_unix(cron:session): session closed for user root");

        e.Timestamp.Should().Be(new DateTimeOffset(2024, 2, 29, 21, 30, 0, 123, 456, TimeSpan.Zero));
        e.Get("host").Should().Be("web01");
        e.Get("event").Should().Be("pam_session_closed");
    }

    [Fact]
    public void Without_a_year_the_modification_year_ends_the_file_and_december_before_a_january_change_is_the_year_before()
    {
        var options = new LogReadOptions { Modified = new DateTimeOffset(2025, 1, 2, 8, 0, 0, TimeSpan.Zero) };
        var (events, _) = LogText.Read("Dec 31 23:59:59 h k: a\nJan  1 00:00:01 h k: b\n", options);

        events.Select(e => e.Timestamp!.Value.Year).Should().Equal(2024, 2025);
    }

    [Fact]
    public void With_a_start_year_a_step_from_december_to_january_moves_to_the_next_year()
    {
        var (events, _) = LogText.Read("Nov 30 10:00:00 h k: a\nDec 31 23:59:59 h k: b\nJan  1 00:00:01 h k: c\nJan  1 00:00:00 h k: d\n", new LogReadOptions { SyslogYear = 2023 });

        events.Select(e => e.Timestamp!.Value.Year).Should().Equal(2023, 2023, 2024, 2024);
    }

    [Fact]
    public void A_local_zone_turns_wall_clock_times_into_utc()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus3", TimeSpan.FromHours(3), "plus3", "plus3");
        var (events, _) = LogText.Read("Jun  1 12:00:00 h k: a\n", new LogReadOptions { SyslogYear = 2024, LocalTimeZone = zone });

        events[0].Timestamp.Should().Be(new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void February_29_in_a_year_without_it_keeps_the_line_without_a_time()
    {
        var (events, report) = LogText.Read("Feb 28 10:00:00 h k: a\nFeb 29 10:00:00 h k: b\n", new LogReadOptions { SyslogYear = 2023 });

        events.Should().HaveCount(2);
        events[1].Timestamp.Should().BeNull();
        report.SkippedTotal.Should().Be(0);
    }

    [Fact]
    public void Rfc5424_gives_header_fields_structured_data_and_the_message()
    {
        var (events, report) = LogText.Read(
            "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Appli\\\"cation\" eventID=\"1011\"][examplePriority@32473 class=\"high\"] \uFEFFAn application event\n"
            + "<86>1 2024-01-05T10:00:00+01:00 bastion sshd 4321 - - Failed password for root from 203.0.113.5 port 4000 ssh2\n"
            + "<13>1 - - - - - -\n");

        report.Format.Should().Be(LogFormat.Syslog5424);
        report.SkippedTotal.Should().Be(0);
        var first = events[0];
        first.Get("host").Should().Be("mymachine.example.com");
        first.Get("program").Should().Be("evntslog");
        first.Has("pid").Should().BeFalse();
        first.Get("msgid").Should().Be("ID47");
        first.Get("facility").Should().Be("local4");
        first.Get("severity").Should().Be("notice");
        first.Get("sd.exampleSDID@32473.iut").Should().Be("3");
        first.Get("sd.exampleSDID@32473.eventSource").Should().Be("Appli\"cation");
        first.Get("sd.examplePriority@32473.class").Should().Be("high");
        first.Get("message").Should().Be("An application event");
        first.Timestamp.Should().Be(new DateTimeOffset(2003, 10, 11, 22, 14, 15, 3, TimeSpan.Zero));

        events[1].Get("event").Should().Be("ssh_failed_password");
        events[1].Get("pid").Should().Be("4321");
        events[1].Timestamp.Should().Be(new DateTimeOffset(2024, 1, 5, 9, 0, 0, TimeSpan.Zero));
        events[2].Timestamp.Should().BeNull();
        events[2].Get("message").Should().Be("");
    }

    [Theory]
    [InlineData("<13>1 2024-01-05T10:00:00Z h a p m [id x=\"unclosed] msg")]
    [InlineData("<13>1 2024-01-05T10:00:00Z h a p m [id x=1] msg")]
    [InlineData("<13>1 2024-01-05T10:00:00Z h a p m [] msg")]
    public void Damaged_structured_data_skips_the_line_with_its_reason(string bad)
    {
        var (events, report) = LogText.Read($"<13>1 2024-01-05T10:00:00Z h a p m - ok\n{bad}\n");

        events.Should().ContainSingle();
        report.Skipped.Should().ContainKey("malformed RFC 5424 structured data").WhoseValue.Should().Be(1);
    }

    [Fact]
    public void Sysmon_for_linux_xml_in_syslog_gives_its_fields_first()
    {
        var e = One("Jan 10 10:00:00 h sysmon: <Event><System><Provider Name=\"Linux-Sysmon\" Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/><EventID>1</EventID><Version>5</Version><Channel>Linux-Sysmon/Operational</Channel><Computer>h</Computer><Execution ProcessID=\"2218\" ThreadID=\"2218\"/><Security UserId=\"0\"/></System><EventData><Data Name=\"RuleName\">-</Data><Data Name=\"ProcessId\">4022</Data><Data Name=\"Image\">/usr/bin/curl</Data><Data Name=\"CommandLine\">curl http://x</Data></EventData></Event>");

        e.Fields[0].Should().Be(new LogField("RuleName", "-"));
        e.Get("Image").Should().Be("/usr/bin/curl");
        e.Get("CommandLine").Should().Be("curl http://x");
        e.Get("EventID").Should().Be("1");
        e.Get("Provider_Name").Should().Be("Linux-Sysmon");
        e.Get("ProcessId").Should().Be("4022");
        e.Get("program").Should().Be("sysmon");
    }

    private static LogEvent One(string line)
    {
        var (events, report) = LogText.Read(line + "\n", Year2024);
        report.SkippedTotal.Should().Be(0);
        return events.Should().ContainSingle().Subject;
    }
}
