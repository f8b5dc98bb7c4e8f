package io.undercurrent.rules;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link RulesEngine#start} loads and watches the rules.
 *
 * @param directory the rules folder; every {@code *.yaml} / {@code *.yml} in it (not its sub-folders,
 *     not {@code *.test.yaml}, not dot-files) is a rule file. Never null.
 * @param defaultSource the source a rule without {@code source:} applies to (the server passes its
 *     single configured source, e.g. {@code "app"}); null makes {@code source:} required in every rule
 * @param hotReload whether to watch {@code directory} and swap in valid changes
 * @param sources the configured source names; when not empty, a rule naming another source is a
 *     problem (catches typos that would otherwise deny silently). Empty: any name is accepted.
 * @param pollInterval how often the watcher checks the folder (file-system events wake it sooner);
 *     a change is swapped in after it has been stable for one interval. Default 200 ms; at least 10 ms.
 * @param clock the time shown in {@link RulesStatus}; default UTC system clock
 * @param lookups where {@code exists(...)} and {@code lookup(...)} find rows; told which indexes the
 *     rules use before they go live ({@link LookupTables#declare}). Default {@link LookupTables#NONE}:
 *     rules that look anything up deny.
 */
public record RulesOptions(
        Path directory,
        String defaultSource,
        boolean hotReload,
        Set<String> sources,
        Duration pollInterval,
        Clock clock,
        LookupTables lookups) {

    /** The default {@link #pollInterval()}: a change is live within about half a second. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

    public RulesOptions {
        Objects.requireNonNull(directory, "directory");
        if (defaultSource != null && defaultSource.isBlank()) {
            throw new IllegalArgumentException("defaultSource must be null or a source name, not blank");
        }
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        if (pollInterval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("pollInterval must be at least 10 ms, was " + pollInterval);
        }
        clock = clock == null ? Clock.systemUTC() : clock;
        lookups = lookups == null ? LookupTables.NONE : lookups;
    }

    /** Options without lookup tables. */
    public RulesOptions(
            Path directory,
            String defaultSource,
            boolean hotReload,
            Set<String> sources,
            Duration pollInterval,
            Clock clock) {
        this(directory, defaultSource, hotReload, sources, pollInterval, clock, null);
    }

    /** Options with any source name accepted, the default poll interval and the system clock. */
    public RulesOptions(Path directory, String defaultSource, boolean hotReload) {
        this(directory, defaultSource, hotReload, Set.of(), null, null, null);
    }

    /** A copy that checks rule sources against {@code sources}. */
    public RulesOptions withSources(Set<String> sources) {
        return new RulesOptions(directory, defaultSource, hotReload, sources, pollInterval, clock, lookups);
    }

    /** A copy with another poll interval. */
    public RulesOptions withPollInterval(Duration pollInterval) {
        return new RulesOptions(directory, defaultSource, hotReload, sources, pollInterval, clock, lookups);
    }

    /** A copy with another clock. */
    public RulesOptions withClock(Clock clock) {
        return new RulesOptions(directory, defaultSource, hotReload, sources, pollInterval, clock, lookups);
    }

    /** A copy whose rules look rows up in {@code lookups} (typically a {@link LookupStore}). */
    public RulesOptions withLookups(LookupTables lookups) {
        return new RulesOptions(directory, defaultSource, hotReload, sources, pollInterval, clock, lookups);
    }
}
