using System.Text.RegularExpressions;

namespace Ribat.Forensics.Logs;

internal static partial class AuthMessages
{
    /// <summary>
    /// pam_unix messages: "pam_unix(service:kind): ..." and the older "service(pam_unix)[pid]: ..." tag. For su and
    /// sudo the invoking user is <c>user</c> and the account switched to is <c>target_user</c>.
    /// </summary>
    private static partial class Pam
    {
        public static void Add(List<LogField> fields, string program, string message)
        {
            string service;
            string text;
            if (PamPrefix().Match(message) is { Success: true } prefix)
            {
                service = prefix.Groups["service"].Value;
                text = message[prefix.Length..];
            }
            else if (program.EndsWith("(pam_unix)", StringComparison.Ordinal))
            {
                service = program[..^"(pam_unix)".Length];
                text = message;
            }
            else
            {
                return;
            }

            var switching = service is "su" or "su-l" or "sudo" or "sudo-i";
            if (SessionOpened().Match(text) is { Success: true } opened)
            {
                Event(fields, service is "su" or "su-l" ? "su_session_opened" : "pam_session_opened");
                var by = opened.Groups["by"].Value;
                Put(fields, "user", by.Length > 0 && switching ? by : opened.Groups["user"].Value);
                Put(fields, "target_user", switching ? opened.Groups["user"].Value : "");
            }
            else if (SessionClosed().Match(text) is { Success: true } closed)
            {
                Event(fields, "pam_session_closed");
                Put(fields, switching ? "target_user" : "user", closed.Groups["user"].Value);
            }
            else if (text.StartsWith("authentication failure;", StringComparison.Ordinal))
            {
                Event(fields, "pam_auth_failure");
                AddFailure(fields, text, switching);
            }
            else if (text.StartsWith("check pass; user unknown", StringComparison.Ordinal))
            {
                Event(fields, "pam_user_unknown");
            }
            else
            {
                return;
            }

            Put(fields, "service", service);
        }

        /// <summary>"authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=1.2.3.4  user=root"</summary>
        private static void AddFailure(List<LogField> fields, string text, bool switching)
        {
            string account = "", invoker = "", host = "", tty = "";
            foreach (Match pair in KeyValue().Matches(text))
            {
                var value = pair.Groups["value"].Value;
                switch (pair.Groups["key"].Value)
                {
                    case "user":
                        account = value;
                        break;
                    case "ruser" when value.Length > 0:
                    case "logname" when invoker.Length == 0:
                        invoker = value;
                        break;
                    case "rhost":
                        host = value;
                        break;
                    case "tty":
                        tty = value;
                        break;
                }
            }

            Put(fields, "user", switching && invoker.Length > 0 ? invoker : account);
            Put(fields, "target_user", switching ? account : "");
            Put(fields, "source_ip", host);
            Put(fields, "tty", tty);
        }

        [GeneratedRegex(@"^pam_unix\((?<service>[^:()]+):(?<kind>[a-z]+)\): ", RegexOptions.CultureInvariant)]
        private static partial Regex PamPrefix();

        [GeneratedRegex(@"^session opened for user (?<user>[^\s(]+)(?:\(uid=\d+\))? by (?<by>[^\s(]*)(?:\(uid=\d+\))?", RegexOptions.CultureInvariant)]
        private static partial Regex SessionOpened();

        [GeneratedRegex(@"^session closed for user (?<user>\S+)", RegexOptions.CultureInvariant)]
        private static partial Regex SessionClosed();

        [GeneratedRegex(@"(?<key>[a-z]+)=(?<value>\S*)", RegexOptions.CultureInvariant)]
        private static partial Regex KeyValue();
    }
}
