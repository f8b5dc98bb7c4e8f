package io.undercurrent.rules;

import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of every loaded rule, compiled once. Thread-safe: any number of threads may
 * evaluate it at once, without locking. A reload never changes a snapshot; it replaces it (see
 * {@link RulesEngine#current()}).
 *
 * <h2>What a rule sees</h2>
 * <ul>
 *   <li>{@code row}: the row image, as canonical values (integers {@code Long}, numeric {@code BigDecimal},
 *       text/uuid/timestamps {@code String}, json {@code Map}/{@code List}). A missing column is null.
 *   <li>{@code auth}: the verified JWT claims; {@code null} for an anonymous subscriber. Every claim of
 *       an anonymous subscriber, and every claim a token lacks, is null.
 *   <li>{@code now}: {@code nowMillis}, epoch milliseconds.
 * </ul>
 * A comparison involving null, or two values of different kinds (text against number), is
 * <em>unknown</em>, as in SQL. Unknown never grants: {@code !unknown} is unknown too. Access is
 * allowed only when {@code read} is definitely true; a field is sent only when its mask is definitely
 * true. See the rule author's guide (rules-engine/README.md).
 */
public interface RuleSet {

    /**
     * Judges {@code row} for a subscriber. Allocation-free in the common case.
     *
     * <p>Never throws: a table without a rule is denied (default deny); a rule that fails at run time
     * (e.g. divides by zero) denies, is counted in {@link RulesStatus#runtimeErrors()} and is logged
     * once per rule.
     *
     * @param table the row's table; never null
     * @param auth the subscriber's verified claims, or null when anonymous
     * @param row the full row image being judged; a null row is denied
     * @param nowMillis the current time in epoch milliseconds, seen by rules as {@code now}
     */
    Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis);

    /** Whether a rule covers {@code table}; tables without one are readable by no one. */
    boolean hasRule(TableRef table);

    /** Every table that has a rule. */
    Set<TableRef> tables();

    /**
     * Says how {@link #access} decides for these inputs: which rule, the outcome of each part of its
     * {@code read} expression with the values it looked at, and each field mask. Much slower than
     * {@code access} (it compiles on first use); meant for the CLI and for debugging a denial.
     * Never throws for the same reasons {@code access} never throws.
     */
    Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis);

    /**
     * A fingerprint of the rule for {@code table} as written (read expression and masks): equal in
     * every process that loaded the same rule, different after an edit, {@code "none"} when the table
     * has no rule. Routers and edges compare it to agree on which rules judged a delta.
     */
    String version(TableRef table);

    /**
     * Whether {@code column} is sent with every row of {@code table} that this subscriber may read,
     * whatever the row and the time: the table has a rule, and the rule either does not mask
     * {@code column}, or masks it with a condition that reads neither {@code row} nor {@code now} and
     * is definitely true for {@code auth}. A live query may filter and order only by such columns:
     * filtering by a field the subscriber cannot see would reveal its value through which rows arrive.
     * Never throws; a mask that fails at run time is not true.
     *
     * @param auth the subscriber's verified claims, or null when anonymous
     */
    boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column);

    /**
     * False when this subscriber can read no row of {@code table}, whatever the row and the time: the
     * table has no rule, or its {@code read} rule cannot be definitely true for {@code auth} (for
     * example {@code auth != null && ...} for an anonymous subscriber, or {@code auth.role == 'admin'}
     * for someone else). True says nothing about any particular row. Such a subscriber is told no
     * more about the table than that it may not read it. Never throws.
     *
     * @param auth the subscriber's verified claims, or null when anonymous
     */
    boolean mayReadAny(TableRef table, Map<String, ?> auth);

    /**
     * The table's {@code read} rule for this subscriber at {@code nowMillis}, with everything but the
     * row decided: a condition on the row's own columns that every row {@link #access} allows for
     * {@code auth} at {@code nowMillis} satisfies (its {@link RowCondition.Opaque} parts taken as
     * true). {@link RowCondition#FALSE} when the table has no rule. Parts that read {@code auth} or
     * {@code now} only are evaluated, comparisons of a column with such a value become
     * {@link RowCondition.Compare}, null tests {@link RowCondition.IsNull}, and what cannot be written
     * so stays {@link RowCondition.Opaque}. A part that fails at run time stays opaque.
     *
     * <p>For narrowing a database read before the rows are judged; never a substitute for
     * {@link #access}. Costs a few evaluations (the first call per rule also compiles). Never throws.
     *
     * @param auth the subscriber's verified claims, or null when anonymous
     * @param nowMillis the time the rows will be judged at, seen by rules as {@code now}
     */
    RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis);

    /**
     * The claims the rule of {@code table} reads, by top-level name, in its {@code read} condition and
     * its field masks (lookup keys included): two subscribers who are both anonymous, or both not and
     * whose claims agree on these names (present or not, and equal values), get the same answers from
     * {@link #access}, {@link #certainlyVisible}, {@link #mayReadAny}, {@link #readCondition} and the
     * claims {@link #lookupBindings} name, whatever their other claims. Empty when the table has no
     * rule or its rule reads no claim. Null when the rule may read any claim (it reads {@code auth} as a
     * whole or by a computed key), and the default: then only equal claims are judged alike.
     */
    default Set<String> claimsRead(TableRef table) {
        return null;
    }

    /**
     * The lookups the rules declare ({@code lookups:} in rule files): the tables and keys a
     * {@link LookupStore} must hold for them. Empty when no rule looks anything up.
     */
    default Set<LookupIndex> lookups() {
        return Set.of();
    }

    /**
     * The tables the rule of {@code table} looks up: a change to one of them may change what that
     * rule allows. Empty when the table has no rule or its rule looks nothing up.
     */
    default Set<TableRef> lookedUpBy(TableRef table) {
        return Set.of();
    }

    /**
     * Every {@code exists(...)} / {@code lookup(...)} of the rule of {@code table} (read and masks), with
     * the key columns it gives the subscriber's claims: whom a change to a looked-up row may concern.
     * Empty when the rule looks nothing up.
     */
    default java.util.List<LookupBinding> lookupBindings(TableRef table) {
        return java.util.List.of();
    }

    /**
     * The same rules, consulting {@code lookupTables} for {@code exists(...)} and {@code lookup(...)}:
     * for a view of the lookup tables other than the engine's (a rule test's rows, or a view that judges
     * one transaction consistently). Cheap: the compiled rules are shared.
     *
     * @throws UnsupportedOperationException when this rule set cannot consult lookups
     */
    default RuleSet withLookups(LookupTables lookupTables) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot consult lookup tables");
    }

    /**
     * What the channel rule that covers {@code channel} lets this client do: join, publish, and which
     * of its claims others present see. The most specific rule decides: a rule naming the channel
     * exactly, else the one with the longest matching {@code prefix*}. {@link ChannelAccess#DENIED}
     * when no rule covers it (default deny). A condition that fails at run time (a lookup not loaded
     * yet, a division by zero) is not true. Never throws.
     *
     * @param channel   the channel's name, e.g. {@code group:42}
     * @param auth      the client's verified claims, or null when anonymous
     * @param nowMillis the current time, seen by rules as {@code now}
     */
    default ChannelAccess channel(String channel, Map<String, ?> auth, long nowMillis) {
        return ChannelAccess.DENIED;
    }

    /**
     * Every {@code exists(...)} / {@code lookup(...)} of the {@code join} condition of the channel rule
     * that covers {@code channel}, with the key columns it gives the client's claims: whom a change to a
     * looked-up row may take out of the channel. Empty when no rule covers it or its {@code join} looks
     * nothing up.
     */
    default java.util.List<LookupBinding> channelJoinBindings(String channel) {
        return java.util.List.of();
    }

    /**
     * The {@link #channelJoinBindings(String)} of every channel rule: the key columns whose changed
     * values whoever keeps the lookups must track, so that it can tell whom a change concerns.
     */
    default java.util.List<LookupBinding> channelJoinBindings() {
        return java.util.List.of();
    }
}
