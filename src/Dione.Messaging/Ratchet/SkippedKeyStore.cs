using System.Security.Cryptography;
using Dione.Messaging.Addressing;

namespace Dione.Messaging.Ratchet;

/// <summary>
/// MKSKIPPED, indexed by pending address: insertion-ordered (oldest first), bounded (the oldest is evicted beyond the
/// limit) and expiring. An entry is removed, and its key cleared, when its message opens, expires or is evicted.
/// </summary>
internal sealed class SkippedKeyStore
{
    private readonly LinkedList<SkippedMessageKey> _order = new();
    private readonly Dictionary<MailboxAddress, LinkedListNode<SkippedMessageKey>> _byAddress = new();
    private long _earliestExpiry = long.MaxValue;

    public int Count => _order.Count;

    public IEnumerable<SkippedMessageKey> Entries => _order;

    public bool TryGet(MailboxAddress address, out SkippedMessageKey entry)
    {
        if (_byAddress.TryGetValue(address, out var node))
        {
            entry = node.Value;
            return true;
        }
        entry = null!;
        return false;
    }

    /// <summary>Appends (newest), then evicts the oldest entries beyond <paramref name="limit"/>.</summary>
    public void Add(SkippedMessageKey entry, int limit)
    {
        if (_byAddress.ContainsKey(entry.Address))
        {
            throw new InvalidOperationException("two pending messages at one address");
        }
        _byAddress.Add(entry.Address, _order.AddLast(entry));
        _earliestExpiry = Math.Min(_earliestExpiry, entry.ExpiresUnixSeconds);
        while (_order.Count > limit)
        {
            Remove(_order.First!.Value);
        }
    }

    public void Remove(SkippedMessageKey entry)
    {
        if (_byAddress.Remove(entry.Address, out var node))
        {
            _order.Remove(node);
            CryptographicOperations.ZeroMemory(node.Value.MessageKey);
        }
    }

    /// <summary>Removes every entry whose expiry is at or before <paramref name="nowUnixSeconds"/>; returns how many.</summary>
    public int Expire(long nowUnixSeconds)
    {
        if (nowUnixSeconds < _earliestExpiry)
        {
            return 0;
        }
        var removed = 0;
        var earliest = long.MaxValue;
        for (var node = _order.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.ExpiresUnixSeconds <= nowUnixSeconds)
            {
                Remove(node.Value);
                removed++;
            }
            else
            {
                earliest = Math.Min(earliest, node.Value.ExpiresUnixSeconds);
            }
            node = next;
        }
        _earliestExpiry = earliest;
        return removed;
    }
}
