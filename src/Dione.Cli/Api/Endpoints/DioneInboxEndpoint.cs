using System.Text;
using System.Threading.Channels;
using Dione.Cli.Api.Models;
using Dione.Messenger.Node;
using Dione.Messenger.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/dione/inbox[?after=ID][&amp;follow=true]</c>: a stream of received messages (newline-delimited
/// <see cref="DioneMessage"/>), those with an id above <c>after</c> in the order they arrived; with <c>follow</c>,
/// then every message as it arrives, until the client goes away or the daemon stops.
/// </summary>
public static class DioneInboxEndpoint
{
    public static void Map(ApiRoutes routes, DioneNode node) =>
        routes.Post("dione/inbox", context => InboxAsync(context, node));

    private static async Task InboxAsync(HttpContext context, DioneNode node)
    {
        var after = ApiRequest.Long(context, 0, "after");
        if (after < 0)
        {
            throw ApiException.Client($"option \"after\": '{after}' is negative");
        }
        var follow = ApiRequest.Flag(context, "follow", "f");
        var stream = new ApiStream(context);
        if (!follow)
        {
            foreach (var entry in await node.MessengerDatabase.InboxAsync(after, context.RequestAborted).ConfigureAwait(false))
            {
                await stream.WriteAsync(Describe(entry)).ConfigureAwait(false);
            }
            await stream.StartAsync().ConfigureAwait(false);
            return;
        }
        var arrived = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnReceived(object? sender, InboxEntry entry) => arrived.Writer.TryWrite(true);
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var until = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        node.Messenger.MessageReceived += OnReceived;
        try
        {
            await stream.StartAsync().ConfigureAwait(false);
            var last = after;
            while (true)
            {
                // Subscribed before the first read: a message committed in between is read now or signalled next.
                foreach (var entry in await node.MessengerDatabase.InboxAsync(last, until.Token).ConfigureAwait(false))
                {
                    await stream.WriteAsync(Describe(entry)).ConfigureAwait(false);
                    last = entry.Id;
                }
                await arrived.Reader.ReadAsync(until.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // The daemon stops: the stream ends normally.
        }
        finally
        {
            node.Messenger.MessageReceived -= OnReceived;
        }
    }

    private static DioneMessage Describe(InboxEntry entry) =>
        new(entry.Id, entry.Contact, Encoding.UTF8.GetString(entry.Body), entry.Sent, entry.Received);
}
