using System.CommandLine;
using System.Net.Http.Headers;
using Dione.Cli.Api;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione send NAME [MESSAGE]</c>: sends a message to a contact through the running daemon. Without MESSAGE, or
/// with <c>-</c>, the message is read from stdin (one trailing newline dropped); on a terminal, a prompt on stderr
/// says how to end it, so the command does not seem to hang.
/// </summary>
public static class SendCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The contact to send to" };
        var message = new Argument<string?>("message") { Description = "The message; omitted or '-': read from stdin", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var command = new Command("send", "Send a message to a contact") { name, message, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var contact = parse.GetValue(name)!;
            var text = parse.GetValue(message);
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            // As the body, not a query argument: a long message would not fit in the request line.
            var body = new ByteArrayContent(text is null or "-" ? await ReadStdinAsync(cancellationToken) : System.Text.Encoding.UTF8.GetBytes(text));
            body.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            var reply = await api.PostAsync<DioneSendOutput>("dione/send", [contact], body: body, cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
                return 0;
            }
            Console.Out.WriteLine($"Sent to {contact} (stored at {reply.Stored} of {reply.Wanted} holders)");
            return 0;
        });
        return command;
    }

    private static async Task<byte[]> ReadStdinAsync(CancellationToken cancellationToken)
    {
        if (!Console.IsInputRedirected)
        {
            await Console.Error.WriteLineAsync(OperatingSystem.IsWindows()
                ? "type the message, end with Ctrl-Z and Enter"
                : "type the message, end with Ctrl-D");
        }
        using var stdin = Console.OpenStandardInput();
        var buffer = new byte[ApiServer.MaxRequestBodyBytes + 1];
        var length = await stdin.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (length > ApiServer.MaxRequestBodyBytes)
        {
            throw new CliException($"the message on stdin is longer than {ApiServer.MaxRequestBodyBytes} bytes");
        }
        if (length > 0 && buffer[length - 1] == (byte)'\n')
        {
            length -= length > 1 && buffer[length - 2] == (byte)'\r' ? 2 : 1;
        }
        return buffer[..length];
    }
}
