package io.undercurrent.server.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code undercurrent} executable: registers the commands and nothing else. */
@Command(
        name = "undercurrent",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Live queries over your existing database.",
        subcommands = {RunCommand.class, RulesCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line as {@code main} does, returning the exit code instead of exiting. */
    static int execute(String... args) {
        return new CommandLine(new Main()).execute(withDefaultCommand(args));
    }

    /**
     * {@code run} is the default command: without a command, and when the arguments start with one of
     * {@code run}'s options ({@code --rules DIR}, {@code --role edge}, {@code --config FILE}), the server
     * runs, so {@code java -jar undercurrent.jar --rules rules} works as the docs show it. Options of the
     * executable itself ({@code --help}, {@code --version}) stay its own.
     */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0) {
            return new String[] {"run"};
        }
        boolean ownOption = Set.of("-h", "--help", "-V", "--version").contains(args[0]);
        if (args[0].startsWith("-") && !ownOption) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            return withRun;
        }
        return args;
    }
}
