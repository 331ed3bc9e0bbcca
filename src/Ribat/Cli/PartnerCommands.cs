using System.CommandLine;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Tenancy;

namespace Ribat.Cli;

/// <summary><c>ribat admin partner add | list | disable</c>: partner nodes, as the node operator.</summary>
internal static class PartnerCommands
{
    public static Command Create()
    {
        var partner = new Command("partner", "Partner nodes this node federates with over TAXII 2.1.");
        partner.Subcommands.Add(Add());
        partner.Subcommands.Add(List());
        partner.Subcommands.Add(Disable());
        return partner;
    }

    private static Command Add()
    {
        var name = new Option<string>("--name") { Description = "What the partner is called here (unique).", Required = true };
        var nodeId = new Option<Guid>("--node-id") { Description = "The partner's node id, as its identity page shows it.", Required = true, HelpName = "GUID" };
        var apiRoot = new Option<string>("--api-root") { Description = "The partner's TAXII 2.1 API root URL, e.g. https://taxii.partner.example/api1/.", Required = true, HelpName = "URL" };
        var publicKey = new Option<FileInfo>("--public-key") { Description = "File holding the partner's public key (PEM, ECDSA P-256).", Required = true, HelpName = "FILE" };
        var user = new Option<string?>("--user") { Description = "User name for HTTP Basic; without it the credential is sent as a Bearer token." };
        var credentialFile = new Option<string>("--credential-file")
        {
            Description = "File holding the credential the partner issued to us ('-' reads it from standard input); kept encrypted, never shown again.",
            Required = true,
            HelpName = "FILE",
        };
        var distribution = new Option<string[]>("--distribution")
        {
            Description = "Distribution that may flow to the partner (repeat): connected-communities, sharing-group. Default: connected-communities.",
            AllowMultipleArgumentsPerToken = true,
        };
        var group = new Option<Guid[]>("--sharing-group") { Description = "Sharing group whose objects may flow (repeat; with --distribution sharing-group).", HelpName = "GUID" };
        var tlp = new Option<string?>("--tlp-ceiling") { Description = "The most restrictive TLP that may leave for the partner: clear, green, amber, amber+strict, red. Default: green." };
        var command = new Command("add", "Record a partner node and print the inbound secret it will call us with (shown once).")
        {
            name, nodeId, apiRoot, publicKey, user, credentialFile, distribution, group, tlp,
        };
        command.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            string pem;
            try
            {
                pem = await File.ReadAllTextAsync(parsed.GetValue(publicKey)!.FullName, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return CliOutput.Fail($"cannot read the public key file: {ex.Message}");
            }

            var credential = await ReadCredentialAsync(parsed.GetValue(credentialFile)!, ct);
            if (credential.Error is { } unreadable)
            {
                return CliOutput.Fail(unreadable);
            }

            var distributions = parsed.GetValue(distribution) is { Length: > 0 } chosen ? chosen : null;
            var added = await admin.Get<AddPartner>().HandleAsync(Actor.Operator, new PartnerInput(
                parsed.GetValue(name), parsed.GetValue(nodeId), parsed.GetValue(apiRoot), parsed.GetValue(user), credential.Value, pem,
                distributions, parsed.GetValue(group), parsed.GetValue(tlp)), ct);
            if (added.Error is { } refused)
            {
                return CliOutput.Fail(refused);
            }

            var p = added.Value!.Partner;
            Console.Out.WriteLine($"Recorded partner '{p.Name}' (node {p.NodeId}) at {p.ApiRoot} {p.Id}");
            Console.Out.WriteLine($"Public key fingerprint: {p.PublicKeyFingerprint}");
            Console.Out.WriteLine($"Inbound secret: {added.Value.InboundSecret}   (shown once; give it to the partner to call this node with)");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var format = new Option<OutputFormat>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("list", "List partner nodes (never their credentials).") { format };
        command.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var partners = await AllAsync(admin, ct);
            CliOutput.Write(parsed.GetValue(format), partners,
            [
                ("NAME", p => p.Name), ("NODE", p => p.NodeId), ("API ROOT", p => p.ApiRoot), ("AUTH", p => p.Authentication),
                ("FINGERPRINT", p => p.PublicKeyFingerprint), ("TLP CEILING", p => p.TlpCeiling), ("DISTRIBUTIONS", p => p.AllowedDistributions),
                ("ENABLED", p => p.Enabled), ("ID", p => p.Id),
            ]);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Disable()
    {
        var which = new Argument<string>("partner") { Description = "The partner's name or id." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log." };
        var command = new Command("disable", "Disable a partner: nothing flows either way and its inbound secret stops working at once.") { which, reason };
        command.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var key = parsed.GetValue(which)!;
            var partner = (await AllAsync(admin, ct)).FirstOrDefault(p => p.Name == key || p.Id.ToString() == key.Trim().ToLowerInvariant());
            if (partner is null)
            {
                return CliOutput.Fail($"no partner is named '{key}' or has that id (see 'ribat admin partner list').");
            }

            var changed = await admin.Get<ChangePartnerState>().HandleAsync(Actor.Operator, partner.Id, enabled: false, parsed.GetValue(reason), ct);
            if (changed.Error is { } refused)
            {
                return CliOutput.Fail(refused);
            }

            Console.Out.WriteLine(partner.Enabled ? $"Disabled partner '{partner.Name}' {partner.Id}" : $"Partner '{partner.Name}' was already disabled {partner.Id}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<List<PartnerDto>> AllAsync(AdminContext admin, CancellationToken ct)
    {
        var all = new List<PartnerDto>();
        string? cursor = null;
        do
        {
            var page = (await admin.Get<ReadPartners>().ListAsync(Actor.Operator, cursor, Core.Common.Cursor.MaxLimit, ct)).Value!;
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    private static async Task<Core.Common.Result<string>> ReadCredentialAsync(string path, CancellationToken ct)
    {
        try
        {
            var text = path == "-" ? await Console.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(path, ct);

            // Files end with a newline that is not part of the secret.
            return text.TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Core.Common.Error.Validation("credential", $"cannot read the credential file: {ex.Message}");
        }
    }
}
