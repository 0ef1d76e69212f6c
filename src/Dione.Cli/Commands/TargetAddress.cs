using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>Parses and dials the peer address that ping and perf are given.</summary>
public static class TargetAddress
{
    public static Multiaddress Parse(string text)
    {
        if (!Multiaddress.TryParse(text, out var address))
        {
            throw new CliException($"invalid multiaddr '{text}'");
        }
        return address!;
    }

    public static async Task<Connection> DialAsync(Libp2pHost host, Multiaddress address, CancellationToken cancellationToken)
    {
        try
        {
            return await host.DialAsync(address, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new CliException(e is IOException ? e.Message : $"could not connect to {address}: {e.Message}");
        }
    }
}
