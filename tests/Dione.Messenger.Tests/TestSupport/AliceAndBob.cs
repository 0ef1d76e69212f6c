namespace Dione.Messenger.Tests.TestSupport;

/// <summary>
/// Alice and Bob on one <see cref="InMemoryMailbox"/>, each with a database file in a fresh temporary folder: Bob has
/// published his prekeys and Alice knows him as contact "bob". For tests of the messenger that need no TCP.
/// </summary>
internal sealed class AliceAndBob : IAsyncDisposable
{
    private readonly string _directory;

    private AliceAndBob(string directory, InMemoryMailbox mailbox)
    {
        _directory = directory;
        Mailbox = mailbox;
    }

    public InMemoryMailbox Mailbox { get; }

    public RestartablePerson Alice { get; private set; } = null!;

    public RestartablePerson Bob { get; private set; } = null!;

    /// <summary>How many holders acknowledged Bob's prekey publication.</summary>
    public int PrekeyHolders { get; private set; }

    public static async Task<AliceAndBob> StartAsync(int replication)
    {
        var people = new AliceAndBob(Directory.CreateTempSubdirectory("dione-alice-and-bob-").FullName, new InMemoryMailbox(replication));
        try
        {
            people.Alice = await RestartablePerson.OpenAsync(people.Mailbox, Path.Combine(people._directory, "alice.db"));
            people.Bob = await RestartablePerson.OpenAsync(people.Mailbox, Path.Combine(people._directory, "bob.db"));
            people.PrekeyHolders = await people.Bob.Messenger.PublishPrekeysAsync(Timeouts.Token());
            await people.Alice.Messenger.AddContactAsync("bob", people.Bob.Messenger.Address, Timeouts.Token());
            return people;
        }
        catch
        {
            await people.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Alice is not null)
        {
            await Alice.DisposeAsync();
        }
        if (Bob is not null)
        {
            await Bob.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
