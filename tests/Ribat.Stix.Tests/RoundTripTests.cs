using System.Text.Json;
using Ribat.Stix.Serialization;
using Xunit.Abstractions;

namespace Ribat.Stix.Tests;

public sealed class RoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => [.. Corpus.Files];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_corpus_file_reads_and_writes_back_semantically_equal(string name)
    {
        var original = Corpus.Read(name);
        var first = StixSerializer.Read(original);
        first.Issues.Should().BeEmpty();
        first.Objects.Should().NotBeEmpty();

        var written = first.Bundle is null ? StixSerializer.WriteObject(first.Objects[0]) : StixSerializer.WriteBundle(first.Bundle);
        using var a = JsonDocument.Parse(original);
        using var b = JsonDocument.Parse(written);
        JsonSemantic.FirstDifference(a.RootElement, b.RootElement).Should().BeNull();

        var second = StixSerializer.Read(written);
        second.Issues.Should().BeEmpty();
        second.Objects.Should().HaveCount(first.Objects.Count);
        for (var i = 0; i < first.Objects.Count; i++)
        {
            StixSerializer.SemanticEquals(first.Objects[i], second.Objects[i]).Should().BeTrue(first.Objects[i].Id);
        }

        output.WriteLine($"{name}: {first.Objects.Count} objects");
    }
}
