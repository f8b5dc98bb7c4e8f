package io.undercurrent.server.cli;

import io.undercurrent.rules.RulesTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code undercurrent rules validate|test|explain [DIR]}: check rule files without starting a server. */
@Command(
        name = "rules",
        description = "Validate rule files, run their *.test.yaml cases, or explain how they judge one row.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class, RulesCommand.Explain.class})
final class RulesCommand implements Runnable {

    @Override
    public void run() {
        System.err.println(
                "name a subcommand: rules validate [DIR], rules test [DIR] or rules explain [DIR] --table T --row R");
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

    @Command(
            name = "explain",
            description = "Show how the rules judge one row for one subscriber, part by part, with what each"
                    + " lookup found; exit 0 when allowed, 1 when denied, 2 on bad arguments or rules that do"
                    + " not load.")
    static final class Explain extends DirCommand {
        @Option(
                names = "--table",
                required = true,
                paramLabel = "TABLE",
                description = "schema.table (default source) or source/schema.table, e.g. public.messages.")
        String table;

        @Option(
                names = "--auth",
                paramLabel = "CLAIMS",
                description =
                        "The subscriber's claims as YAML or JSON, e.g. '{sub: bob}'; omit (or null) for anonymous.")
        String auth;

        @Option(
                names = "--row",
                required = true,
                paramLabel = "ROW",
                description = "The row as YAML or JSON, e.g. '{id: 10, group_id: 1, body: hi}'.")
        String row;

        @Option(
                names = "--lookups",
                paramLabel = "ROWS",
                description = "Rows of the rule's lookups by lookup name, e.g."
                        + " '{member: [{group_id: 1, user_id: bob}]}'; omitted lookups find no row.")
        String lookups;

        @Override
        public Integer call() {
            return RulesTool.explain(dir, defaultSource, table, auth, row, lookups, System.out);
        }
    }
}
