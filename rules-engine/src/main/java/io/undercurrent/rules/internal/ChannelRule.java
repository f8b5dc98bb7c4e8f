package io.undercurrent.rules.internal;

import io.undercurrent.rules.ChannelAccess;
import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.LookupTables;
import io.undercurrent.rules.LookupUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel rule, compiled: who may join the channels it covers, who may publish, and which claims
 * others see. Its conditions read the channel as a row of two columns ({@link ChannelExpressions}).
 * Thread-safe.
 */
final class ChannelRule {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRule.class);

    /** What judging one condition gave: true, false, or undecided (a looked-up table could not answer). */
    private static final int YES = 1;

    private static final int NO = 0;
    private static final int UNDECIDED = -1;

    private final ChannelSpec spec;
    private final String location;
    private final Condition join;
    private final Condition publish;
    private final Object[] constants;
    private final String content;
    private final List<LookupBinding> joinBindings;
    private final LongAdder errors = new LongAdder();
    private final AtomicBoolean errorLogged = new AtomicBoolean();

    /** @param publish null when the rule lets nobody publish */
    ChannelRule(ChannelSpec spec, String location, Condition join, Condition publish, Object[] constants) {
        this.spec = spec;
        this.location = location;
        this.join = join;
        this.publish = publish;
        this.constants = constants;
        this.content = spec.content();
        this.joinBindings = LookupBindings.of(List.of(join.tree()), spec.lookups());
    }

    /** The lookups of the {@code join} condition, with the key columns it gives the client's claims. */
    List<LookupBinding> joinBindings() {
        return joinBindings;
    }

    String pattern() {
        return spec.pattern();
    }

    /** Whether the rule covers every channel that starts with a prefix ({@code group:*}). */
    boolean isPrefix() {
        return spec.pattern().endsWith("*");
    }

    String prefix() {
        return isPrefix() ? spec.pattern().substring(0, spec.pattern().length() - 1) : spec.pattern();
    }

    String location() {
        return location;
    }

    String content() {
        return content;
    }

    Map<String, RuleSpec.Lookup> lookups() {
        return spec.lookups();
    }

    long errorCount() {
        return errors.sum();
    }

    /** Never throws: a condition that fails denies what it guards, and is counted. */
    ChannelAccess evaluate(Frames frames, String channel, Map<String, ?> auth, long now, LookupTables lookupTables) {
        Map<String, Object> row =
                Map.of(ChannelExpressions.NAME, channel, ChannelExpressions.ID, channel.substring(prefix().length()));
        int mayJoin = test(frames, join, auth, row, now, lookupTables);
        boolean mayPublish =
                mayJoin == YES && publish != null && test(frames, publish, auth, row, now, lookupTables) == YES;
        return new ChannelAccess(mayJoin == YES, mayPublish, spec.presence(), location, mayJoin == UNDECIDED);
    }

    private int test(
            Frames frames,
            Condition condition,
            Map<String, ?> auth,
            Map<String, ?> row,
            long now,
            LookupTables lookups) {
        Frame frame = frames.acquire().bind(constants, auth, row, now, lookups);
        try {
            return condition.test(frame) ? YES : NO;
        } catch (Throwable failure) {
            CompiledRule.rethrowIfFatal(failure);
            errors.increment();
            if (errorLogged.compareAndSet(false, true)) {
                LOG.warn(
                        "Channel rule {} ({}) failed at run time, so it denied: {}. Later failures are only counted.",
                        location,
                        spec.pattern(),
                        RuleErrors.describe(failure));
            }
            return unavailable(failure) ? UNDECIDED : NO;
        } finally {
            frame.release();
        }
    }

    private static boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LookupUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
