using System.Text;
using System.Text.Json;
using Dione.Cli.Api;

namespace Dione.Cli.Tests;

/// <summary>The one encoder every JSON line dione writes goes through: escapes only what JSON requires.</summary>
public sealed class JsonTextEncoderTests
{
    [Theory]
    [InlineData("CAESIM4Avoc+/x=", "\"CAESIM4Avoc+/x=\"")]
    [InlineData("Zoë 🙂 <b>&'", "\"Zoë 🙂 <b>&'\"")]
    [InlineData("say \"hi\" \\ back", "\"say \\\"hi\\\" \\\\ back\"")]
    [InlineData("line\nfeed\ttab\r\b\f\u0001\u001f", "\"line\\nfeed\\ttab\\r\\b\\f\\u0001\\u001F\"")]
    public void Strings_are_escaped_only_where_json_requires(string text, string expected)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(text, ApiJson.Options);

        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
        Assert.Equal(text, JsonSerializer.Deserialize<string>(bytes));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character_so_the_output_stays_valid_utf8()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes("a\uD83Db", ApiJson.Options);

        Assert.Equal("a\uFFFDb", JsonSerializer.Deserialize<string>(bytes));
        Assert.Equal(bytes, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes)));
    }

    [Fact]
    public void The_cli_options_for_values_that_are_no_api_model_use_the_same_encoder()
    {
        var json = JsonSerializer.Serialize(new { Name = "Zoë 🙂+" }, ApiJson.CliOptions);

        Assert.Equal("{\"Name\":\"Zoë 🙂+\"}", json);
    }
}
