using System.CommandLine;
using System.Text.Json;

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
            var reply = await api.PostAsync("dione/contact/add", [parse.GetValue(name)!, parse.GetValue(address)!], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
            }
            else
            {
                Console.Out.WriteLine($"Added {DaemonApi.Text(reply, "Name")}");
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
            var reply = await api.PostAsync("dione/contact/list", [], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
                return 0;
            }
            if (reply.TryGetProperty("Contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array)
            {
                foreach (var contact in contacts.EnumerateArray())
                {
                    Console.Out.WriteLine($"{DaemonApi.Text(contact, "Name")}\t{DaemonApi.Text(contact, "Address")}");
                }
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
            await api.PostAsync("dione/contact/rm", [parse.GetValue(name)!], cancellationToken: cancellationToken);
            Console.Out.WriteLine($"Removed {parse.GetValue(name)}");
            return 0;
        });
        return command;
    }
}
