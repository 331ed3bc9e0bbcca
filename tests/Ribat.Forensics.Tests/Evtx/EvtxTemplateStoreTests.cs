using System.Buffers.Binary;
using System.Text;
using Ribat.Forensics.Evtx;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>
/// Templates compiled in one chunk are kept for the next chunks and files a reader reads. A kept template may only
/// stand in for a definition with the same bytes and names: whatever a chunk holds, a reader that has read other
/// chunks before must read it exactly as a fresh reader does.
/// </summary>
public sealed class EvtxTemplateStoreTests
{
    private static readonly Guid TemplateId = Guid.Parse("1f8a2c44-7d3e-4b9a-9c55-2e6f0a1b3c4d");
    private static readonly Guid OtherId = Guid.Parse("9b1e0d27-35c4-4f0e-8a7b-6c2d4e5f6a70");

    [Fact]
    public void A_template_defined_again_in_a_later_chunk_is_not_compiled_again()
    {
        var first = Chunk(b => b.AddRecord(TemplateId, "Event", "V", null, Text("one")));
        var second = Chunk(b => b.AddRecord(TemplateId, "Event", "V", null, Text("two")));
        var reader = new EvtxChunkReader();

        Read(reader, first);
        var compiled = reader.TemplatesCompiled;
        var records = Read(reader, second);

        compiled.Should().Be(1);
        reader.TemplatesCompiled.Should().Be(1, "the second chunk defines the same template with the same bytes");
        records.Should().ContainSingle().Which.Event.Child("EventData")!.Child("Data")!.Value.Text.Should().Be("two");
    }

    [Fact]
    public void A_template_id_reused_with_other_bytes_in_a_later_chunk_reads_its_own_template()
    {
        var first = Chunk(b => b.AddRecord(TemplateId, "Event", "V", null, Text("one")));
        var second = Chunk(b => b.AddRecord(TemplateId, "Event", "W", null, Text("two")));
        first.Record(0).Length.Should().Be(second.Record(0).Length, "both definitions have the same GUID and size");
        var reader = new EvtxChunkReader();

        Read(reader, first);
        var data = Read(reader, second).Single().Event.Child("EventData")!.Child("Data")!;

        data.Attribute("Name").Text.Should().Be("W0");
        reader.TemplatesCompiled.Should().Be(2);
        Json(reader, second).Should().Equal(Json(new EvtxChunkReader(), second));
    }

    [Fact]
    public void A_log_that_reuses_a_template_id_with_other_bytes_reads_its_own_after_other_logs()
    {
        var sound = new EvtxBuilder();
        sound.AddRecord(TemplateId, "Event", "V", null, Text("one"));
        var reusing = new EvtxBuilder();
        reusing.AddRecord(TemplateId, "Event", "W", null, Text("two"));
        var options = new EvtxReadOptions { Parallelism = 1 };

        // Readers are pooled across logs: read the first log often enough that every pooled reader knows its template.
        for (var i = 0; i < 20; i++)
        {
            new EvtxReader(new MemoryStream(sound.Build()), options).ReadRecords().Should().ContainSingle();
        }

        var record = new EvtxReader(new MemoryStream(reusing.Build()), options).ReadRecords().Should().ContainSingle().Subject;

        var data = record.Event.Child("EventData")!.Child("Data")!;
        data.Attribute("Name").Text.Should().Be("W0");
        data.Value.Text.Should().Be("two");
    }

    [Fact]
    public void A_template_whose_name_lies_outside_it_and_reads_otherwise_in_a_later_chunk_is_compiled_again()
    {
        // The second record's template names its root by the offset of the first record's name: its bytes are
        // the same in both chunks, the name it points at is not.
        var first = Chunk(b => b.AddRecord(OtherId, "Event", "V", b.AddRecord(TemplateId, "Alpha", "V", null, Text("x")), Text("y")));
        var second = Chunk(b => b.AddRecord(OtherId, "Event", "V", b.AddRecord(TemplateId, "Bravo", "V", null, Text("x")), Text("y")));
        first.RecordBytes(1).Should().Equal(second.RecordBytes(1));
        var reader = new EvtxChunkReader();

        Read(reader, first).Select(r => r.Event.Name).Should().Equal("Alpha", "Alpha");
        Read(reader, second).Select(r => r.Event.Name).Should().Equal("Bravo", "Bravo");
    }

    [Fact]
    public void Records_of_one_template_with_and_without_an_optional_attribute_keep_their_own_elements()
    {
        var chunk = Chunk(b =>
        {
            b.AddRecordNamedByValue(TemplateId, Text("first"));
            b.AddRecordNamedByValue(TemplateId, (0x01, []));
            b.AddRecordNamedByValue(TemplateId, Text("third"));
        });

        var data = Read(new EvtxChunkReader(), chunk).Select(r => r.Event.Child("EventData")!.Child("Data")!).ToList();

        data.Select(d => d.Attributes.Length).Should().Equal(1, 0, 1);
        data.Select(d => d.Attribute("Name").Text).Should().Equal("first", null, "third");
        data.Select(d => d.Value.Text).Should().Equal("first", string.Empty, "third");
    }

    [Theory]
    [InlineData(0x7fffffffu, "bad binary XML: template definition past its fragment")]
    [InlineData(0xffffffffu, "bad binary XML: template definition past its fragment")]
    [InlineData(65536u, "bad binary XML: template definition past its fragment")]
    [InlineData(0u, "bad binary XML: too many template values")]
    [InlineData(1u, "bad binary XML: too many template values")]
    public void A_known_template_id_with_a_hostile_size_reads_as_it_would_on_a_fresh_reader(uint size, string reason)
    {
        var sound = Chunk(b => b.AddRecord(TemplateId, "Event", "V", null, Text("one")));
        var hostile = sound.With(sound.Record(0).Start + 24 + 34, size);
        var warm = new EvtxChunkReader();
        Read(warm, sound);

        var fresh = new EvtxChunkReader();
        var expected = Json(fresh, hostile);
        var expectedDamage = fresh.Damage.ToList();

        Json(warm, hostile).Should().Equal(expected);
        warm.Damage.Should().Equal(expectedDamage);
        expectedDamage.Select(d => d.Reason).Should().Contain(reason);
    }

    [Fact]
    public void Any_byte_of_a_known_template_changed_reads_as_it_would_on_a_fresh_reader()
    {
        var sound = Chunk(b => b.AddRecord(TemplateId, "Event", "V", null, Text("one"), Text("two")));
        var (start, length) = sound.Record(0);
        for (var at = start + 24; at < start + length - 4; at++)
        {
            var changed = sound.With(at, (byte)~sound.Bytes[at]);
            var warm = new EvtxChunkReader();
            Read(warm, sound);
            var fresh = new EvtxChunkReader();

            var expected = Json(fresh, changed);
            Json(warm, changed).Should().Equal(expected, "byte {0} of the record was changed", at - start);
            warm.Damage.Should().Equal(fresh.Damage, "byte {0} of the record was changed", at - start);
        }
    }

    [Fact]
    public void Mutated_chunks_of_a_real_log_read_alike_on_a_reader_that_read_the_sound_log_before()
    {
        var file = File.ReadAllBytes(SharedCorpus.Path("evtx", "security.evtx"));
        var chunks = Enumerable.Range(0, 4).Select(i => file.AsSpan(4096 + (i * 65536), 65536).ToArray()).ToList();
        var random = new Random(20_261_124);
        var differentFromSound = 0;
        for (var round = 0; round < 60; round++)
        {
            var mutated = (byte[])chunks[random.Next(chunks.Count)].Clone();
            for (var flips = random.Next(1, 12); flips > 0; flips--)
            {
                mutated[random.Next(512, 65536)] ^= (byte)(1 << random.Next(8));
            }

            var warm = new EvtxChunkReader();
            foreach (var chunk in chunks)
            {
                warm.Read(chunk, chunk.Length, 0, beyondDeclared: false, verifyChecksums: false);
            }

            var fresh = new EvtxChunkReader();
            var expected = Json(fresh, new ChunkBytes(mutated, []));
            Json(warm, new ChunkBytes(mutated, [])).Should().Equal(expected, "round {0}", round);
            warm.Damage.Should().Equal(fresh.Damage, "round {0}", round);
            differentFromSound += fresh.Damage.Count > 0 ? 1 : 0;
        }

        differentFromSound.Should().BeGreaterThan(10, "the mutations reach the records");
    }

    [Fact]
    public void The_store_keeps_a_template_for_no_deeper_nesting_than_it_was_compiled_for()
    {
        var store = new TemplateStore();
        store.Add(TemplateId, new CompiledTemplate([], [1, 2, 3], [], height: 5));

        store.Find(TemplateId, [1, 2, 3], 0, height: 4, new BinXmlReader()).Should().BeNull("nesting five levels deeper would exceed the limit there");
        store.Find(TemplateId, [1, 2, 3], 0, height: 5, new BinXmlReader()).Should().NotBeNull();
        store.Find(TemplateId, [1, 2, 4], 0, height: 5, new BinXmlReader()).Should().BeNull();
        store.Find(OtherId, [1, 2, 3], 0, height: 5, new BinXmlReader()).Should().BeNull();
    }

    [Fact]
    public void The_store_holds_a_bounded_number_of_bytes_and_templates_per_id()
    {
        var store = new TemplateStore();
        for (var i = 0; i < 10; i++)
        {
            store.Add(TemplateId, new CompiledTemplate([], new byte[100], [], 0));
        }

        store.Count.Should().Be(4, "a GUID and size keep a few templates, the latest");

        var big = new byte[TemplateStore.MaxBytes / 3];
        for (var i = 0; i < 10; i++)
        {
            store.Add(Guid.NewGuid(), new CompiledTemplate([], big, [], 0));
        }

        store.Count.Should().BeLessThanOrEqualTo(3, "the store starts over when its definitions would pass its size");
    }

    private static (byte, byte[]) Text(string text) => (0x01, Encoding.Unicode.GetBytes(text));

    private static ChunkBytes Chunk(Action<EvtxBuilder> add)
    {
        var builder = new EvtxBuilder();
        add(builder);
        var starts = Enumerable.Range(0, builder.RecordCount).Select(builder.RecordAt).ToList();
        return new ChunkBytes(builder.Build()[4096..], starts);
    }

    private static List<EvtxRecord> Read(EvtxChunkReader reader, ChunkBytes chunk)
    {
        reader.Read(chunk.Bytes, chunk.Bytes.Length, 4096, beyondDeclared: false, verifyChecksums: false);
        return [.. reader.Records];
    }

    private static List<string> Json(EvtxChunkReader reader, ChunkBytes chunk) => [.. Read(reader, chunk).Select(EvtxJson.Render)];

    private sealed record ChunkBytes(byte[] Bytes, List<(int Start, int Length)> Records)
    {
        public (int Start, int Length) Record(int index) => Records[index];

        public byte[] RecordBytes(int index) => Bytes.AsSpan(Records[index].Start, Records[index].Length).ToArray();

        public ChunkBytes With(int at, byte value)
        {
            var bytes = (byte[])Bytes.Clone();
            bytes[at] = value;
            return this with { Bytes = bytes };
        }

        public ChunkBytes With(int at, uint value)
        {
            var bytes = (byte[])Bytes.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
            return this with { Bytes = bytes };
        }
    }
}
