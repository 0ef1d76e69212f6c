using System.Globalization;
using Dione.Kademlia;
using Dione.Kademlia.Lookup;

namespace Dione.Cli.Commands;

/// <summary>Shows a lookup's progress on stderr, one line per new hop: peers queried and closest distance so far.</summary>
public sealed class LookupProgressPrinter : IProgress<LookupProgress>
{
    private readonly Lock _gate = new();
    private int _lastHop;

    public void Report(LookupProgress value)
    {
        lock (_gate)
        {
            if (value.Hops <= _lastHop)
            {
                return;
            }
            _lastHop = value.Hops;
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hop {value.Hops}: {value.PeersQueried} peers queried ({value.PeersFailed} failed), closest shares {value.ClosestCommonPrefixLength} leading bits with the key"));
    }
}
