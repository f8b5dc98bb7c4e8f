package io.undercurrent.rules;

import java.util.List;
import java.util.Objects;

/**
 * One way rules look rows up: a table and the columns it is looked up by, as a rule file declares
 * it under {@code lookups:} ({@code member: {table: public.memberships, key: [group_id, user_id]}}).
 * Several rules declaring the same table and key share one index.
 *
 * <p>Immutable. Its hash is computed once, since rules hand the same instance to
 * {@link LookupTables#rows} on every evaluation.
 */
public final class LookupIndex {

    private final TableRef table;
    private final List<String> key;
    private final int hash;

    /**
     * @param table the looked-up table; never null
     * @param key the columns, in the order expressions give their values; not empty, no repeats
     */
    public LookupIndex(TableRef table, List<String> key) {
        this.table = Objects.requireNonNull(table, "table");
        this.key = List.copyOf(key);
        if (this.key.isEmpty()) {
            throw new IllegalArgumentException("a lookup needs at least one key column");
        }
        if (this.key.stream().distinct().count() != this.key.size()) {
            throw new IllegalArgumentException("key columns repeat: " + key);
        }
        this.hash = 31 * table.hashCode() + this.key.hashCode();
    }

    public TableRef table() {
        return table;
    }

    /** The key columns, in order; immutable. */
    public List<String> key() {
        return key;
    }

    @Override
    public boolean equals(Object other) {
        return this == other
                || other instanceof LookupIndex that
                        && hash == that.hash
                        && table.equals(that.table)
                        && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@code app/public.memberships [group_id, user_id]}. */
    @Override
    public String toString() {
        return table + " " + key;
    }
}
