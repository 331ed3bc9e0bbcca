using Ribat.Core.Cooperation;

namespace Ribat.Tests.Cooperation;

/// <summary>Arabic joined into presentation forms and put in visual order, as the printable form draws it.</summary>
public sealed class ArabicTextTests
{
    [Fact]
    public void Letters_take_their_isolated_initial_medial_and_final_forms()
    {
        // بيت: beh initial, yeh medial, teh final.
        ArabicText.Shape("بيت").Should().Be("\uFE91\uFEF4\uFE96");
        // دار: dal does not join forward, so alef after it is isolated, reh after alef isolated too.
        ArabicText.Shape("دار").Should().Be("\uFEA9\uFE8D\uFEAD");
        ArabicText.Shape("ب").Should().Be("\uFE8F");
    }

    [Fact]
    public void Lam_alef_becomes_one_ligature()
    {
        ArabicText.Shape("لا").Should().Be("\uFEFB");
        ArabicText.Shape("سلام").Should().Be("\uFEB3\uFEFC\uFEE1", "seen initial, lam-alef final, meem isolated");
    }

    [Fact]
    public void A_right_to_left_line_is_reversed_but_numbers_and_latin_words_keep_their_order()
    {
        var line = ArabicText.Shape("المادة 29 من Budapest");
        var visual = ArabicText.Visual(line, rightToLeft: true);
        visual.Should().StartWith("Budapest").And.Contain("29");
        visual.IndexOf("Budapest", StringComparison.Ordinal).Should().BeLessThan(visual.IndexOf("29", StringComparison.Ordinal));
        visual[^1].Should().Be(line[0], "the first letter read is drawn rightmost");
    }

    [Fact]
    public void Latin_text_and_empty_text_pass_through_unchanged()
    {
        ArabicText.Shape("Article 29 (a)").Should().Be("Article 29 (a)");
        ArabicText.Visual("Article 29 (a)", rightToLeft: false).Should().Be("Article 29 (a)");
        ArabicText.Shape("").Should().BeEmpty();
        ArabicText.StartsRightToLeft("12 باب").Should().BeTrue();
        ArabicText.StartsRightToLeft("A باب").Should().BeFalse();
    }
}
