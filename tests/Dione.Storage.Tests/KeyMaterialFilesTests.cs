using System.Runtime.Versioning;
using Dione.Storage;

namespace Dione.Storage.Tests;

/// <summary>
/// What a database file gives away to others on the machine: its mode, and deleted data left in its pages or its WAL.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class KeyMaterialFilesTests : IDisposable
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly StoreSchema Schema = new("secrets", ["CREATE TABLE secrets (id INTEGER PRIMARY KEY, value BLOB NOT NULL);"]);

    private readonly string _folder = Directory.CreateTempSubdirectory("dione-storage-").FullName;

    private string DatabasePath => Path.Combine(_folder, "datastore.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_new_database_and_its_wal_and_shared_memory_files_are_for_the_owner_only()
    {
        await using var database = await SqliteStoreConnection.OpenAsync(DatabasePath, Schema);
        await WriteAsync(database, "INSERT INTO secrets (value) VALUES (x'00')");

        foreach (var path in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            Assert.True(File.Exists(path), path);
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(path) & GroupOrOther);
        }
    }

    [Fact]
    public async Task A_database_an_older_build_left_readable_is_made_private_when_opened()
    {
        await (await SqliteStoreConnection.OpenAsync(DatabasePath, Schema)).DisposeAsync();
        File.SetUnixFileMode(DatabasePath, File.GetUnixFileMode(DatabasePath) | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var database = await SqliteStoreConnection.OpenAsync(DatabasePath, Schema);

        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(DatabasePath) & GroupOrOther);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_overwritten_value_survives_in_the_files_unless_erased_and_the_wal_truncated(bool erase)
    {
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        await using var database = await SqliteStoreConnection.OpenAsync(DatabasePath, Schema, eraseDeleted: erase);
        await WriteAsync(database, "INSERT INTO secrets (id, value) VALUES (1, $value)", ("$value", secret));
        await database.TruncateWalAsync(CancellationToken.None); // the old value now sits in the database file itself

        await WriteAsync(database, "UPDATE secrets SET value = $value WHERE id = 1", ("$value", new byte[64]));
        if (erase)
        {
            Assert.True(await database.TruncateWalAsync(CancellationToken.None));
        }

        Assert.Equal(!erase, FilesContain(secret));
    }

    private bool FilesContain(byte[] secret) =>
        Directory.GetFiles(_folder).Any(path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray().AsSpan().IndexOf(secret) >= 0;
        });

    private static Task<int> WriteAsync(SqliteStoreConnection database, string sql, params (string Name, object Value)[] parameters) =>
        database.RunAsync(
            async () =>
            {
                await using var command = database.Command(sql, transaction: null, parameters);
                return await command.ExecuteNonQueryAsync();
            },
            CancellationToken.None);
}
