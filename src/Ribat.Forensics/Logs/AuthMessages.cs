using System.Text.RegularExpressions;

namespace Ribat.Forensics.Logs;

/// <summary>
/// Recognises the sshd, sudo, su and PAM messages of Linux authentication logs and adds normalised fields:
/// <c>event</c>, <c>user</c> (who acts, or the account logging in), <c>target_user</c> (the account sudo or su
/// switches to), <c>source_ip</c>, <c>source_port</c>, <c>auth_method</c>, <c>command</c>, <c>tty</c>, <c>pwd</c>
/// and <c>service</c> (the PAM service). Messages it does not know are left as they are.
/// </summary>
internal static partial class AuthMessages
{
    public static void Add(List<LogField> fields, string program, string message)
    {
        if (message.StartsWith("pam_", StringComparison.Ordinal) || program.EndsWith("(pam_unix)", StringComparison.Ordinal))
        {
            Pam.Add(fields, program, message);
            return;
        }

        switch (program)
        {
            case "sshd" or "sshd-session":
                AddSshd(fields, message);
                break;
            case "sudo":
                AddSudo(fields, message);
                break;
            case "su":
                AddSu(fields, message);
                break;
        }
    }

    private static void AddSshd(List<LogField> fields, string message)
    {
        if (SshAuthResult().Match(message) is { Success: true } result)
        {
            var method = result.Groups["method"].Value;
            var outcome = result.Groups["outcome"].Value == "Accepted" ? "ssh_accepted_" : "ssh_failed_";
            Event(fields, outcome + MethodName(method));
            Put(fields, "user", result.Groups["user"].Value);
            Source(fields, result);
            Put(fields, "auth_method", method);
        }
        else if (SshInvalidUser().Match(message) is { Success: true } invalid)
        {
            Event(fields, "ssh_invalid_user");
            Put(fields, "user", invalid.Groups["user"].Value);
            Source(fields, invalid);
        }
        else if (SshDisconnect().Match(message) is { Success: true } disconnect)
        {
            Event(fields, disconnect.Groups["preauth"].Success ? "ssh_disconnect_preauth" : "ssh_disconnect");
            Put(fields, "user", disconnect.Groups["user"].Value);
            Source(fields, disconnect);
        }
        else if (SshMaxAttempts().Match(message) is { Success: true } max)
        {
            Event(fields, "ssh_max_auth_attempts");
            Put(fields, "user", max.Groups["user"].Value);
            Source(fields, max);
        }
        else if (SshNotAllowed().Match(message) is { Success: true } refused)
        {
            Event(fields, "ssh_user_not_allowed");
            Put(fields, "user", refused.Groups["user"].Value);
            Source(fields, refused);
        }
    }

    private static void AddSudo(List<LogField> fields, string message)
    {
        if (SudoLine().Match(message) is not { Success: true } sudo)
        {
            return;
        }

        var problem = sudo.Groups["problem"].Value;
        Event(fields, problem switch
        {
            "" => "sudo_command",
            _ when problem.Contains("incorrect password attempt", StringComparison.Ordinal) => "sudo_auth_failure",
            _ when problem.Contains("NOT in sudoers", StringComparison.Ordinal) => "sudo_not_in_sudoers",
            _ => "sudo_denied",
        });
        Put(fields, "user", sudo.Groups["user"].Value);
        Put(fields, "target_user", sudo.Groups["target"].Value);
        Put(fields, "tty", sudo.Groups["tty"].Value);
        Put(fields, "pwd", sudo.Groups["pwd"].Value);
        Put(fields, "command", sudo.Groups["command"].Value);
    }

    private static void AddSu(List<LogField> fields, string message)
    {
        if (SuFailed().Match(message) is { Success: true } failed)
        {
            SuFields(fields, "su_failed", failed);
        }
        else if (SuSucceeded().Match(message) is { Success: true } succeeded)
        {
            SuFields(fields, "su_succeeded", succeeded);
        }
        else if (SuShadow().Match(message) is { Success: true } shadow)
        {
            SuFields(fields, shadow.Groups["sign"].Value == "+" ? "su_succeeded" : "su_failed", shadow);
        }
        else if (SuByUser().Match(message) is { Success: true } by)
        {
            SuFields(fields, "su_succeeded", by);
        }
    }

    private static void SuFields(List<LogField> fields, string name, Match match)
    {
        Event(fields, name);
        Put(fields, "user", match.Groups["user"].Value);
        Put(fields, "target_user", match.Groups["target"].Value);
        Put(fields, "tty", match.Groups["tty"].Value);
    }

    /// <summary>"keyboard-interactive/pam" → "keyboard_interactive": the part before any sub-method, as a name.</summary>
    private static string MethodName(string method) => method switch
    {
        "password" => "password",
        "publickey" => "publickey",
        "none" => "none",
        _ => method.Split('/')[0].Replace('-', '_'),
    };

    private static void Source(List<LogField> fields, Match match)
    {
        Put(fields, "source_ip", match.Groups["ip"].Value);
        Put(fields, "source_port", match.Groups["port"].Value);
    }

    internal static void Event(List<LogField> fields, string name) => fields.Add(new LogField("event", name));

    internal static void Put(List<LogField> fields, string name, string value)
    {
        if (value.Length > 0)
        {
            fields.Add(new LogField(name, value));
        }
    }

    [GeneratedRegex(@"^(?<outcome>Failed|Accepted) (?<method>\S+) for (?:invalid user )?(?<user>.*?) from (?<ip>\S+) port (?<port>\d+)(?: \S+)?(?::.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SshAuthResult();

    [GeneratedRegex(@"^(?:Invalid user (?<user>.*?) from (?<ip>\S+)(?: port (?<port>\d+))?|input_userauth_request: invalid user (?<user>\S*))(?: \[preauth\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SshInvalidUser();

    [GeneratedRegex(@"^(?:Disconnected from|Connection closed by|Connection reset by|Received disconnect from) (?:(?:authenticating|invalid|user) (?:user )?(?<user>\S*) )?(?<ip>[0-9A-Fa-f.:]+)(?: port (?<port>\d+))?(?::.*?)?(?<preauth> \[preauth\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SshDisconnect();

    [GeneratedRegex(@"^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?(?<user>.*?) from (?<ip>\S+) port (?<port>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SshMaxAttempts();

    [GeneratedRegex(@"^User (?<user>\S+) from (?<ip>\S+) not allowed because", RegexOptions.CultureInvariant)]
    private static partial Regex SshNotAllowed();

    [GeneratedRegex(@"^\s*(?<user>\S+) : (?:(?!TTY=|PWD=)(?<problem>[^;]*?) ; )?(?:TTY=(?<tty>\S+) ; )?PWD=(?<pwd>.*?) ; USER=(?<target>\S+) ;(?: GROUP=\S+ ;)?(?: ENV=.*? ;)? COMMAND=(?<command>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SudoLine();

    [GeneratedRegex(@"^FAILED SU \(to (?<target>\S+)\) (?<user>\S+) on (?<tty>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SuFailed();

    [GeneratedRegex(@"^\(to (?<target>\S+)\) (?<user>\S+) on (?<tty>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SuSucceeded();

    [GeneratedRegex(@"^(?<sign>[+-]) (?<tty>\S+) (?<user>[^:\s]+):(?<target>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SuShadow();

    [GeneratedRegex(@"^Successful su for (?<target>\S+) by (?<user>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SuByUser();
}
