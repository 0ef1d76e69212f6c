using System.Net;
using System.Runtime.CompilerServices;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Messenger.Store;

/// <summary>
/// Bounds what one storer may put in this node's envelope store without remembering who stored which envelope: what a
/// connection stored since it opened (<see cref="EnvelopeStoreOptions.MaxEnvelopesPerConnection"/>, <see cref="EnvelopeStoreOptions.MaxBytesPerConnection"/>),
/// and under that a ceiling per IP address (an IPv6 address by its /64) that refills over a day
/// (<see cref="EnvelopeStoreOptions.MaxEnvelopesPerIpPerDay"/>, <see cref="EnvelopeStoreOptions.MaxBytesPerIpPerDay"/>).
/// </summary>
/// <remarks>
/// Peer ids cannot carry a quota any more: a person's node stores under throwaway identities (docs/protocol.md §14.6),
/// and anyone can make a new one for each request. A connection costs a handshake, and an IP address is scarce; the
/// node's total limits still bound everything. Nothing here is written to disk: usage is forgotten when a connection
/// closes and when a node restarts. A swarm of many nodes on one loopback address raises the IP ceiling.
/// </remarks>
public sealed class StorerQuotas
{
    /// <summary>IP addresses tracked at most; those whose ceiling has refilled are forgotten first.</summary>
    public const int MaxTrackedAddresses = 8192;

    private static readonly TimeSpan RefillPeriod = TimeSpan.FromDays(1);

    private readonly EnvelopeStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<Connection, ConnectionAllowance> _connections = [];
    private readonly Dictionary<string, (double Envelopes, double Bytes, long Stamp)> _addresses = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public StorerQuotas(EnvelopeStoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The allowance of the storer on <paramref name="connection"/> (one per connection, for its lifetime).</summary>
    public StoreAllowance For(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _connections.GetValue(connection, c => new ConnectionAllowance(this, AddressKey(c.RemoteAddress)));
    }

    /// <summary>The key an IP ceiling is counted under: the IPv4 address, an IPv6 address's /64, or the whole address otherwise.</summary>
    public static string AddressKey(Multiaddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (remote.Components.Count > 0 && remote.Components[0] is { } first)
        {
            if (first.Protocol == MultiaddrProtocols.Ip4)
            {
                return new IPAddress(first.Value).ToString();
            }
            if (first.Protocol == MultiaddrProtocols.Ip6)
            {
                var ip = new IPAddress(first.Value);
                return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : Convert.ToHexString(first.Value[..8]) + "::/64";
            }
        }
        return remote.ToString();
    }

    private bool TryTakeFromAddress(string key, int bytes, out string reason)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (!_addresses.TryGetValue(key, out var bucket))
            {
                if (_addresses.Count >= MaxTrackedAddresses && !ForgetRefilled(now))
                {
                    reason = "this node tracks too many storing addresses just now";
                    return false;
                }
                bucket = (_options.MaxEnvelopesPerIpPerDay, _options.MaxBytesPerIpPerDay, now);
            }
            var (envelopes, stored) = Refilled(bucket, now);
            if (envelopes < 1 || stored < bytes)
            {
                _addresses[key] = (envelopes, stored, now);
                reason = "this IP address's quota here is used up for now";
                return false;
            }
            _addresses[key] = (envelopes - 1, stored - bytes, now);
            reason = "";
            return true;
        }
    }

    private (double Envelopes, double Bytes) Refilled((double Envelopes, double Bytes, long Stamp) bucket, long now)
    {
        var share = _time.GetElapsedTime(bucket.Stamp, now) / RefillPeriod;
        return (Math.Min(_options.MaxEnvelopesPerIpPerDay, bucket.Envelopes + (share * _options.MaxEnvelopesPerIpPerDay)),
            Math.Min(_options.MaxBytesPerIpPerDay, bucket.Bytes + (share * _options.MaxBytesPerIpPerDay)));
    }

    private bool ForgetRefilled(long now)
    {
        foreach (var (key, bucket) in _addresses.ToList())
        {
            var (envelopes, bytes) = Refilled(bucket, now);
            if (envelopes >= _options.MaxEnvelopesPerIpPerDay && bytes >= _options.MaxBytesPerIpPerDay)
            {
                _addresses.Remove(key);
            }
        }
        return _addresses.Count < MaxTrackedAddresses;
    }

    private sealed class ConnectionAllowance(StorerQuotas quotas, string addressKey) : StoreAllowance
    {
        private readonly object _gate = new();
        private int _envelopes;
        private long _bytes;

        public override bool TryTake(int bytes, out string reason)
        {
            lock (_gate)
            {
                if (_envelopes >= quotas._options.MaxEnvelopesPerConnection || _bytes + bytes > quotas._options.MaxBytesPerConnection)
                {
                    reason = "this connection's quota here is used up";
                    return false;
                }
                if (!quotas.TryTakeFromAddress(addressKey, bytes, out reason))
                {
                    return false;
                }
                _envelopes++;
                _bytes += bytes;
                return true;
            }
        }
    }
}
