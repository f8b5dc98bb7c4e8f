package io.undercurrent.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code undercurrent} executable: registers the commands and nothing else. */
@Command(name = "undercurrent", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Live queries over your existing database.",
        subcommands = {RunCommand.class, RulesCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        // No command runs the server, so `java -jar undercurrent.jar` starts the embedded default.
        System.exit(new CommandLine(new Main()).execute(args.length == 0 ? new String[] {"run"} : args));
    }
}
