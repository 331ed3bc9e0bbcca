namespace Ribat.Forensics.Access;

public sealed partial class AccessDetector
{
    private const int MaxOriginsPerAccount = 1024;

    /// <summary>One source's recent failures and the bursts it is in.</summary>
    private sealed class SourceState
    {
        public Queue<(DateTimeOffset Time, string Account, AccessEvidence Evidence)> Recent { get; } = new();

        public Queue<(DateTimeOffset Time, string Account, AccessEvidence Evidence)> Spray { get; } = new();

        public Dictionary<string, int> SprayAccounts { get; } = new(StringComparer.OrdinalIgnoreCase);

        public FindingBuilder? BruteForce { get; set; }

        public FindingBuilder? Spraying { get; set; }

        public DateTimeOffset LastSeen { get; set; }
    }

    private void DetectBruteForce(SourceState state, LogonAttempt attempt)
    {
        state.LastSeen = attempt.Time;
        var window = _options.BruteForceWindow;
        if (state.BruteForce is { } open && attempt.Time - open.Last <= window)
        {
            open.Add(attempt.Time, attempt.Account, attempt.Evidence);
            open.Detail = $"{open.Count} failed logons";
            return;
        }

        state.BruteForce = null;
        state.Recent.Enqueue((attempt.Time, attempt.Account, attempt.Evidence));
        while (state.Recent.Peek().Time < attempt.Time - window)
        {
            state.Recent.Dequeue();
        }

        if (state.Recent.Count < _options.BruteForceFailures)
        {
            return;
        }

        var finding = Begin(AccessFindingKind.BruteForce, null, attempt.Source, state.Recent.Peek().Time, "");
        foreach (var (time, account, evidence) in state.Recent)
        {
            finding.Add(time, account, evidence);
        }

        finding.Detail = $"{finding.Count} failed logons";
        state.Recent.Clear();
        state.BruteForce = finding;
    }

    private void DetectSpraying(SourceState state, LogonAttempt attempt)
    {
        var window = _options.SprayWindow;
        if (state.Spraying is { } open && attempt.Time - open.Last <= window)
        {
            open.Add(attempt.Time, attempt.Account, attempt.Evidence);
            open.Detail = $"{open.Count} failed logons";
            return;
        }

        state.Spraying = null;
        state.Spray.Enqueue((attempt.Time, attempt.Account, attempt.Evidence));
        state.SprayAccounts[attempt.Account] = state.SprayAccounts.GetValueOrDefault(attempt.Account) + 1;
        while (state.Spray.Peek().Time < attempt.Time - window)
        {
            var (_, old, _) = state.Spray.Dequeue();
            if (--state.SprayAccounts[old] == 0)
            {
                state.SprayAccounts.Remove(old);
            }
        }

        if (state.SprayAccounts.Count < _options.SprayAccounts)
        {
            return;
        }

        var finding = Begin(AccessFindingKind.PasswordSpraying, null, attempt.Source, state.Spray.Peek().Time, "");
        foreach (var (time, account, evidence) in state.Spray)
        {
            finding.Add(time, account, evidence);
        }

        finding.Detail = $"{finding.Count} failed logons";
        state.Spray.Clear();
        state.SprayAccounts.Clear();
        state.Spraying = finding;
    }

    /// <summary>An account's first origin is learnt silently; every new one after it is a finding.</summary>
    private void DetectFirstSeen(LogonAttempt attempt)
    {
        var origin = OriginOf(attempt.Source);
        if (!_origins.TryGetValue(attempt.Account, out var known))
        {
            _origins[attempt.Account] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { origin };
            return;
        }

        if (known.Count >= MaxOriginsPerAccount || !known.Add(origin))
        {
            return;
        }

        var finding = Begin(AccessFindingKind.FirstSeenSource, attempt.Account, attempt.Source, attempt.Time,
            $"first logon from {origin} ({_options.FirstSeenBy.ToString().ToLowerInvariant()} compared; {known.Count - 1} known before)");
        finding.Add(attempt.Time, attempt.Account, attempt.Evidence);
    }

    private void DetectOffHours(LogonAttempt attempt)
    {
        var local = TimeZoneInfo.ConvertTime(attempt.Time, _options.TimeZone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        if (_options.WorkingDays.Contains(local.DayOfWeek) && time >= _options.WorkdayStart && time < _options.WorkdayEnd)
        {
            return;
        }

        var key = (attempt.Account, DateOnly.FromDateTime(local.DateTime));
        if (!_offHours.TryGetValue(key, out var finding))
        {
            finding = Begin(AccessFindingKind.UnusualHours, attempt.Account, attempt.Source, attempt.Time, "");
            _offHours[key] = finding;
        }

        finding.Add(attempt.Time, attempt.Account, attempt.Evidence);
        finding.Detail = $"{finding.Count} logon(s) outside working hours on {local:yyyy-MM-dd dddd} ({_options.TimeZone.Id})";
    }

    private sealed class PairComparer : IEqualityComparer<(string, string)>, IEqualityComparer<(string, DateOnly)>
    {
        public static readonly PairComparer Instance = new();

        public static readonly PairComparer DayInstance = Instance;

        public bool Equals((string, string) x, (string, string) y) =>
            string.Equals(x.Item1, y.Item1, StringComparison.OrdinalIgnoreCase) && string.Equals(x.Item2, y.Item2, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string, string) pair) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(pair.Item1), StringComparer.OrdinalIgnoreCase.GetHashCode(pair.Item2));

        public bool Equals((string, DateOnly) x, (string, DateOnly) y) =>
            string.Equals(x.Item1, y.Item1, StringComparison.OrdinalIgnoreCase) && x.Item2 == y.Item2;

        public int GetHashCode((string, DateOnly) pair) => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(pair.Item1), pair.Item2);
    }
}
