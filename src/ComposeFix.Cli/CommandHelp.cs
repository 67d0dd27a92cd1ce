using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ComposeFix.Cli;

/// <summary>
/// Longer help for each command (details, exit codes, examples), printed after System.CommandLine's
/// own --help. It is kept out of the command's description, which `composefix --help` lists one line each.
/// </summary>
public sealed class CommandHelp
{
    private readonly Dictionary<Command, string> details = [];

    /// <summary>Registers the text printed at the end of <paramref name="command"/>'s --help.</summary>
    public Command Add(Command command, string text)
    {
        details[command] = text;
        return command;
    }

    /// <summary>Makes --help on <paramref name="root"/> and every command below it end with the registered text.</summary>
    public void Attach(RootCommand root, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(root);
        var option = root.Options.OfType<HelpOption>().FirstOrDefault();
        if (option?.Action is SynchronousCommandLineAction standard)
        {
            option.Action = new WithDetails(standard, details, stdout);
        }
    }

    /// <summary>True when the command line asks for help, which is shown even when required arguments are missing.</summary>
    public static bool IsRequested(ParseResult parse) => parse?.Action is WithDetails or HelpAction;

    private sealed class WithDetails(SynchronousCommandLineAction standard, Dictionary<Command, string> details, TextWriter stdout) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int code = standard.Invoke(parseResult);
            if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                stdout.Write(text.TrimEnd() + Environment.NewLine + Environment.NewLine);
            }

            return code;
        }
    }
}
