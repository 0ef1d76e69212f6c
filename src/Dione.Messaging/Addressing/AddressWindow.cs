namespace Dione.Messaging.Addressing;

/// <summary>
/// The next <c>size</c> addresses of one address chain, from message number <see cref="First"/> on, with a lookup by
/// address. Slides forward without recomputing what it already holds. In memory only: it is rebuilt from the chain's
/// stored address key, and holds nothing that key does not already yield.
/// </summary>
internal sealed class AddressWindow
{
    private readonly List<(MailboxAddress Address, byte[] Key, uint Number)> _entries = [];
    private readonly Dictionary<MailboxAddress, uint> _numbers = [];
    private readonly int _size;

    /// <param name="addressKey">AK of message <paramref name="first"/>.</param>
    public AddressWindow(byte[] addressKey, uint first, int size)
    {
        _size = size;
        Fill(addressKey, first);
    }

    /// <summary>A window of no addresses (a chain that has not started).</summary>
    public static AddressWindow CreateEmpty() => new();

    private AddressWindow()
    {
    }

    public uint First => _entries.Count == 0 ? 0 : _entries[0].Number;

    public IEnumerable<MailboxAddress> Addresses => _entries.Select(e => e.Address);

    public int Count => _entries.Count;

    public bool TryGetValue(MailboxAddress address, out uint number) => _numbers.TryGetValue(address, out number);

    /// <summary>Moves the window to start at <paramref name="first"/> (whose AK is <paramref name="addressKey"/>), reusing the addresses it holds.</summary>
    public void SlideTo(uint first, byte[] addressKey)
    {
        var keep = _entries.FindIndex(e => e.Number == first);
        if (keep < 0)
        {
            _entries.Clear();
            _numbers.Clear();
            Fill(addressKey, first);
            return;
        }
        foreach (var dropped in _entries.Take(keep))
        {
            _numbers.Remove(dropped.Address);
        }
        _entries.RemoveRange(0, keep);
        var last = _entries[^1];
        if (last.Number != uint.MaxValue)
        {
            Fill(AddressChain.NextKey(last.Key), last.Number + 1);
        }
    }

    private void Fill(byte[] addressKey, uint number)
    {
        var key = addressKey;
        while (_entries.Count < _size)
        {
            var address = MailboxAddress.From(AddressChain.Address(key));
            _entries.Add((address, key, number));
            _numbers[address] = number;
            if (number == uint.MaxValue)
            {
                return;
            }
            number++;
            if (_entries.Count < _size)
            {
                key = AddressChain.NextKey(key);
            }
        }
    }
}
