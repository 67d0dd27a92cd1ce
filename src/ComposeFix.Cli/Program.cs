using System.CommandLine;
using System.Text;
using ComposeFix.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
return Commands.Run(args, Console.Out, Console.Error);
