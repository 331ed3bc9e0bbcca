using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Exchange;

public class CsvMappingSuggestionTests
{
    [Fact]
    public void A_MISP_csv_export_header_is_mapped()
    {
        var header = new[] { "uuid", "event_id", "category", "type", "value", "comment", "to_ids", "date", "object_relation", "attribute_tag" };

        CsvIndicatorReader.SuggestMapping(header).Should().BeEquivalentTo(new CsvColumnMapping
        {
            ValueColumn = "value",
            TypeColumn = "type",
            CommentColumn = "comment",
            TagsColumn = "attribute_tag",
            CategoryColumn = "category",
            ForDetectionColumn = "to_ids",
        });
    }

    [Fact]
    public void Spellings_and_synonyms_of_column_names_are_recognised()
    {
        var header = new[] { "IOC", "IOC Type", "Description", "Labels", "Confidence Score", "First-Seen", "Last Seen", "TLP Level" };

        CsvIndicatorReader.SuggestMapping(header).Should().BeEquivalentTo(new CsvColumnMapping
        {
            ValueColumn = "IOC",
            TypeColumn = "IOC Type",
            CommentColumn = "Description",
            TagsColumn = "Labels",
            ConfidenceColumn = "Confidence Score",
            FirstSeenColumn = "First-Seen",
            LastSeenColumn = "Last Seen",
            TlpColumn = "TLP Level",
        });
    }

    [Theory]
    [InlineData("domain", ObservableType.Domain)]
    [InlineData("sha256", ObservableType.Sha256)]
    [InlineData("ip-dst", null)]
    [InlineData("ip", null)]
    public void A_column_named_after_a_type_is_the_value(string name, ObservableType? type)
    {
        var mapping = CsvIndicatorReader.SuggestMapping(["first_seen", name, "notes"]);

        mapping!.ValueColumn.Should().Be(name);
        mapping.FixedType.Should().Be(type);
        mapping.CommentColumn.Should().Be("notes");
    }

    [Fact]
    public void No_value_like_column_means_no_suggestion()
    {
        CsvIndicatorReader.SuggestMapping(["name", "age", "city"]).Should().BeNull();
    }
}
