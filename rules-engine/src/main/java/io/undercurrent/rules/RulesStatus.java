package io.undercurrent.rules;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the engine is running and how its last (re)load went; for health endpoints and the CLI.
 * An immutable snapshot.
 *
 * @param directory the rules folder
 * @param outcome how the last load or reload attempt ended
 * @param lastAttempt when that attempt ended
 * @param loadedAt when the running rules were swapped in
 * @param ruleCount how many rules are running
 * @param problems why the last attempt was rejected; empty when it was {@link Outcome#LOADED}
 * @param runtimeErrors for each running rule that has failed at run time (and so denied), how many
 *     times; rules without errors are absent
 */
public record RulesStatus(
        Path directory,
        Outcome outcome,
        Instant lastAttempt,
        Instant loadedAt,
        int ruleCount,
        List<RuleProblem> problems,
        Map<TableRef, Long> runtimeErrors) {

    public RulesStatus {
        problems = List.copyOf(problems);
        runtimeErrors = Map.copyOf(runtimeErrors);
    }

    /** How a load or reload attempt ended. */
    public enum Outcome {
        /** The files were valid and are running. */
        LOADED,
        /** The files had problems; the previous rules are still running. */
        REJECTED
    }
}
