using Dione.Cli.Api.Models;
using Dione.Messaging.Identity;
using Dione.Messenger.Conversations;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary><c>/api/v0/dione/address</c> and <c>/api/v0/dione/contact/add|list|rename|rm</c>.</summary>
public static class DioneContactEndpoints
{
    public static void Map(ApiRoutes routes, DioneNode node)
    {
        var messenger = node.Messenger;
        routes.Post("dione/address", context => ApiResponse.WriteAsync(context, new DioneAddressOutput(messenger.Address)));
        routes.Post("dione/contact/add", context => AddAsync(context, messenger));
        routes.Post("dione/contact/list", context => ListAsync(context, messenger));
        routes.Post("dione/contact/rename", context => RenameAsync(context, messenger));
        routes.Post("dione/contact/rm", context => RemoveAsync(context, messenger));
    }

    private static async Task AddAsync(HttpContext context, DioneMessenger messenger)
    {
        var arguments = Expect(context, "name", "address");
        await messenger.AddContactAsync(arguments[0], arguments[1], context.RequestAborted).ConfigureAwait(false);
        var added = (await messenger.ContactsAsync(context.RequestAborted).ConfigureAwait(false)).First(c => c.Name == arguments[0]);
        await ApiResponse.WriteAsync(context, Describe(added)).ConfigureAwait(false);
    }

    private static async Task ListAsync(HttpContext context, DioneMessenger messenger)
    {
        var contacts = await messenger.ContactsAsync(context.RequestAborted).ConfigureAwait(false);
        await ApiResponse.WriteAsync(context, new DioneContacts([.. contacts.Select(Describe).OrderBy(c => c.Name, StringComparer.Ordinal)])).ConfigureAwait(false);
    }

    private static async Task RenameAsync(HttpContext context, DioneMessenger messenger)
    {
        var arguments = Expect(context, "old name", "new name");
        await messenger.RenameContactAsync(arguments[0], arguments[1], context.RequestAborted).ConfigureAwait(false);
        var renamed = (await messenger.ContactsAsync(context.RequestAborted).ConfigureAwait(false)).First(c => c.Name == arguments[1]);
        await ApiResponse.WriteAsync(context, new DioneContactRename(arguments[0], renamed.Name, Describe(renamed).Address)).ConfigureAwait(false);
    }

    private static async Task RemoveAsync(HttpContext context, DioneMessenger messenger)
    {
        var name = Expect(context, "name")[0];
        await messenger.RemoveContactAsync(name, ApiRequest.Flag(context, "force", "f"), context.RequestAborted).ConfigureAwait(false);
        await ApiResponse.WriteAsync(context, new StringList([$"removed {name}"])).ConfigureAwait(false);
    }

    private static DioneContact Describe(Dione.Messenger.Persistence.ContactEntry entry) =>
        new(entry.Name, DioneAddress.Format(IdentityKey.FromEd25519(entry.IdentityKey)), entry.Added);

    /// <summary>Exactly the named positional arguments, each non-empty, as kubo checks a command's arguments.</summary>
    internal static IReadOnlyList<string> Expect(HttpContext context, params string[] names)
    {
        var arguments = ApiRequest.Arguments(context);
        for (var i = 0; i < names.Length; i++)
        {
            if (arguments.Count <= i || arguments[i].Length == 0)
            {
                throw ApiException.Client($"argument \"{names[i]}\" is required");
            }
        }
        if (arguments.Count > names.Length)
        {
            throw ApiException.Client($"expected {names.Length} argument(s) ({string.Join(", ", names)}), got {arguments.Count}");
        }
        return arguments;
    }
}
