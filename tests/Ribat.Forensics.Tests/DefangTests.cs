using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

public class DefangTests
{
    [Theory]
    [InlineData("hxxps://evil[.]example[.]com/a.php", "https://evil.example.com/a.php")]
    [InlineData("HXXP://evil(.)example{.}com", "http://evil.example.com")]
    [InlineData("hxxp[://]evil[dot]example(dot)com", "http://evil.example.com")]
    [InlineData("fxp://files[.]example[.]net", "ftp://files.example.net")]
    [InlineData("hxxps[:]//evil[.]example", "https://evil.example")]
    [InlineData("admin[at]evil[.]example and root(at)evil[.]example and x[@]y[.]example", "admin@evil.example and root@evil.example and x@y.example")]
    [InlineData("reach evil dot example dot com today", "reach evil.example.com today")]
    [InlineData("192[.]0[.]2[.]1", "192.0.2.1")]
    [InlineData("2001[:]db8[:][:]1", "2001:db8::1")]
    public void Refang_undoes_the_common_spellings(string defanged, string expected) =>
        Defang.Refang(defanged).Should().Be(expected);

    [Theory]
    [InlineData("the hxxpd tool and fxpanel stay as written; connect the dots")]
    [InlineData("plain text with no markers")]
    public void Refang_leaves_words_that_merely_contain_markers(string text) =>
        Defang.Refang(text).Should().Be(text);

    [Theory]
    [InlineData(ObservableType.Url, "https://evil.example.com/a.b?c=d", "hxxps://evil[.]example[.]com/a.b?c=d")]
    [InlineData(ObservableType.Url, "http://192.0.2.1:8080/", "hxxp://192[.]0[.]2[.]1:8080/")]
    [InlineData(ObservableType.Url, "ftp://files.example.net/x", "fxp://files[.]example[.]net/x")]
    [InlineData(ObservableType.Domain, "evil.example.com", "evil[.]example[.]com")]
    [InlineData(ObservableType.IPv4, "192.0.2.1", "192[.]0[.]2[.]1")]
    [InlineData(ObservableType.IPv6, "2001:db8::1", "2001[:]db8[:][:]1")]
    [InlineData(ObservableType.Cidr, "198.51.100.0/24", "198[.]51[.]100[.]0/24")]
    [InlineData(ObservableType.Email, "john.doe@evil.example", "john.doe[@]evil[.]example")]
    [InlineData(ObservableType.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Defang_then_refang_round_trips(ObservableType type, string value, string defanged)
    {
        var result = Defang.DefangValue(value, type);
        result.Should().Be(defanged);
        Defang.Refang(result).Should().Be(value);
    }

    [Fact]
    public void Refang_reports_where_each_output_character_came_from()
    {
        var origins = new List<int>();
        var text = "x evil[.]example y";
        var refanged = Defang.Refang(text, origins);
        refanged.Should().Be("x evil.example y");
        origins.Should().HaveCount(refanged.Length + 1);
        var start = refanged.IndexOf("evil", StringComparison.Ordinal);
        var end = start + "evil.example".Length;
        text[origins[start]..origins[end]].Should().Be("evil[.]example");
    }

    [Fact]
    public void Random_domains_round_trip_through_defang_and_refang()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var labels = Enumerable.Range(0, random.Next(2, 5)).Select(_ => new string(Enumerable.Range(0, random.Next(1, 12))
                .Select(_ => (char)('a' + random.Next(26))).ToArray()));
            var domain = string.Join('.', labels);
            Defang.Refang(Defang.DefangValue(domain, ObservableType.Domain)).Should().Be(domain);
            var url = "https://" + domain + "/p" + i;
            Defang.Refang(Defang.DefangValue(url, ObservableType.Url)).Should().Be(url);
        }
    }
}
