using Dione.Cli;

return await DioneCommandLine.RunAsync(args);
