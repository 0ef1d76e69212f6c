using System.CommandLine;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione contact add NAME ADDRESS</c>, <c>list</c>, <c>rename OLD NEW</c>, <c>rm [--force] NAME</c>: the people you
/// message, through the running daemon.
/// </summary>
public static class ContactCommand
{
    public static Command Create()
    {
        var command = new Command("contact", "Manage the people you message");
        command.Add(Add());
        command.Add(List());
        command.Add(Rename());
        command.Add(Remove());
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "A name of your choice for the contact" };
        var address = new Argument<string>("address") { Description = "Their Dione address (as 'dione address' prints it)" };
        var json = CommonOptions.Json();
        var command = new Command("add", "Add a contact by name and Dione address") { name, address, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var reply = await api.PostAsync<DioneContact>("dione/contact/add", [parse.GetValue(name)!, parse.GetValue(address)!], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
            }
            else
            {
                Console.Out.WriteLine($"Added {reply.Name}");
            }
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List your contacts and their addresses") { json };
        command.Aliases.Add("ls");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var reply = await api.PostAsync<DioneContacts>("dione/contact/list", [], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
                return 0;
            }
            foreach (var contact in reply.Contacts)
            {
                Console.Out.WriteLine($"{contact.Name}\t{contact.Address}");
            }
            return 0;
        });
        return command;
    }

    private static Command Rename()
    {
        var oldName = new Argument<string>("old") { Description = "The contact's name now (for someone who wrote first: their address)" };
        var newName = new Argument<string>("new") { Description = "The name to give them" };
        var json = CommonOptions.Json();
        var command = new Command("rename", "Give a contact another name; the conversation with them stays as it is") { oldName, newName, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var reply = await api.PostAsync<DioneContactRename>("dione/contact/rename", [parse.GetValue(oldName)!, parse.GetValue(newName)!], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
            }
            else
            {
                Console.Out.WriteLine($"Renamed {reply.Was} to {reply.Now}");
            }
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "The contact's name" };
        var force = new Option<bool>("--force", "-f") { Description = "Remove a contact you have a session with: the session is deleted and what they send on it is never read" };
        var command = new Command("rm", "Remove a contact and the conversation state with them") { name, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var options = parse.GetValue(force) ? new List<(string, string)> { ("force", "true") } : [];
            await api.PostAsync<StringList>("dione/contact/rm", [parse.GetValue(name)!], options, cancellationToken: cancellationToken);
            Console.Out.WriteLine($"Removed {parse.GetValue(name)}");
            return 0;
        });
        return command;
    }
}
