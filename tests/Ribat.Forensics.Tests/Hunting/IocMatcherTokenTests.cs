using Ribat.Forensics.Hunting;

namespace Ribat.Forensics.Tests.Hunting;

/// <summary>The tokeniser's edges: what breaks a chunk, what ends a word, and the words it need not look up.</summary>
public class IocMatcherTokenTests
{
    private const string Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Md5 = "44d88612fea8a8f36de82e1278abb02f";

    private static readonly IocMatcher WithoutSingleLabels = new(IocSet.Parse(new StringReader($"""
        1.2.3.4
        evil.example
        billing@pay.example
        2001:db8::7
        {Sha256}
        {Md5}
        """)).Set);

    private static readonly IocMatcher WithSingleLabels = new(IocSet.Parse(new StringReader("dc01\nevil.example\n")).Set);

    [Theory]
    [InlineData("at\u00A0evil.example\u00A0now", "evil.example")]
    [InlineData("bad\uFFFDevil.example\uFFFD", "evil.example")]
    [InlineData("café evil.example", "evil.example")]
    [InlineData("évil.example", "")]
    [InlineData("\u00E9evil.example", "evil.example")]
    [InlineData("\"1.2.3.4\"", "1.2.3.4")]
    [InlineData("`1.2.3.4`<evil.example>", "1.2.3.4,evil.example")]
    [InlineData("x\u00001.2.3.4\u007Fy", "1.2.3.4")]
    [InlineData("{" + Sha256 + "}", Sha256)]
    [InlineData("-" + Sha256 + "_", Sha256)]
    [InlineData("__" + Md5, Md5)]
    [InlineData("hash:" + Md5 + "+", Md5)]
    [InlineData("x" + Md5, "")]
    [InlineData("port 62893 user root request 0 served", "")]
    [InlineData("[2001:db8::7]", "2001:db8::7")]
    [InlineData("mail billing@pay.example.", "billing@pay.example")]
    [InlineData("1.2.3.4:443+evil.example", "1.2.3.4,evil.example")]
    [InlineData("http://evil.example:8080/x and 1.2.3.4", "evil.example,1.2.3.4")]
    public void Chunks_and_words_end_where_the_tokeniser_says(string value, string expected)
    {
        var hits = new List<IocHit>();
        WithoutSingleLabels.MatchField("f", value, hits);
        string.Join(",", hits.Select(h => h.Indicator.Value)).Should().Be(expected);
    }

    [Theory]
    [InlineData("logon to DC01 failed", "dc01")]
    [InlineData("dc01", "dc01")]
    [InlineData("-dc01-", "dc01")]
    [InlineData("dc011", "")]
    [InlineData("dc01.corp", "")]
    public void A_word_without_a_dot_is_looked_up_when_the_set_holds_single_label_names(string value, string expected)
    {
        var hits = new List<IocHit>();
        WithSingleLabels.MatchField("f", value, hits);
        string.Join(",", hits.Select(h => h.Indicator.Value)).Should().Be(expected);
        hits.Clear();
        WithoutSingleLabels.MatchField("f", value, hits);
        hits.Should().BeEmpty();
    }

    [Fact]
    public void A_huge_value_of_words_is_scanned_whole()
    {
        var value = string.Concat(Enumerable.Repeat("word 62893 request\u00A0", 100_000)) + "evil.example";
        var hits = new List<IocHit>();
        WithoutSingleLabels.MatchField("f", value, hits);
        hits.Should().ContainSingle().Which.Text.Should().Be("evil.example");
    }
}
