namespace Dione.Benchmarks;

/// <summary>The tracing context of one relayed connection: its number and when it was accepted; does nothing without a trace.</summary>
internal readonly record struct RelayTrace(ProxyTrace? Trace, int Connection, long AcceptedAt)
{
    public void Record(string what) => Trace?.Record(Connection, AcceptedAt, what);

    public RelayPathTrace For(string direction) => new(this, direction);
}
