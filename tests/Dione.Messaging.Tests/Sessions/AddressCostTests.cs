using Dione.Messaging.Sessions;

namespace Dione.Messaging.Tests.Sessions;

/// <summary>
/// What listing and finding addresses costs a restored session: a poll restores every session and asks for its
/// window and some look-ahead, so the addresses computed must follow what is asked for, not MAX_SKIP.
/// </summary>
public sealed class AddressCostTests
{
    private static readonly DateTimeOffset Now = TestSessions.Epoch;

    [Fact]
    public void A_poll_computes_only_the_addresses_it_asks_for()
    {
        var (_, bob) = StartedPair();
        var polled = DioneSession.Restore(bob.Serialize());

        var asked = polled.PendingAddresses.Count + polled.RecoveryAddresses(32).Count;

        Assert.Equal(2 * (8 + 32), asked);
        Assert.Equal(asked, polled.Ratchet.AddressesComputed);
    }

    [Fact]
    public void Opening_an_envelope_beyond_the_window_computes_in_proportion_to_how_far_it_is()
    {
        var (alice, bob) = StartedPair();
        var sent = Enumerable.Range(0, 40).Select(i => alice.Encrypt([(byte)i], Now)).ToList();
        var restored = DioneSession.Restore(bob.Serialize());

        Assert.Equal([39], restored.Open(sent[39].Envelope, Now).Plaintext);

        // Found in doublings from 2W: a reach of 64 in each chain (plus the two windows), far below 2 * (MAX_SKIP + 1).
        Assert.InRange(restored.Ratchet.AddressesComputed, 1, 2 * (8 + 64));
    }

    [Fact]
    public void Look_ahead_per_chain_ends_at_the_furthest_address_asked_for()
    {
        var options = new SessionOptions { AddressWindow = 4, MaxSkip = 40 };
        var (alice, bob) = TestSessions.CreatePair(options);
        bob.Open(alice.Encrypt([0], Now).Envelope, Now);
        var sent = Enumerable.Range(1, 12).Select(i => alice.Encrypt([(byte)i], Now)).ToList();

        var perChain = bob.RecoveryAddressesPerChain(8);

        Assert.Equal(2, perChain.Count);
        Assert.Equal(8, perChain[0].Count);
        Assert.Equal(sent[^1].Address, perChain[0][^1]); // messages 1..4 are the window, 5..12 the look-ahead
        Assert.Equal(perChain.SelectMany(chain => chain), bob.RecoveryAddresses(8));
    }

    /// <summary>A pair with W = 8 and MAX_SKIP = 1000 whose responder has opened the first message (both its chains are known).</summary>
    private static (DioneSession Alice, DioneSession Bob) StartedPair()
    {
        var (alice, bob) = TestSessions.CreatePair(new SessionOptions { AddressWindow = 8, MaxSkip = 1000 });
        bob.Open(alice.Encrypt([1], Now).Envelope, Now);
        return (alice, bob);
    }
}
