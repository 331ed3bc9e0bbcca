namespace Ribat.Bench;

/// <summary>The console summary: one line per store size, the full detail goes to the JSON file.</summary>
internal static class Table
{
    private static bool _headed;

    public static void PrintStep(string provider, StepResult step)
    {
        if (!_headed)
        {
            Console.WriteLine();
            Console.WriteLine($"{"provider",-9}{"size",12}{"ingest/s",10}{"store MiB",11} | {"probes ms: p50",15}{"p95",7}{"p99",7}{"max",8} | {"use case ms: p50",17}{"p95",7}{"p99",7}{"max",8}");
            _headed = true;
        }

        var p = step.Lookups.Probes;
        var u = step.Lookups.UseCase;
        Console.WriteLine($"{provider,-9}{step.Size,12:N0}{step.Ingest.PerSecond,10:N0}{step.Store.TotalBytes / 1048576.0,11:N0} | {p.P50,15:F2}{p.P95,7:F2}{p.P99,7:F2}{p.Max,8:F1} | {u.P50,17:F2}{u.P95,7:F2}{u.P99,7:F2}{u.Max,8:F1}");
    }

    public static void PrintOverall(string provider, IngestFigures overall) =>
        Console.WriteLine($"{provider}: {overall.Observables:N0} observables ({overall.Recorded:N0} rows recorded, {overall.Duplicates:N0} duplicates, "
            + $"{overall.Rejected:N0} rejected) in {overall.Batches:N0} batches, {overall.Seconds:F1} s of ingest: {overall.PerSecond:N0} observables/s");

    public static void PrintLookupDetail(StepResult step)
    {
        var l = step.Lookups;
        Console.WriteLine($"  {step.Size:N0}: present {l.PresentFound}/{l.PresentAsked} visible to the viewer, new values found {l.AbsentFound}/{l.AbsentAsked}, "
            + $"over-correlating answers {l.OverCorrelating}; CPU per look-up: probes {l.ProbesCpuMs:F2} ms, use case {l.UseCaseCpuMs:F2} ms; "
            + $"load {step.LoadBefore:F1} → {step.LoadAfter:F1}");
        Console.WriteLine($"    use case, present: {l.UseCasePresent}");
        Console.WriteLine($"    use case, new:     {l.UseCaseAbsent}");
    }
}
