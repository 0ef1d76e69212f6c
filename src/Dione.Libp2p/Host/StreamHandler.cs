namespace Dione.Libp2p.Host;

/// <summary>Serves one inbound stream. The host owns the stream: it closes it on return and resets it on an exception.</summary>
public delegate Task StreamHandler(StreamContext stream, CancellationToken cancellationToken);
