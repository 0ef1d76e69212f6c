using Dione.Libp2p.Muxing;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.TestSupport;

/// <summary>Yamux under another protocol id: a second muxer for tests of which muxer two hosts agree on.</summary>
public sealed class RenamedMuxer(string protocolId) : IStreamMuxer
{
    public const string DefaultId = "/dione-test/mux/1.0.0";

    private readonly YamuxMuxer _inner = new();

    public string ProtocolId { get; } = protocolId;

    public IMuxedConnection Start(Stream secured, bool isInitiator) => _inner.Start(secured, isInitiator);
}
