using System.Threading.Channels;
using Dione.Messenger.Conversations;
using Dione.Messenger.Node;
using Dione.Messenger.Persistence;

namespace Dione.Cli.Demo;

/// <summary>
/// A person in the demo: a node of the swarm whose messenger runs its normal loop over the person's database file,
/// as a daemon's does (polling, and a watch that is answered as soon as an envelope is stored). Arrivals are noted
/// with the demo's clock the moment the messenger reports them.
/// </summary>
internal sealed class DemoPerson
{
    private readonly Channel<(InboxEntry Entry, double At)> _arrivals = Channel.CreateUnbounded<(InboxEntry, double)>();
    private readonly DemoTranscript _transcript;

    public DemoPerson(string name, int number, DioneNode node, DemoTranscript transcript)
    {
        Name = name;
        Number = number;
        Node = node;
        _transcript = transcript;
        node.Messenger.MessageReceived += (_, entry) => _arrivals.Writer.TryWrite((entry, _transcript.Now));
    }

    public string Name { get; }

    /// <summary>The number of the person's node in the swarm, from 1, in the order nodes were started.</summary>
    public int Number { get; }

    /// <summary>The person's node; its database holds identity, prekeys, contacts, sessions, outbox and inbox.</summary>
    public DioneNode Node { get; }

    public DioneMessenger Messenger => Node.Messenger;

    public MessengerDatabase Database => Node.MessengerDatabase;

    /// <summary>The next message the messenger received, with the demo time it arrived.</summary>
    public async Task<(InboxEntry Entry, double At)> NextArrivalAsync(CancellationToken cancellationToken) =>
        await _arrivals.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
}
