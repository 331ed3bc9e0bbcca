using Ribat.Forensics.Evtx;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>
/// The real logs of omerbenamram/evtx's test data (@ 9c7d0b54, MIT / Apache-2.0), some deliberately damaged.
/// Record counts are those of <c>evtxexport -f xml FILE | grep -c '^&lt;Event '</c>, evtxexport 20181227 of Debian
/// 12's libevtx-utils (libyal's libevtx), which reads every chunk whatever its checksums say.
/// </summary>
public sealed class EvtxCorpusTests
{
    [Theory]
    [InlineData("Security_short_selected.evtx", 7)]
    [InlineData("new-user-security.evtx", 4)]
    [InlineData("sample-with-irregular-bool-values.evtx", 3028)]
    [InlineData("security.evtx", 2261)]
    [InlineData("sysmon.evtx", 358)]
    [InlineData("system.evtx", 1881)]
    public void Sound_logs_yield_every_record_evtxexport_finds(string file, int evtxexportRecords)
    {
        var (records, report) = EvtxReader.ReadFile(SharedCorpus.Path("evtx", file));

        records.Should().HaveCount(evtxexportRecords);
        report.RecordsRead.Should().Be(evtxexportRecords);
        report.Error.Should().BeNull();
        report.HeaderChecksumValid.Should().BeTrue();
        report.DamagedChunks.Should().Be(0);
        report.RecordsSkipped.Should().Be(0);
        records.Should().OnlyContain(r => r.Event.Name == "Event" && r.Event.Child("System") != null);
    }

    [Fact]
    public void A_chunk_with_a_corrupt_string_cache_is_skipped_and_counted_or_read_when_checksums_are_waived()
    {
        var path = SharedCorpus.Path("evtx", "security_bad_string_cache.evtx");

        var (strict, strictReport) = EvtxReader.ReadFile(path);
        var (lenient, lenientReport) = EvtxReader.ReadFile(path, new EvtxReadOptions { VerifyChecksums = false });

        // The first chunk's header (its string offset table) is corrupt; it holds records 1 to 91.
        strict.Should().HaveCount(2261 - 91);
        strict[0].RecordId.Should().Be(92);
        strictReport.Chunks.Should().Be(26);
        strictReport.DamagedChunks.Should().Be(1);
        strictReport.Damage.Should().ContainSingle().Which.Should().Be(new EvtxDamage(4096, "chunk header checksum mismatch"));

        // Names are read by offset, never through that table, so the chunk reads whole — as evtxexport does.
        lenient.Should().HaveCount(2261);
        lenientReport.DamagedChunks.Should().Be(1);
        lenientReport.Reasons.Should().ContainKey("chunk header checksum mismatch, read anyway");
        lenient.Select(EvtxJson.Render).Should().Equal(EvtxReader.ReadFile(SharedCorpus.Path("evtx", "security.evtx")).Records.Select(EvtxJson.Render));
    }

    [Fact]
    public void Chunks_with_a_bad_magic_or_broken_records_are_skipped_and_counted_not_fatal()
    {
        var path = SharedCorpus.Path("evtx", "sample_with_a_bad_chunk_magic.evtx");

        var (strict, strictReport) = EvtxReader.ReadFile(path);
        var (lenient, lenientReport) = EvtxReader.ReadFile(path, new EvtxReadOptions { VerifyChecksums = false });

        // 16 chunks declared: 12 zeroed (bad magic), 3 whose records were overwritten mid-way (checksum), 1 sound.
        strictReport.Chunks.Should().Be(16);
        strictReport.DamagedChunks.Should().Be(15);
        strictReport.Reasons.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["bad chunk magic"] = 12,
            ["event records checksum mismatch"] = 3,
        });
        strict.Should().HaveCount(129);
        strict.Select(r => r.RecordId).Should().Equal(Enumerable.Range(45691, 129).Select(i => (long)i));

        // Waiving checksums reads those three up to their first broken record: 13 + 12 + 129 + 113, evtxexport's 267.
        lenient.Should().HaveCount(267);
        lenientReport.DamagedChunks.Should().Be(15);
        lenientReport.RecordsSkipped.Should().Be(3);
        lenientReport.Reasons["bad record size, rest of chunk unread"].Should().Be(3);
        lenientReport.Reasons["event records checksum mismatch, read anyway"].Should().Be(3);
    }

    [Theory]
    [InlineData("IsAsyncProcessing", 72, 356)]
    [InlineData("IsBackgroundProcessing", 365, 63)]
    [InlineData("IsMachine", 457, 765)]
    [InlineData("IsMachineBoot", 18, 170)]
    public void Booleans_stored_with_irregular_values_read_as_evtxexport_reads_them(string field, int trueCount, int falseCount)
    {
        // Counts of <Data Name="field">true|false</Data> in evtxexport 20181227's XML of the same file.
        var (records, _) = EvtxReader.ReadFile(SharedCorpus.Path("evtx", "sample-with-irregular-bool-values.evtx"));

        var values = records.Select(r => EvtxEvents.ToLogEvent(r, "sample.evtx"))
            .Select(e => e.TryGet(field, out var value) ? value : null).Where(v => v is not null).ToList();
        values.Count(v => v == "true").Should().Be(trueCount);
        values.Count(v => v == "false").Should().Be(falseCount);
    }

    [Fact]
    public void Records_come_out_in_file_order_whatever_the_parallelism()
    {
        var path = SharedCorpus.Path("evtx", "security.evtx");

        var sequential = EvtxReader.ReadFile(path, new EvtxReadOptions { Parallelism = 1 }).Records;
        var parallel = EvtxReader.ReadFile(path, new EvtxReadOptions { Parallelism = 4 }).Records;

        parallel.Select(r => r.RecordId).Should().Equal(sequential.Select(r => r.RecordId));
        parallel.Select(r => r.RecordId).Should().BeInAscendingOrder();
        parallel.Select(EvtxJson.Render).Should().Equal(sequential.Select(EvtxJson.Render));
    }
}
