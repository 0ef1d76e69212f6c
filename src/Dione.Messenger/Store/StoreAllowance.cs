namespace Dione.Messenger.Store;

/// <summary>
/// What the storer behind one connection may still add to the envelope store: charged once per new envelope, just
/// before it is written (a retried identical envelope and a refused one cost nothing). See <see cref="StorerQuotas"/>.
/// </summary>
public abstract class StoreAllowance
{
    /// <summary>Takes one envelope of <paramref name="bytes"/>; false, with the reason, when the connection or its IP address has used its quota.</summary>
    public abstract bool TryTake(int bytes, out string reason);
}
