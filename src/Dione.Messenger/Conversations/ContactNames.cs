namespace Dione.Messenger.Conversations;

/// <summary>What a contact name may be: 1 to 64 characters, no control characters, no leading or trailing space.</summary>
public static class ContactNames
{
    public const int MaxLength = 64;

    /// <exception cref="MessengerException">the name breaks a rule; the message says which.</exception>
    public static void Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new MessengerException("a contact name cannot be empty");
        }
        if (name.Length > MaxLength)
        {
            throw new MessengerException($"a contact name has at most {MaxLength} characters");
        }
        if (name.Any(char.IsControl) || name.Trim() != name)
        {
            throw new MessengerException("a contact name has no control characters and no leading or trailing spaces");
        }
    }
}
