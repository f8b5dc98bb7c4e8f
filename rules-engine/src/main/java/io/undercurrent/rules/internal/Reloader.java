package io.undercurrent.rules.internal;

import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupTables;
import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.RulesException;
import io.undercurrent.rules.RulesListener;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.RulesStatus;
import io.undercurrent.rules.RulesStatus.Outcome;
import io.undercurrent.rules.TableRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the live rules and swaps in valid changes. {@link #checkOnce()} is one step of the watcher:
 * compare the folder with what was last seen; once a change has held still for one step, load it;
 * swap it in atomically if it is valid, otherwise keep the running rules and report why.
 *
 * <p>{@link #current()} and {@link #status()} may be called from any thread; {@code checkOnce} runs
 * on one thread at a time (it is synchronized so a test may step it too).
 */
public final class Reloader {

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final Path directory;
    private final RulesLoader loader;
    private final LookupTables lookups;
    private final RulesListener listener;
    private final Clock clock;

    private volatile LoadedRules current = LoadedRules.empty();
    private volatile Attempt attempt;
    private Fingerprint seen;
    private Fingerprint pending;

    /** The last attempt: how it ended, when, and why it was refused. */
    private record Attempt(Outcome outcome, Instant at, Instant loadedAt, List<RuleProblem> problems) {}

    public Reloader(RulesOptions options, RulesListener listener) {
        this.directory = options.directory();
        this.loader = new RulesLoader(options.defaultSource(), options.sources());
        this.listener = listener == null ? RulesListener.NONE : listener;
        this.clock = options.clock();
        this.lookups = options.lookups();
    }

    /** Loads the folder for the first time; throws with every problem when it is not valid. */
    public void loadInitial() throws RulesException {
        seen = fingerprintOrNull();
        RulesLoader.Result result = loader.load(directory, null);
        if (!result.ok()) {
            throw new RulesException(result.problems());
        }
        lookups.declare(result.rules().lookups());
        current = result.rules().withLookups(lookups);
        Instant now = clock.instant();
        attempt = new Attempt(Outcome.LOADED, now, now, List.of());
        if (current.size() == 0 && current.channelRuleCount() == 0) {
            LOG.warn("No rules in {}: every table is denied to everyone until a rule file is added", directory);
        } else {
            LOG.info(
                    "Loaded the rules of {} tables and {} channel patterns from {}",
                    current.size(),
                    current.channelRuleCount(),
                    directory);
        }
    }

    public LoadedRules current() {
        return current;
    }

    public RulesStatus status() {
        Attempt last = attempt;
        LoadedRules rules = current;
        return new RulesStatus(
                directory,
                last.outcome(),
                last.at(),
                last.loadedAt(),
                rules.size(),
                last.problems(),
                rules.runtimeErrors());
    }

    /** One watcher step. Never throws: every failure ends up in the status and the listener. */
    public synchronized void checkOnce() {
        Fingerprint now = fingerprintOrReject();
        if (now == null) {
            return;
        }
        if (now.sameAs(seen)) {
            pending = null;
            return;
        }
        if (!now.sameAs(pending)) {
            pending = now;
            return;
        }
        pending = null;
        reloadOrReject(now);
    }

    /**
     * Loads the folder now if it differs from what was last loaded or refused, without waiting for it
     * to settle; for an explicit request (an admin endpoint, a signal). Never throws.
     */
    public synchronized void reloadNow() {
        Fingerprint now = fingerprintOrReject();
        if (now == null) {
            return;
        }
        pending = null;
        if (!now.sameAs(seen)) {
            reloadOrReject(now);
        }
    }

    /** The folder's fingerprint, or null after reporting that it cannot be read. */
    private Fingerprint fingerprintOrReject() {
        try {
            return Fingerprint.take(directory);
        } catch (IOException e) {
            reject(
                    List.of(new RuleProblem(
                            directory,
                            0,
                            0,
                            "cannot read the rules directory (" + e.getMessage()
                                    + "); the running rules stay in force")),
                    null);
            return null;
        }
    }

    /** Reloads; an unexpected failure is reported like a bad file, never thrown to the watcher. */
    private void reloadOrReject(Fingerprint now) {
        try {
            reload(now);
        } catch (RuntimeException e) {
            LOG.error("Reloading the rules from {} failed unexpectedly", directory, e);
            reject(
                    List.of(new RuleProblem(
                            directory,
                            0,
                            0,
                            "reloading failed unexpectedly (" + RuleErrors.describe(e)
                                    + "); the running rules stay in force")),
                    now);
        }
    }

    private void reload(Fingerprint now) {
        LoadedRules before = current;
        RulesLoader.Result result = loader.load(directory, before);
        if (!result.ok()) {
            reject(result.problems(), now);
            return;
        }
        seen = now;
        Set<TableRef> changed = result.rules().changedSince(before);
        boolean recovered = attempt.outcome() == Outcome.REJECTED;
        // Rules still judging with the old snapshot keep their indexes until the swap; then only the new.
        Set<LookupIndex> both = new java.util.HashSet<>(before.lookups());
        both.addAll(result.rules().lookups());
        lookups.declare(both);
        current = result.rules().withLookups(lookups);
        lookups.declare(result.rules().lookups());
        Instant at = clock.instant();
        attempt = new Attempt(Outcome.LOADED, at, at, List.of());
        if (changed.isEmpty() && !recovered) {
            LOG.debug("Rule files in {} changed, but no rule did", directory);
            return;
        }
        LOG.info(
                "Reloaded the rules from {} ({} tables); changed: {}",
                directory,
                current.size(),
                changed.isEmpty() ? "none" : changed);
        try {
            listener.rulesReloaded(current, changed);
        } catch (RuntimeException e) {
            LOG.error("The rules listener failed on a reload; the new rules are live regardless", e);
        }
    }

    private void reject(List<RuleProblem> problems, Fingerprint now) {
        boolean repeated =
                attempt.outcome() == Outcome.REJECTED && attempt.problems().equals(problems);
        seen = now;
        attempt = new Attempt(Outcome.REJECTED, clock.instant(), attempt.loadedAt(), problems);
        if (repeated) {
            return;
        }
        StringBuilder text = new StringBuilder();
        problems.forEach(
                problem -> text.append(System.lineSeparator()).append("  ").append(problem));
        LOG.warn("Rules in {} not reloaded; the running rules stay in force. Fix:{}", directory, text);
        try {
            listener.reloadRejected(problems);
        } catch (RuntimeException e) {
            LOG.error("The rules listener failed on a rejected reload", e);
        }
    }

    private Fingerprint fingerprintOrNull() {
        try {
            return Fingerprint.take(directory);
        } catch (IOException e) {
            return null;
        }
    }
}
