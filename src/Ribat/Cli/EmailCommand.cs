using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ribat.Forensics.Email;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat analyze email</c>: reads .eml files and mboxes on the spot and reports each message (route, origin,
/// authentication, anomalies, links, attachments, look-alike domains, indicators, verdict). Nothing is stored.
/// </summary>
internal static class EmailCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = ".eml files or mboxes (recognised by content, not name); every message is reported.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "table (default) or json (one JSON object per message, one per line).", DefaultValueFactory = _ => "table", HelpName = "FORMAT" };
        var protect = new Option<string?>("--protect") { Description = "Domains whose look-alikes to find, comma-separated (e.g. paypal.com,gov.example).", HelpName = "DOMAIN,..." };
        var protectFile = new Option<string?>("--protect-file") { Description = "A file of protected domains, one per line ('#' starts a comment).", HelpName = "FILE" };
        var internalNetworks = new Option<string?>("--internal") { Description = "The recipient's own domains and networks, comma-separated (e.g. corp.example,192.0.2.0/24); private and loopback addresses are always internal.", HelpName = "DOMAIN/CIDR,..." };
        var dkimKey = new Option<string[]>("--dkim-key") { Description = "A DKIM public key: selector._domainkey.domain=FILE, the file holding the DNS TXT record (v=DKIM1; k=rsa; p=...) or an RSA PEM public key. Repeatable; no DNS is queried.", HelpName = "NAME=FILE", Arity = ArgumentArity.ZeroOrMore };
        var dkimKeys = new Option<string?>("--dkim-keys") { Description = "A folder of DKIM keys, each file named selector._domainkey.domain (optionally .txt or .pem).", HelpName = "DIR" };
        var command = new Command("email",
            "Analyse e-mail: sender headers, the Received route in travel order and the origin (the first hop outside --internal), " +
            "SPF/DKIM/DMARC/ARC results as recorded plus DKIM verification with the keys given, header anomalies, every URL " +
            "(refanged; links whose text shows another domain are flagged), every attachment with its detected type and MD5/SHA-1/SHA-256 " +
            "(zip archives and attached messages opened, within limits), look-alikes of the protected domains, indicators and a verdict " +
            "(clean, suspicious, malicious) with its reasons. Every file is checked before any is read: if one is missing or not mail, " +
            "nothing is analysed and the exit code is 2.")
        {
            files, format, protect, protectFile, internalNetworks, dkimKey, dkimKeys,
        };
        command.SetAction(parsed =>
        {
            var output = parsed.GetValue(format)!.ToLowerInvariant();
            if (output is not ("table" or "json"))
            {
                return CliOutput.Fail($"--format must be table or json, not '{parsed.GetValue(format)}'.");
            }

            if (EmailSettings.TryBuild(parsed.GetValue(protect), parsed.GetValue(protectFile), parsed.GetValue(internalNetworks),
                    parsed.GetValue(dkimKey) ?? [], parsed.GetValue(dkimKeys), out var options) is { } unfit)
            {
                return CliOutput.Fail(unfit);
            }

            var paths = parsed.GetValue(files)!;
            if (Check(paths, options.Limits) is { } problem)
            {
                return CliOutput.Fail(problem);
            }

            var analyser = new EmailAnalyser(options);
            string? failed = null;
            var worst = VerdictLevel.Clean;
            foreach (var path in paths)
            {
                failed ??= Read(path, analyser, options.Limits, output == "json", ref worst);
            }

            if (failed is not null)
            {
                return CliOutput.Fail(failed);
            }

            return worst == VerdictLevel.Clean ? ExitCodes.Ok : ExitCodes.Findings;
        });
        return command;
    }

    private static string? Check(string[] paths, EmailLimits limits)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                return $"{path} is a directory, not an e-mail file.";
            }

            if (!File.Exists(path))
            {
                return $"{path} does not exist.";
            }

            try
            {
                using var stream = File.OpenRead(path);
                if (MailboxReader.Open(stream, limits).Error is { } error)
                {
                    return $"{path}: {error}";
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"cannot read {path}: {ex.Message}";
            }
        }

        return null;
    }

    /// <summary>
    /// Reports every message of one file as it is read, raising <paramref name="worst"/> to the worst verdict seen;
    /// returns the one-line error that stopped it, if any.
    /// </summary>
    private static string? Read(string path, EmailAnalyser analyser, EmailLimits limits, bool json, ref VerdictLevel worst)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var opened = MailboxReader.Open(stream, limits);
            if (opened.Reader is not { } reader)
            {
                return $"{path}: {opened.Error}";
            }

            using var stdout = Console.OpenStandardOutput();
            while (reader.TryRead(out var message, out var offset))
            {
                var report = analyser.Analyse(message, reader.Count, offset);
                worst = report.Verdict.Level > worst ? report.Verdict.Level : worst;
                if (json)
                {
                    WriteJsonLine(stdout, report, path);
                }
                else
                {
                    EmailTable.Write(Console.Out, report, path);
                }
            }

            return reader.Error is null ? null : $"{path}: {reader.Error}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot read {path}: {ex.Message}";
        }
    }

    private static void WriteJsonLine(Stream stdout, EmailReport report, string path)
    {
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            EmailReportJson.Write(json, report, path);
        }

        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }
}

/// <summary>Turns the command's options into <see cref="EmailAnalysisOptions"/>, reading the files they name.</summary>
internal static class EmailSettings
{
    public static string? TryBuild(string? protect, string? protectFile, string? internalList, string[] keyOptions, string? keyFolder, out EmailAnalysisOptions options)
    {
        options = EmailAnalysisOptions.Default;
        var domains = new List<string>(Split(protect));
        try
        {
            if (protectFile is not null)
            {
                if (!File.Exists(protectFile))
                {
                    return $"--protect-file {protectFile} does not exist.";
                }

                domains.AddRange(File.ReadAllLines(protectFile));
            }

            if (!ProtectedDomains.TryParse(domains, out var protectedDomains, out var reason))
            {
                return $"--protect: {reason}";
            }

            if (!InternalNetworks.TryParse(Split(internalList), out var networks, out reason))
            {
                return $"--internal: {reason}";
            }

            if (ReadKeys(keyOptions, keyFolder, out var records) is { } bad)
            {
                return bad;
            }

            if (!DkimKeyStore.TryCreate(records, out var keys, out reason))
            {
                return reason;
            }

            options = new EmailAnalysisOptions { Protected = protectedDomains, Internal = networks, DkimKeys = keys };
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot read a key or domain file: {ex.Message}";
        }
    }

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static string? ReadKeys(string[] keyOptions, string? keyFolder, out List<KeyValuePair<string, string>> records)
    {
        records = [];
        foreach (var option in keyOptions)
        {
            var equals = option.IndexOf('=');
            if (equals <= 0)
            {
                return $"--dkim-key must be selector._domainkey.domain=FILE, not '{option}'.";
            }

            var file = option[(equals + 1)..];
            if (!File.Exists(file))
            {
                return $"--dkim-key: {file} does not exist.";
            }

            records.Add(new(option[..equals], File.ReadAllText(file)));
        }

        if (keyFolder is not null)
        {
            if (!Directory.Exists(keyFolder))
            {
                return $"--dkim-keys {keyFolder} is not a folder.";
            }

            foreach (var file in Directory.EnumerateFiles(keyFolder).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                name = name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
                records.Add(new(name, File.ReadAllText(file)));
            }
        }

        return null;
    }
}

/// <summary>One message as a block of aligned text for a terminal.</summary>
internal static class EmailTable
{
    public static void Write(TextWriter output, EmailReport report, string path)
    {
        output.WriteLine($"== {path} #{report.Index}  {EmailReportJson.Name(report.Verdict.Level).ToUpperInvariant()}");
        Field(output, "Subject", report.Subject);
        Field(output, "From", Mailbox(report.From));
        Field(output, "Sender", Mailbox(report.Sender));
        Field(output, "Reply-To", string.Join(", ", report.ReplyTo.Select(Mailbox)));
        Field(output, "Return-Path", report.ReturnPath);
        Field(output, "To", string.Join(", ", report.To.Concat(report.Cc).Select(Mailbox)));
        Field(output, "Date", Time(report.Date));
        Field(output, "Message-ID", report.MessageId ?? "(none)");
        Field(output, "Origin", report.Origin is { } origin ? $"{origin.FromIp} ({origin.FromHost ?? "?"}, hop {origin.Position})" : "(not found)");
        var auth = report.Authentication;
        Field(output, "Auth", $"spf={auth.Spf ?? "-"} dkim={auth.Dkim ?? "-"} dmarc={auth.Dmarc ?? "-"} arc={auth.Arc ?? "-"}" +
            string.Concat(auth.DkimSignatures.Select(s => $"  signature {s.Selector}@{s.Domain}: {EmailReportJson.Name(s.Status)}")));
        Section(output, "Route (travel order)", report.Received,
            [("hop", h => h.Position), ("from", h => h.FromHost), ("ip", h => h.FromIp), ("by", h => h.ByHost), ("with", h => h.Protocol),
             ("time (UTC)", h => Time(h.Timestamp)), ("delay s", h => h.DelaySeconds?.ToString("0", CultureInfo.InvariantCulture))]);
        Section(output, "Anomalies", report.Anomalies, [("severity", a => EmailReportJson.Name(a.Severity)), ("kind", a => a.Kind), ("what", a => a.Message)]);
        Section(output, "Look-alike domains", report.Lookalikes, [("domain", l => l.Display == l.Domain ? l.Domain : $"{l.Domain} ({l.Display})"), ("imitates", l => l.Protected), ("kind", l => l.Kind), ("seen in", l => l.Where)]);
        Section(output, "URLs", report.Urls, [("url", u => u.Url), ("from", u => u.Source), ("link text differs", u => u.TextMismatch ? u.LinkText : null)]);
        Section(output, "Attachments", report.Attachments,
            [("path", a => a.Path), ("detected", a => a.DetectedType), ("declared", a => a.DeclaredType), ("bytes", a => a.Size.ToString("N0", CultureInfo.InvariantCulture)), ("sha256", a => a.Sha256)]);
        Section(output, "Verdict reasons", report.Verdict.Reasons, [("severity", r => EmailReportJson.Name(r.Severity)), ("reason", r => r.Reason)]);
        output.WriteLine();
    }

    private static void Field(TextWriter output, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.WriteLine($"{name,-12}{OneLine(value)}");
        }
    }

    private static void Section<T>(TextWriter output, string title, IReadOnlyList<T> rows, (string Header, Func<T, object?> Value)[] columns)
    {
        if (rows.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(title);
        var cells = rows.Select(r => columns.Select(c => OneLine(Convert.ToString(c.Value(r), CultureInfo.InvariantCulture) ?? string.Empty)).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Max(r => r[i].Length))).ToArray();
        output.WriteLine("  " + string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
        {
            output.WriteLine("  " + string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string? Mailbox(MailboxAddressInfo? mailbox) =>
        mailbox is null ? null : mailbox.DisplayName is null ? mailbox.Address : $"\"{mailbox.DisplayName}\" <{mailbox.Address}>";

    private static string? Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Headers are attacker-written: control characters would forge lines in the operator's terminal.</summary>
    private static string OneLine(string text)
    {
        var clean = string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
        return clean.Length <= 200 ? clean : clean[..197] + "...";
    }
}
