using System.CommandLine;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary><c>dione contact add NAME ADDRESS</c>, <c>list</c>, <c>rm NAME</c>: the people you message, through the running daemon.</summary>
public static class ContactCommand
{
    public static Command Create()
    {
        var command = new Command("contact", "Manage the people you message");
        command.Add(Add());
        command.Add(List());
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
            using var api = DaemonApi.Open(parse);
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
            using var api = DaemonApi.Open(parse);
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

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "The contact's name" };
        var command = new Command("rm", "Remove a contact and the conversation state with them") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = DaemonApi.Open(parse);
            await api.PostAsync<StringList>("dione/contact/rm", [parse.GetValue(name)!], cancellationToken: cancellationToken);
            Console.Out.WriteLine($"Removed {parse.GetValue(name)}");
            return 0;
        });
        return command;
    }
}
