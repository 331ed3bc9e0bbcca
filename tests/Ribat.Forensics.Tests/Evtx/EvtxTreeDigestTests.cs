using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Ribat.Forensics.Evtx;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>
/// Every EVTX file of the corpus, and truncated and mutated copies of the sound logs, read to everything a reader can
/// see: each record's number, write time and whole tree (names, attributes and values with their kinds, in order),
/// its JSON, its <see cref="LogEvent"/> for the hunt, and the read report with every skip and its reason. The digest
/// of that dump must equal the one recorded in <c>evtx-tree-digests.txt</c>, which was written by the reader before
/// its tree changed representation: a changed value, kind, order, skip or reason anywhere shows here.
/// </summary>
public sealed class EvtxTreeDigestTests
{
    private static readonly string[] SoundLogs =
    [
        "Security_short_selected.evtx", "new-user-security.evtx", "sample-with-irregular-bool-values.evtx", "security.evtx",
        "sysmon.evtx", "system.evtx",
    ];

    [Fact]
    public void Every_corpus_log_reads_to_the_recorded_tree_json_events_and_report()
    {
        var corpus = SharedCorpus.Path();
        var files = Directory.EnumerateFiles(corpus, "*.evtx", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(corpus, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        files.Should().Contain("evtx/security.evtx").And.HaveCountGreaterThan(50, "the corpus holds the evtx logs and the Sigma regression data");

        var actual = new List<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(corpus, file));
            actual.Add(Line("file " + file, Digest(bytes, EvtxReadOptions.Default)));
            actual.Add(Line("file-lenient " + file, Digest(bytes, new EvtxReadOptions { VerifyChecksums = false })));
        }

        Compare(actual, "corpus");
    }

    [Fact]
    public void Truncated_and_mutated_logs_read_to_the_recorded_records_skips_and_reasons()
    {
        var actual = new List<string>();
        var reasons = new HashSet<string>();
        foreach (var name in SoundLogs)
        {
            var whole = File.ReadAllBytes(SharedCorpus.Path("evtx", name));
            var random = new Random(20_261_124 + name.Length);
            for (var round = 0; round < 4; round++)
            {
                var cut = whole[..random.Next(whole.Length)];
                actual.Add(Line($"cut {name} {cut.Length}", Digest(cut, new EvtxReadOptions { VerifyChecksums = false }, reasons)));
            }

            for (var round = 0; round < 12; round++)
            {
                var mutated = Mutate(whole, random);
                var strict = round % 3 == 0;
                actual.Add(Line($"mutated {name} {round} {(strict ? "strict" : "lenient")}", Digest(mutated, new EvtxReadOptions { VerifyChecksums = strict }, reasons)));
            }
        }

        reasons.Should().Contain(r => r.StartsWith("bad binary XML", StringComparison.Ordinal), "the mutations reach the binary XML of records")
            .And.Contain("record cut short by the end of the file");
        Compare(actual, "mutated");
    }

    /// <summary>Flips bits and bytes, mostly in the records of the first chunks, where binary XML is parsed.</summary>
    private static byte[] Mutate(byte[] whole, Random random)
    {
        var mutated = (byte[])whole.Clone();
        var span = Math.Min(mutated.Length, 4096 + (3 * 65536));
        var flips = random.Next(1, 60);
        for (var i = 0; i < flips; i++)
        {
            var at = random.Next(3) == 0 ? random.Next(8, span) : Math.Min(span - 1, 4096 + 512 + random.Next(16_384));
            mutated[at] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)(mutated[at] ^ (1 << random.Next(8)));
        }

        return mutated;
    }

    private static string Line(string what, string digest) => what + "\t" + digest;

    private static void Compare(List<string> actual, string section, [CallerFilePath] string source = "")
    {
        var recorded = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(source)!, "evtx-tree-digests.txt"))
            .Where(line => line.StartsWith(section + "\t", StringComparison.Ordinal))
            .Select(line => line[(section.Length + 1)..])
            .ToList();
        if (!recorded.SequenceEqual(actual))
        {
            // The whole listing goes beside the temp files so a changed line can be found and, if intended, recorded.
            var listing = Path.Combine(Path.GetTempPath(), $"evtx-tree-digests.{section}.actual.txt");
            File.WriteAllLines(listing, actual.Select(line => section + "\t" + line));
            var changed = actual.Except(recorded).Take(5);
            recorded.Should().Equal(actual, $"the dump changed ({string.Join("; ", changed)}); the full listing is in {listing}");
        }
    }

    private static string Digest(byte[] file, EvtxReadOptions options, HashSet<string>? reasons = null)
    {
        var dump = new StringBuilder();
        var reader = new EvtxReader(new MemoryStream(file), options);
        foreach (var record in reader.ReadRecords())
        {
            dump.Append("record ").Append(record.RecordId).Append(' ').Append(record.Written?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-").Append('\n');
            Element(dump, record.Event);
            dump.Append(EvtxJson.Render(record)).Append('\n');
            var flat = EvtxEvents.ToLogEvent(record, "log.evtx");
            dump.Append("event ").Append(flat.RecordId).Append(' ').Append(flat.Timestamp?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-").Append('\n');
            foreach (var field in flat.Fields)
            {
                Text(dump.Append("  "), field.Name).Append('=');
                Text(dump, field.Value).Append('\n');
            }
        }

        var report = reader.Report;
        dump.Append("report ").Append(report.Error ?? "-").Append(' ').Append(report.HeaderChecksumValid).Append(' ').Append(report.Chunks)
            .Append(' ').Append(report.DamagedChunks).Append(' ').Append(report.RecordsRead).Append(' ').Append(report.RecordsSkipped).Append('\n');
        foreach (var damage in report.Damage)
        {
            dump.Append("damage ").Append(damage.Offset).Append(' ').Append(damage.Reason).Append('\n');
        }

        foreach (var (reason, count) in report.Reasons.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            reasons?.Add(reason);
            dump.Append("reason ").Append(reason).Append(' ').Append(count).Append('\n');
        }

        return $"{report.RecordsRead} {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dump.ToString())))}";
    }

    private static void Element(StringBuilder dump, EvtxElement element)
    {
        Text(dump.Append('<'), element.Name).Append('\n');
        foreach (var attribute in element.Attributes)
        {
            Text(dump.Append('@'), attribute.Name).Append('=');
            Value(dump, attribute.Value);
            dump.Append('\n');
        }

        dump.Append('=');
        Value(dump, element.Value);
        dump.Append('\n');
        foreach (var child in element.Children)
        {
            Element(dump, child);
        }

        dump.Append(">\n");
    }

    private static void Value(StringBuilder dump, EvtxValue value)
    {
        switch (value.Kind)
        {
            case EvtxValueKind.Null:
                dump.Append('n');
                break;
            case EvtxValueKind.String:
                Text(dump.Append('s'), value.Text);
                break;
            case EvtxValueKind.Signed:
                dump.Append('i').Append(value.Signed);
                break;
            case EvtxValueKind.Unsigned:
                dump.Append('u').Append(value.Unsigned);
                break;
            case EvtxValueKind.Real:
                dump.Append('r').Append(BitConverter.DoubleToInt64Bits(value.Real)).Append(' ').Append(value.ToText());
                break;
            case EvtxValueKind.Boolean:
                dump.Append('b').Append(value.Boolean);
                break;
            case EvtxValueKind.Array:
                dump.Append('[');
                foreach (var item in value.Items)
                {
                    Value(dump, item);
                    dump.Append(',');
                }

                dump.Append(']');
                break;
        }
    }

    /// <summary>Text with its length first, so no content can pass for the dump's own separators.</summary>
    private static StringBuilder Text(StringBuilder dump, string? text) =>
        text is null ? dump.Append("-1:") : dump.Append(text.Length).Append(':').Append(text);
}
