using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary>
/// The <c>/api/v0/dione/</c> endpoints on one daemon: their replies' shape, and kubo's error reply (400, code 1) for
/// every missing or bad argument and body, including a seeded stream of mutated requests; the daemon keeps answering.
/// </summary>
public sealed class MessagingApiTests(MessagingApiTests.DaemonFixture fixture) : IClassFixture<MessagingApiTests.DaemonFixture>
{
    private const string SomeAddress = "baenjdmq4dnlrslxt22xixbcgoioqsbnwlgfyzc5qwtzl2n6krwtw6ox6wq5q";

    private ApiTestDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Address_contacts_status_and_an_empty_inbox_have_their_documented_shape()
    {
        using var client = Daemon.HttpClient();

        var address = await JsonAsync(client, "dione/address");
        var added = await JsonAsync(client, $"dione/contact/add?arg=bob&arg={SomeAddress}");
        var list = await JsonAsync(client, "dione/contact/list");
        var status = await JsonAsync(client, "dione/status");
        var renamed = await JsonAsync(client, "dione/contact/rename?arg=bob&arg=robert");
        var removed = await JsonAsync(client, "dione/contact/rm?arg=robert");
        var empty = await JsonAsync(client, "dione/contact/list");
        using var inbox = await client.PostAsync("dione/inbox", null);

        Assert.Matches("^b[a-z2-7]+$", address.GetProperty("Address").GetString());
        Assert.Equal(SomeAddress, added.GetProperty("Address").GetString());
        var contact = Assert.Single(list.GetProperty("Contacts").EnumerateArray());
        Assert.Equal(("bob", SomeAddress), (contact.GetProperty("Name").GetString(), contact.GetProperty("Address").GetString()));
        Assert.Equal(address.GetProperty("Address").GetString(), status.GetProperty("Address").GetString());
        Assert.Equal(1, status.GetProperty("Contacts").GetInt32());
        foreach (var field in new[] { "Sessions", "PendingSends", "Received", "OverlayPeers" })
        {
            Assert.Equal(0, status.GetProperty(field).GetInt64());
        }
        // Its own prekey publication, when the loop already stored it at the only holder there is.
        Assert.InRange(status.GetProperty("StoredEnvelopes").GetInt64(), 0, 1);
        Assert.Equal(("bob", "robert", SomeAddress), (renamed.GetProperty("Was").GetString(), renamed.GetProperty("Now").GetString(), renamed.GetProperty("Address").GetString()));
        Assert.Equal(["removed robert"], removed.GetProperty("Strings").EnumerateArray().Select(s => s.GetString()));
        Assert.Empty(empty.GetProperty("Contacts").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Equal("1", inbox.Headers.GetValues("X-Chunked-Output").Single());
        Assert.Equal("", await inbox.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("dione/contact/add", "argument \"name\" is required")]
    [InlineData("dione/contact/add?arg=bob", "argument \"address\" is required")]
    [InlineData("dione/contact/add?arg=bob&arg=", "argument \"address\" is required")]
    [InlineData("dione/contact/add?arg=bob&arg=xyz", "not a Dione address: ")]
    [InlineData("dione/contact/add?arg=bob&arg=b", "not a Dione address: ")]
    [InlineData("dione/contact/add?arg=bob&arg=" + SomeAddress + "&arg=more", "expected 2 argument(s) (name, address), got 3")]
    [InlineData("dione/contact/add?arg=%0Abob&arg=" + SomeAddress, "a contact name has no control characters")]
    [InlineData("dione/contact/rm", "argument \"name\" is required")]
    [InlineData("dione/contact/rm?arg=nobody", "no contact named 'nobody'")]
    [InlineData("dione/contact/rm?arg=nobody&force=maybe", "option \"force\": 'maybe' is not a boolean")]
    [InlineData("dione/contact/rename", "argument \"old name\" is required")]
    [InlineData("dione/contact/rename?arg=nobody", "argument \"new name\" is required")]
    [InlineData("dione/contact/rename?arg=nobody&arg=somebody", "no contact named 'nobody'")]
    [InlineData("dione/contact/rename?arg=nobody&arg=%0Asomebody", "a contact name has no control characters")]
    [InlineData("dione/contact/rename?arg=a&arg=b&arg=c", "expected 2 argument(s) (old name, new name), got 3")]
    [InlineData("dione/send", "argument \"name\" is required")]
    [InlineData("dione/send?arg=nobody", "a message cannot be empty")]
    [InlineData("dione/send?arg=nobody&arg=hello", "no contact named 'nobody'")]
    [InlineData("dione/send?arg=nobody&arg=a&arg=b", "expected a contact name and at most one message, got 3 arguments")]
    [InlineData("dione/inbox?after=abc", "option \"after\": 'abc' is not an integer")]
    [InlineData("dione/inbox?after=-1", "option \"after\": '-1' is negative")]
    [InlineData("dione/inbox?follow=maybe", "option \"follow\": 'maybe' is not a boolean")]
    public async Task Missing_and_bad_arguments_get_kubos_error_reply(string command, string message)
    {
        using var client = Daemon.HttpClient();

        using var response = await client.PostAsync(command, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ApiSecurityTests.AssertKuboErrorAsync(response, 1, message);
        await AssertAliveAsync();
    }

    [Fact]
    public async Task Bad_message_bodies_get_kubos_error_reply()
    {
        using var client = Daemon.HttpClient();
        var tooLong = new MultipartFormDataContent { { new ByteArrayContent(new byte[70_000]), "file", "message" } };
        var badMultipart = new ByteArrayContent(Encoding.ASCII.GetBytes("--x\r\nno end"));
        badMultipart.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        using var notUtf8 = await client.PostAsync("dione/send?arg=nobody", new ByteArrayContent([0x68, 0xC3, 0x28, 0xFF]));
        using var emptyBody = await client.PostAsync("dione/send?arg=nobody", new ByteArrayContent([]));
        using var longBody = await client.PostAsync("dione/send?arg=nobody", new ByteArrayContent(Encoding.UTF8.GetBytes(new string('a', 61_441))));
        using var longPart = await client.PostAsync("dione/send?arg=nobody", tooLong);
        using var broken = await client.PostAsync("dione/send?arg=nobody", badMultipart);
        using var rawToUnknown = await client.PostAsync("dione/send?arg=nobody", new StringContent("hello"));

        await ApiSecurityTests.AssertKuboErrorAsync(notUtf8, 1, "a message must be UTF-8 text");
        await ApiSecurityTests.AssertKuboErrorAsync(emptyBody, 1, "a message cannot be empty");
        await ApiSecurityTests.AssertKuboErrorAsync(longBody, 1, "a message has at most 61440 bytes, not 61441");
        await ApiSecurityTests.AssertKuboErrorAsync(longPart, 1, "a message has at most 61440 bytes, not 70000");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        await ApiSecurityTests.AssertKuboErrorAsync(broken, 1, "message");
        await ApiSecurityTests.AssertKuboErrorAsync(rawToUnknown, 1, "no contact named 'nobody'");
        await AssertAliveAsync();
    }

    [Fact]
    public async Task Seeded_mutations_of_messaging_requests_get_only_kubo_shaped_answers()
    {
        string[] commands = ["dione/address", "dione/contact/add", "dione/contact/list", "dione/contact/rename", "dione/contact/rm", "dione/send", "dione/inbox", "dione/status"];
        string[] valid = ["bob", SomeAddress, "hello", "5", "true"];
        var random = new Random(20261121);
        var root = Directory.CreateTempSubdirectory("dione-messaging-mutations-").FullName;
        var daemon = await ApiTestDaemon.StartAsync(root, "daemon");
        try
        {
            using var client = daemon.HttpClient();
            for (var i = 0; i < 150; i++)
            {
                var command = commands[random.Next(commands.Length)];
                var arguments = string.Join('&', Enumerable.Range(0, random.Next(4)).Select(_ => "arg=" + Uri.EscapeDataString(Mutate(random, valid[random.Next(valid.Length)]))));
                var option = random.Next(3) switch { 0 => "", 1 => "&after=" + Mutate(random, "3"), _ => "&follow=" + Mutate(random, "false") };
                var body = new ByteArrayContent(random.Next(2) == 0 ? [] : Encoding.UTF8.GetBytes(Mutate(random, "some text")));

                using var response = await client.PostAsync($"{command}?{arguments}{option}", body);
                var text = await response.Content.ReadAsStringAsync();

                var context = $"{command}?{arguments}{option}: {(int)response.StatusCode} {text}";
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, context);
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var json = JsonDocument.Parse(line);
                    if (response.StatusCode == HttpStatusCode.BadRequest)
                    {
                        Assert.Equal("error", json.RootElement.GetProperty("Type").GetString());
                    }
                }
            }
            using var alive = await client.PostAsync("dione/status", null);
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
        finally
        {
            await daemon.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>One to three random edits: a character replaced, inserted (control, non-ASCII, separators) or removed.</summary>
    private static string Mutate(Random random, string text) => QueryTextMutator.Mutate(random, text, "/%\0\n abcXYZ019+=?&#é\u2028\uFFFD-");

    private static async Task<JsonElement> JsonAsync(HttpClient client, string command)
    {
        using var response = await client.PostAsync(command, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{command}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    private async Task AssertAliveAsync()
    {
        using var client = Daemon.HttpClient();
        using var response = await client.PostAsync("dione/status", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>One daemon for the tests that change nothing another test looks at.</summary>
    public sealed class DaemonFixture : IAsyncLifetime
    {
        private readonly string _root = Directory.CreateTempSubdirectory("dione-messaging-api-").FullName;
        private ApiTestDaemon? _daemon;

        public ApiTestDaemon Daemon => _daemon!;

        public async Task InitializeAsync() => _daemon = await ApiTestDaemon.StartAsync(_root, "daemon");

        public async Task DisposeAsync()
        {
            await Daemon.DisposeAsync();
            Directory.Delete(_root, recursive: true);
        }
    }
}
