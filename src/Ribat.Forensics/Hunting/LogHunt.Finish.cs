using System.Globalization;
using Ribat.Forensics.Access;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

public sealed partial class LogHunt
{
    /// <summary>After the last event: correlations and access rules over their spilled inputs in time order, then the timeline.</summary>
    private void Finish(Spills spills, Action<HuntHit> write)
    {
        var late = new List<HuntHit>();
        Correlate(spills.Correlated, late);
        DetectAccess(spills.Logons, late);
        foreach (var hit in late)
        {
            _summary.Count(hit);
        }

        Interlocked.Add(ref _detections, late.Count);
        if (spills.Timeline is not { } timeline)
        {
            foreach (var hit in late)
            {
                Emit(hit, write);
            }

            return;
        }

        // Findings join the timeline at their time, after the events of the same instant.
        var findings = timeline.CreateBuffer();
        for (var i = 0; i < late.Count; i++)
        {
            findings.Add(SpillKey.For(late[i].Event.Timestamp, int.MaxValue, 0, i), late[i]);
        }

        findings.Flush();
        foreach (var row in timeline.Merge())
        {
            Emit(row, write);
        }
    }

    private void Emit(HuntHit hit, Action<HuntHit> write)
    {
        if (hit.Kind == HuntKind.Event || Reported(hit))
        {
            if (hit.Kind != HuntKind.Event)
            {
                _summary.Reported++;
            }

            write(hit);
        }
    }

    private void Correlate(SpillRuns? correlated, List<HuntHit> late)
    {
        if (_correlator is null || correlated is null)
        {
            return;
        }

        var fired = new List<SigmaDetection>();
        foreach (var hit in correlated.Merge())
        {
            _correlator.Feed(new SigmaDetection(hit.RuleId!, hit.RuleTitle!, hit.Level, hit.Tags, hit.Event), fired);
        }

        _correlator.Flush(fired);
        _summary.CorrelationUntimed = _correlator.Untimed;
        foreach (var detection in fired)
        {
            late.Add(new HuntHit(HuntKind.Correlation, detection.Event)
            {
                RuleId = detection.RuleId,
                RuleTitle = detection.Title,
                Level = detection.Level,
                Tags = detection.Tags,
                EventCount = detection.EventCount,
                GroupKey = detection.GroupKey,
            });
        }
    }

    private void DetectAccess(SpillRuns? logons, List<HuntHit> late)
    {
        if (logons is null)
        {
            return;
        }

        var detector = new AccessDetector(_options.Access, _options.Enricher);
        foreach (var hit in logons.Merge())
        {
            detector.Observe(hit.Event);
        }

        _summary.LogonAttempts = detector.Attempts;
        foreach (var finding in detector.Findings())
        {
            late.Add(AccessHit(finding));
        }
    }

    private static HuntHit AccessHit(AccessFinding finding)
    {
        var (id, title, level, tags) = finding.Kind switch
        {
            AccessFindingKind.BruteForce => ("access/brute-force", "Brute force: many failed logons from one source", "high", (string[])["attack.credential_access", "attack.t1110.001"]),
            AccessFindingKind.PasswordSpraying => ("access/password-spraying", "Password spraying: one source failing against many accounts", "high", ["attack.credential_access", "attack.t1110.003"]),
            AccessFindingKind.SuccessAfterFailures => ("access/success-after-failures", "Successful logon after a run of failures", "high", ["attack.credential_access", "attack.t1110"]),
            AccessFindingKind.FirstSeenSource => ("access/first-seen-source", "Logon from an origin never seen before for the account", "medium", ["attack.initial_access", "attack.t1078"]),
            _ => ("access/unusual-hours", "Logon outside working hours", "low", ["attack.initial_access", "attack.t1078"]),
        };
        var evidence = finding.Evidence.Count > 0 ? finding.Evidence[0] : new AccessEvidence("", 0);
        LogField[] fields =
        [
            new("account", finding.Account),
            new("accounts", string.Join(", ", finding.Accounts)),
            new("source", finding.Source),
            new("first", finding.First.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            new("last", finding.Last.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            new("count", finding.Count.ToString(CultureInfo.InvariantCulture)),
            new("detail", finding.Detail),
            new("evidence", string.Join(", ", finding.Evidence.Select(e => $"{e.SourceFile}#{e.RecordId}"))),
        ];
        return new HuntHit(HuntKind.Access, new LogEvent(LogFormat.Unknown, evidence.SourceFile, evidence.RecordId, finding.First, fields))
        {
            RuleId = id,
            RuleTitle = title,
            Level = level,
            Tags = tags,
            EventCount = finding.Count,
        };
    }
}
