using System.Text.Json;
using Ribat.Core.Findings;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Pcap;

namespace Ribat.Core.Jobs;

/// <summary>
/// The traffic summary of pcap and pcapng evidence, as <c>ribat analyze pcap</c> prints it (the items merged into one
/// summary, as the CLI merges its files): vectors, reflectors, top talkers, series, protocols, anomalies; addresses
/// enriched when the node has GeoIP databases. It becomes one finding, with its PNG chart.
/// </summary>
internal sealed class CaptureAnalysis(IEnumerable<ITrafficChart> charts, TimeProvider clock)
{
    private const int ReadBufferSize = 1024 * 1024;

    public Common.Result<JobOutcome> Run(AnalysisJob job, IReadOnlyList<JobItem> items, AddressEnricher? enricher, JobProgress progress, CancellationToken cancellationToken)
    {
        var tally = TrafficTally.WithAutomaticInterval();
        foreach (var (item, path) in items)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize, FileOptions.SequentialScan);
            using var counted = new ProgressStream(file, progress, cancellationToken);
            var opened = CaptureReader.Open(counted);
            if (opened.Reader is not { } reader)
            {
                return Common.Error.Validation("evidenceIds", $"{item.FileName} is not a packet capture: {opened.Error}; nothing was kept.");
            }

            using (reader)
            {
                tally.Read(item.FileName, reader);
            }
        }

        var summary = tally.ToSummary();
        progress.SetRecords(summary.Packets);
        if (summary.Packets == 0)
        {
            var damage = summary.Anomalies.Count > 0 ? $" ({string.Join("; ", summary.Anomalies.Select(a => $"{a.Count} × {a.Reason}"))})" : "";
            return Common.Error.Validation("evidenceIds", $"The captures hold no packet that could be read{damage}; nothing was kept.");
        }

        using var report = new MemoryStream();
        TrafficReportJson.Write(summary, report, enricher);
        var chart = charts.FirstOrDefault()?.Png(summary);
        var vectors = summary.Vectors.Select(v => v.Name).ToList();
        var title = vectors.Count == 0 ? "Traffic: no attack vector past the thresholds" : $"Traffic: {string.Join(", ", vectors)}";
        var finding = new Finding
        {
            Id = Guid.CreateVersion7(),
            CaseId = job.CaseId,
            IncidentId = job.IncidentId,
            EvidenceId = items[0].Item.Id,
            Kind = FindingKind.Traffic,
            Position = 1,
            Title = title.Length <= 1000 ? title : title[..1000],
            Verdict = vectors.Count == 0 ? "clean" : "malicious",
            ReportJson = System.Text.Encoding.UTF8.GetString(report.GetBuffer(), 0, (int)report.Length).TrimEnd('\n'),
            ChartPng = chart,
            EventAt = summary.FirstTimestamp,
            JobId = job.Id,
            CreatedBy = job.StartedBy,
            CreatedAt = clock.GetUtcNow(),
        };
        var json = JsonSerializer.Serialize(new
        {
            packets = summary.Packets,
            bytes = summary.Bytes,
            first_timestamp = summary.FirstTimestamp,
            last_timestamp = summary.LastTimestamp,
            vectors,
            reflectors = summary.Reflectors.Count,
            anomalies = summary.Anomalies.Sum(a => a.Count),
            geoip = enricher is not null,
            finding = finding.Id,
        });
        var note = $"Capture analysed by job {job.Id}: {summary.Packets:N0} packets, {vectors.Count} attack vector(s), {summary.Reflectors.Count} reflector(s).";
        return new JobOutcome([finding], json, note, []);
    }
}
