using Dione.Libp2p.Noise;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseMuxerSelectionTests
{
    [Fact]
    public void The_spec_example_selects_yamux()
    {
        // specs/connections/inlined-muxer-negotiation.md: the client prefers yamux, the server mplex.
        Assert.Equal("/yamux/1.0.0", NoiseMuxerSelection.Select(["/yamux/1.0.0", "/mplex/6.7.0"], ["/mplex/6.7.0", "/yamux/1.0.0"]));
    }

    [Fact]
    public void Initiator_order_wins_and_empty_or_disjoint_lists_give_null()
    {
        Assert.Equal("b", NoiseMuxerSelection.Select(["x", "b", "a"], ["a", "b"]));
        Assert.Null(NoiseMuxerSelection.Select([], ["a"]));
        Assert.Null(NoiseMuxerSelection.Select(["a"], []));
        Assert.Null(NoiseMuxerSelection.Select(["a"], ["A"]));
    }
}
