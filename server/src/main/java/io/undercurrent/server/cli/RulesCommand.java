package io.undercurrent.server.cli;

import io.undercurrent.rules.RulesTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code undercurrent rules validate|test [DIR]}: check rule files without starting a server. */
@Command(
        name = "rules",
        description = "Validate rule files or run their *.test.yaml cases.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class})
final class RulesCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("name a subcommand: rules validate [DIR] or rules test [DIR]");
    }

    abstract static class DirCommand implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Rules folder (default ./rules).")
        Path dir = Path.of("rules");

        @Option(
                names = "--default-source",
                paramLabel = "NAME",
                description = "Source of rules that name none (default app).")
        String defaultSource = "app";
    }

    @Command(
            name = "validate",
            description = "Report every problem in every rule file; exit 0 when there is none, 1 otherwise.")
    static final class Validate extends DirCommand {
        @Override
        public Integer call() {
            return RulesTool.validate(dir, defaultSource, System.out);
        }
    }

    @Command(
            name = "test",
            description =
                    "Run every *.test.yaml case; exit 0 when all pass, 1 when any fails, 2 when the rules do not load.")
    static final class Test extends DirCommand {
        @Override
        public Integer call() {
            return RulesTool.test(dir, defaultSource, System.out);
        }
    }
}
