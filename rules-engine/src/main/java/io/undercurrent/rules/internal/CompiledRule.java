package io.undercurrent.rules.internal;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.LookupTables;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.TableRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table's rule, compiled: read, field masks and their shared constant pool. Thread-safe.
 *
 * <p>Evaluation allocates nothing: the frame is the rule set's for this thread ({@link Frames}) and
 * the decisions are shared (one per combination of hidden masks, precomputed for up to {@value
 * #SHARED_MASKS} masks).
 */
final class CompiledRule {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledRule.class);
    private static final int SHARED_MASKS = 6;

    private final TableRef table;
    private final String location;
    private final Condition read;
    private final List<RuleSpec.Mask> maskSpecs;
    private final Condition[] masks;
    private final String[] maskColumns;
    private final Map<String, Integer> maskIndex = new HashMap<>();
    private final Object[] constants;
    private final Decision[] decisions;
    private final String content;
    private final String version;
    private final LongAdder errors = new LongAdder();
    private final AtomicBoolean errorLogged = new AtomicBoolean();
    private volatile ExplainPlan explainPlan;
    private volatile ReadPlan readPlan;
    /** Per mask: it reads neither row nor now, so whether it holds depends on the subscriber alone. */
    private final boolean[] maskFixed;

    private final Map<String, RuleSpec.Lookup> lookups;
    private final List<io.undercurrent.rules.LookupBinding> bindings;
    /** The claims read and the masks read, or null when they may read any. */
    private final java.util.Set<String> claimsRead;

    CompiledRule(
            TableRef table,
            String location,
            Condition read,
            List<RuleSpec.Mask> maskSpecs,
            List<Condition> masks,
            Object[] constants,
            Map<String, RuleSpec.Lookup> lookups) {
        this.table = table;
        this.lookups = Map.copyOf(lookups);
        this.location = location;
        this.read = read;
        this.maskSpecs = List.copyOf(maskSpecs);
        this.masks = masks.toArray(new Condition[0]);
        this.maskColumns = new String[this.masks.length];
        StringBuilder content = new StringBuilder(table.toString()).append('\n').append(read.text());
        for (int i = 0; i < this.masks.length; i++) {
            maskColumns[i] = maskSpecs.get(i).column();
            maskIndex.put(maskColumns[i], i);
            content.append('\n').append(maskColumns[i]).append(": ").append(this.masks[i].text());
        }
        for (RuleSpec.Lookup lookup : lookups.values()) {
            content.append("\nlookup ").append(lookup.describe());
        }
        this.content = content.toString();
        this.version = sha256(this.content);
        this.constants = constants;
        List<Expr> trees = new java.util.ArrayList<>();
        trees.add(read.tree());
        for (Condition mask : this.masks) {
            trees.add(mask.tree());
        }
        this.bindings = LookupBindings.of(trees, this.lookups);
        this.claimsRead = ClaimsRead.of(trees);
        this.maskFixed = new boolean[this.masks.length];
        for (int i = 0; i < this.masks.length; i++) {
            Expr tree = this.masks[i].tree();
            // A lookup's answer changes with the looked-up table, so a mask that looks up is never fixed.
            maskFixed[i] = !Inputs.reads(tree, "row") && !Inputs.reads(tree, "now") && !Inputs.looksUp(tree);
        }
        this.decisions = new Decision[this.masks.length <= SHARED_MASKS ? 1 << this.masks.length : 0];
        for (int hidden = 0; hidden < decisions.length; hidden++) {
            decisions[hidden] = new Decision(this, hidden);
        }
    }

    /** Never throws; a failing rule denies, counts the failure and logs the first one. */
    Access evaluate(Frames frames, Map<String, ?> auth, Map<String, ?> row, long now, LookupTables lookupTables) {
        if (row == null) {
            return Decision.DENIED;
        }
        Frame frame = frames.acquire().bind(constants, auth, row, now, lookupTables);
        try {
            if (!read.test(frame)) {
                return Decision.DENIED;
            }
            long hidden = 0;
            for (int i = 0; i < masks.length; i++) {
                if (!masks[i].test(frame)) {
                    hidden |= 1L << i;
                }
            }
            return hidden < decisions.length ? decisions[(int) hidden] : new Decision(this, hidden);
        } catch (Throwable failure) {
            rethrowIfFatal(failure);
            recordError(failure);
            return Decision.DENIED;
        } finally {
            frame.release();
        }
    }

    /**
     * Whether {@code column} is sent with every readable row: unmasked, or masked by a condition that
     * reads neither row nor now and is definitely true for {@code auth}. Never throws.
     */
    boolean certainlyVisible(Frames frames, Map<String, ?> auth, String column) {
        int index = maskIndex(column);
        if (index < 0) {
            return true;
        }
        if (!maskFixed[index]) {
            return false;
        }
        Frame frame = frames.acquire().bind(constants, auth, Map.of(), 0);
        try {
            return masks[index].test(frame);
        } catch (Throwable failure) {
            rethrowIfFatal(failure);
            return false;
        } finally {
            frame.release();
        }
    }

    /** See {@link io.undercurrent.rules.RuleSet#readCondition}; {@code nowKnown} false leaves parts reading now opaque. */
    RowCondition readCondition(Frames frames, Map<String, ?> auth, long now, boolean nowKnown) {
        ReadPlan plan = readPlan;
        if (plan == null) {
            plan = readPlan = ReadPlan.of(read);
        }
        return plan.evaluate(frames, auth, now, nowKnown);
    }

    private void recordError(Throwable failure) {
        errors.increment();
        if (errorLogged.compareAndSet(false, true)) {
            LOG.warn(
                    "Rule {} for {} failed at run time, so it denied: {}. Later failures of this rule are only"
                            + " counted (see the rules status); check the rule with 'undercurrent rules explain'.",
                    location,
                    table,
                    RuleErrors.describe(failure));
            LOG.debug("First run-time failure of rule {}", location, failure);
        }
    }

    static void rethrowIfFatal(Throwable failure) {
        if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
            throw (VirtualMachineError) failure;
        }
    }

    TableRef table() {
        return table;
    }

    /** {@code file:line:col} of the rule's table name. */
    String location() {
        return location;
    }

    /** The rule's lookups by name (empty without any). */
    /** Every lookup call of read and masks, with the key columns given the subscriber's claims. */
    List<io.undercurrent.rules.LookupBinding> bindings() {
        return bindings;
    }

    /** The claims the read condition and the masks read, or null when they may read any ({@link ClaimsRead}). */
    java.util.Set<String> claimsRead() {
        return claimsRead;
    }

    Map<String, RuleSpec.Lookup> lookups() {
        return lookups;
    }

    Condition read() {
        return read;
    }

    List<RuleSpec.Mask> maskSpecs() {
        return maskSpecs;
    }

    Condition mask(int index) {
        return masks[index];
    }

    int maskIndex(String column) {
        Integer index = maskIndex.get(column);
        return index == null ? -1 : index;
    }

    String maskColumn(int index) {
        return maskColumns[index];
    }

    long errorCount() {
        return errors.sum();
    }

    /** The rule as written (table, read, masks); equal content means an unchanged rule. */
    String content() {
        return content;
    }

    /** A short hash of {@link #content()}, stable across processes. */
    String version() {
        return version;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    ExplainPlan explainPlan() {
        ExplainPlan plan = explainPlan;
        if (plan == null) {
            plan = explainPlan = ExplainPlan.of(this);
        }
        return plan;
    }
}
