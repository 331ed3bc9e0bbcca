using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Findings;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>
/// The values the analysis of a case's evidence found that can be subjects (wallets, e-mail addresses, IPs,
/// domains, accounts, phones, IBANs), and taking one into the case with its finding as source. A value the case
/// already holds is that subject, reused rather than duplicated.
/// </summary>
public sealed class SubjectsFromFindings(SharingAccess sharing, ReadFindings findings, AddSubject add, TimeProvider clock)
{
    /// <summary>The values of the case's findings (of one evidence item, when named), each with the subject it already is.</summary>
    public async Task<Result<IReadOnlyList<FindingValueDto>>> CandidatesAsync(Actor actor, Guid caseId, Guid? evidenceId, CancellationToken cancellationToken = default)
    {
        var read = await findings.ForCaseAsync(actor, caseId, cancellationToken);
        if (read.Error is { } failed)
        {
            return failed;
        }

        var values = new List<(FindingDto Finding, CanonicalIndicator Value, SubjectKind Kind)>();
        foreach (var finding in read.Value!.Where(f => evidenceId is null || f.EvidenceId == evidenceId))
        {
            foreach (var (type, value) in ValuesOf(finding))
            {
                if (SubjectKinds.TryKindOf(type, out var kind) && IndicatorTypes.TryCanonicalise(type, value, out var canonical, out _))
                {
                    values.Add((finding, canonical!, kind));
                }
            }
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var keys = values.Select(v => v.Value.ValueKey).Distinct().ToList();
        var held = await session.Db.CaseSubjects.AsNoTracking().Where(s => s.CaseId == caseId && s.ValueKey != null && keys.Contains(s.ValueKey.Value))
            .Select(s => new { s.Id, s.ValueKey, s.Value }).ToListAsync(cancellationToken);
        return values.DistinctBy(v => (v.Finding.Id, v.Value.ValueKey)).Select(v => new FindingValueDto(
            v.Finding.Id, v.Finding.EvidenceId, v.Finding.Title, v.Value.Type, v.Value.Value, v.Kind.Spell(),
            held.FirstOrDefault(h => h.ValueKey == v.Value.ValueKey && h.Value == v.Value.Value)?.Id)).ToList();
    }

    public async Task<Result<FindingSubjectDto>> HandleAsync(Actor actor, Guid caseId, FindingValueInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var writable = await SubjectRules.WritableCaseAsync(session, actor, caseId, cancellationToken);
        if (writable.Error is { } refused)
        {
            return refused;
        }

        var v = new Validation()
            .Require(input.FindingId is not null, "findingId", "Name the finding the value comes from.")
            .Require(SubjectKinds.TryKindOf(input.Type?.Trim().ToLowerInvariant(), out _), "type",
                $"'{input.Type}' values do not become subjects; these do: {string.Join(", ", SubjectKinds.All.SelectMany(k => k.ValueTypes))}.");
        CanonicalIndicator? value = null;
        if (v.IsValid && !IndicatorTypes.TryCanonicalise(input.Type, input.Value, out value, out var reason))
        {
            v.Add("value", reason);
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        var read = await findings.ForCaseAsync(actor, caseId, cancellationToken);
        var finding = read.Value?.FirstOrDefault(f => f.Id == input.FindingId);
        if (finding is null)
        {
            return Error.Validation("findingId", $"The case has no finding {input.FindingId}.");
        }

        if (!ValuesOf(finding).Any(f => f.Type == value!.Type && IndicatorTypes.TryCanonicalise(f.Type, f.Value, out var found, out _) && found!.Value == value.Value))
        {
            return Error.Validation("value", $"The finding holds no {value!.Type} {value.Value}.");
        }

        SubjectKinds.TryKindOf(value!.Type, out var kind);
        if (await SubjectRules.HolderAsync(session.Db, caseId, value, null, cancellationToken) is { } held)
        {
            return new FindingSubjectDto((await SubjectRules.ToDtosAsync(session.Db, [held], cancellationToken))[0], true);
        }

        var subject = new SubjectInput(kind.Spell(), new SourceInput("finding", finding.Id, finding.Title), value.Value, value.Type);
        var content = new SubjectRules.Checked(kind, value, []);
        var row = await add.InsertAsync(session, actor, writable.Value!, subject, content, (SourceKind.Finding, finding.Id, Clip(finding.Title)),
            AuditEvents.SubjectFromFinding, clock.GetUtcNow(), cancellationToken);
        if (row is null)
        {
            // Another request took the same value first: that subject is the one.
            await using var again = await sharing.OpenAsync(actor, cancellationToken);
            var winner = await SubjectRules.HolderAsync(again.Db, caseId, value, null, cancellationToken);
            return winner is null ? Error.Conflict("The value was added and removed again meanwhile; try again.") : new FindingSubjectDto(SubjectRules.ToDto(winner, 0), true);
        }

        return new FindingSubjectDto(SubjectRules.ToDto(row, 0), false);
    }

    private static string Clip(string text) => text.Length <= SubjectRules.MaxText ? text : text[..SubjectRules.MaxText];

    /// <summary>The (type, value) pairs of a finding's report: both the e-mail and the file report list them under <c>indicators</c>.</summary>
    private static IEnumerable<(string Type, string Value)> ValuesOf(FindingDto finding)
    {
        if (finding.Report.ValueKind != JsonValueKind.Object || !finding.Report.TryGetProperty("indicators", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && item.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                yield return (type.GetString()!, value.GetString()!);
            }
        }
    }
}
