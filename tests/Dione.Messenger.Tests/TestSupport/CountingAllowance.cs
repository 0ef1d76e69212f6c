using Dione.Messenger.Store;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>A storer's allowance of <paramref name="limit"/> envelopes, counting what was taken.</summary>
internal sealed class CountingAllowance(int limit) : StoreAllowance
{
    public const string Reason = "the test's allowance is used up";

    public int Taken { get; private set; }

    public override bool TryTake(int bytes, out string reason)
    {
        if (Taken >= limit)
        {
            reason = Reason;
            return false;
        }
        Taken++;
        reason = "";
        return true;
    }
}
