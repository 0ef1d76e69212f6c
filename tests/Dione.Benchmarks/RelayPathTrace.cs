namespace Dione.Benchmarks;

/// <summary>The tracing context of one direction of a relayed connection.</summary>
internal readonly record struct RelayPathTrace(RelayTrace Relay, string Direction)
{
    public void Record(string what, int bytes) =>
        Relay.Record(bytes == 0 ? $"{what} {Direction} end" : $"{what} {Direction} {bytes} B");
}
