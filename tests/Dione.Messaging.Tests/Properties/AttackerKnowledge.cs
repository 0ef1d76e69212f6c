using Dione.Messaging.Addressing;
using Dione.Messaging.Crypto;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Tests.Sessions;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Messaging.Tests.Properties;

/// <summary>
/// Everything an attacker who captured one party's serialized state could compute, enumerated generously (a superset
/// of the real capability): every 32-byte secret in the state is tried as an address seed, a chain key and an X3DH
/// secret, walked <c>walk</c> steps down the address and message-key chains; and the root chain is followed
/// <c>depth</c> steps with the state's ratchet private key against every ratchet public key ever seen on the wire
/// (the attacker is assumed to see them all), each step's outputs walked the same way.
/// </summary>
internal sealed class AttackerKnowledge
{
    public HashSet<string> Addresses { get; } = [];
    public HashSet<string> MessageKeys { get; } = [];

    public static AttackerKnowledge FromState(byte[] serializedState, IEnumerable<byte[]> publicKeysOnTheWire, int depth, int walk)
    {
        var state = RatchetSessionState.Parser.ParseFrom(serializedState);
        var knowledge = new AttackerKnowledge();
        var secrets = new List<byte[]>();
        void Add(ByteString value)
        {
            if (value.Length == 32)
            {
                secrets.Add(value.ToByteArray());
            }
        }
        Add(state.RootKey);
        Add(state.DhPrivateKey);
        Add(state.RemoteDhPublicKey);
        Add(state.NextSendingHeaderKey);
        Add(state.NextSendingAddressKey);
        Add(state.NextReceivingHeaderKey);
        Add(state.NextReceivingAddressKey);
        foreach (var chain in new[] { (state.Sending?.HeaderKey, state.Sending?.ChainKey, state.Sending?.AddressKey), (state.Receiving?.HeaderKey, state.Receiving?.ChainKey, state.Receiving?.AddressKey) })
        {
            foreach (var value in new[] { chain.Item1, chain.Item2, chain.Item3 })
            {
                if (value is not null)
                {
                    Add(value);
                }
            }
        }
        foreach (var skipped in state.Skipped)
        {
            Add(skipped.HeaderKey);
            Add(skipped.MessageKey);
            knowledge.Addresses.Add(TestSessions.Hex(skipped.Address.ToByteArray()));
            knowledge.MessageKeys.Add(TestSessions.Hex(skipped.MessageKey.ToByteArray()));
        }

        var privateKey = X25519KeyPair.FromPrivateKey(state.DhPrivateKey.Span);
        var publics = publicKeysOnTheWire.Select(TestSessions.Hex).Distinct().Select(Convert.FromHexString).ToList();
        var roots = new List<byte[]> { state.RootKey.ToByteArray() };
        for (var d = 0; d < depth; d++)
        {
            var next = new List<byte[]>();
            foreach (var root in roots)
            {
                foreach (var remote in publics)
                {
                    var step = RatchetKdf.RootStep(root, privateKey.Agree(remote), state.Options.RatchetInfo);
                    secrets.AddRange([step.RootKey, step.ChainKey, step.NextHeaderKey, step.NextAddressKey]);
                    next.Add(step.RootKey);
                }
            }
            roots = next;
        }

        foreach (var secret in secrets)
        {
            knowledge.WalkAddresses(secret, walk);
            knowledge.WalkMessageKeys(secret, walk);
            var (initiator, responder) = AddressChain.InitialSeeds(secret);
            knowledge.WalkAddresses(initiator, walk);
            knowledge.WalkAddresses(responder, walk);
        }
        return knowledge;
    }

    private void WalkAddresses(byte[] seed, int walk)
    {
        var key = seed;
        for (var i = 0; i < walk; i++)
        {
            Addresses.Add(TestSessions.Hex(AddressChain.Address(key)));
            key = AddressChain.NextKey(key);
        }
    }

    private void WalkMessageKeys(byte[] chainKey, int walk)
    {
        var key = chainKey;
        for (var i = 0; i < walk; i++)
        {
            var step = RatchetKdf.ChainStep(key);
            MessageKeys.Add(TestSessions.Hex(step.MessageKey));
            key = step.NextChainKey;
        }
    }
}
