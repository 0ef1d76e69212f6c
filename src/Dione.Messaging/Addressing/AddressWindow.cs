namespace Dione.Messaging.Addressing;

/// <summary>
/// The next <c>size</c> addresses of one address chain, from message number <see cref="First"/> on, with a lookup by
/// address. Slides forward and grows without recomputing what it already holds. In memory only: it is rebuilt from
/// the chain's stored address key, and holds nothing that key does not already yield.
/// </summary>
internal sealed class AddressWindow
{
    private readonly List<(MailboxAddress Address, byte[] Key, uint Number)> _entries = [];
    private readonly Dictionary<MailboxAddress, uint> _numbers = [];
    private int _size;

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

    /// <summary>How many addresses this window has computed since it was made (two HMACs each): what it has cost.</summary>
    public long Computed { get; private set; }

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

    /// <summary>
    /// The <paramref name="size"/> addresses right after this window's last one, as a window of their own (empty when
    /// this one is empty or reaches the end of the chain): what lies beyond, without computing this one again.
    /// </summary>
    public AddressWindow Continuation(int size)
    {
        if (_entries.Count == 0 || _entries[^1] is not { Number: < uint.MaxValue } last)
        {
            return CreateEmpty();
        }
        return new AddressWindow(AddressChain.NextKey(last.Key), last.Number + 1, size);
    }

    /// <summary>Extends the window to <paramref name="size"/> addresses (never shrinks it), computing only the new ones.</summary>
    public void GrowTo(int size)
    {
        if (size <= _size)
        {
            return;
        }
        _size = size;
        if (_entries.Count > 0 && _entries[^1] is var last && last.Number != uint.MaxValue)
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
            Computed++;
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
