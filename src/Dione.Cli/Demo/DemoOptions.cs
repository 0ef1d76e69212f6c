namespace Dione.Cli.Demo;

/// <summary>Settings of <c>dione demo</c>.</summary>
/// <param name="Nodes">Nodes in the swarm at the start (Bob's second node joins later).</param>
/// <param name="Replication">r: holders per envelope.</param>
/// <param name="DeliveryTimeout">How long a recipient polls for a message before the demo fails.</param>
internal sealed record DemoOptions(int Nodes, int Replication, TimeSpan DeliveryTimeout)
{
    public const int DefaultNodes = 20;

    /// <summary>Fewest nodes the story works with: the entry node, Alice's, Bob's, and a holder besides.</summary>
    public const int MinimumNodes = 4;

    public const int MaximumNodes = 200;
}
