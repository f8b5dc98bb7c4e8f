package io.undercurrent.rules;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows rules consult through {@code exists(name, ...)} and {@code lookup(name, ...)}: an
 * in-memory view of other tables, kept current by their change streams, never a database read per
 * change. {@link LookupStore} is the implementation; routers and edges feed it.
 *
 * <p>Implementations are thread-safe: rules call {@link #rows} from any number of threads at once,
 * while the feeder writes.
 */
public interface LookupTables {

    /** No store: every lookup is unavailable, so a rule that looks anything up denies. */
    LookupTables NONE = new LookupTables() {
        @Override
        public List<Map<String, ?>> rows(LookupIndex index, Object[] key) {
            throw new LookupUnavailableException(
                    "no lookup store is configured, so " + index.table() + " cannot be looked up");
        }

        @Override
        public String toString() {
            return "no lookup store";
        }
    };

    /**
     * The rows of {@code index.table()} whose key columns hold {@code key}, compared as rules compare
     * values ({@code 2} equals {@code 2.0}; text never equals a number). Empty when none does, or when a
     * key value is null, a list or an object (unknown never matches).
     *
     * <p>Called on the evaluation path: must not allocate in the common case, must not block on
     * writers, and must not keep {@code key} (the caller reuses the array). The rows are immutable.
     *
     * @param index as declared by a rule (the same instance on every call)
     * @param key one value per key column, in the index's order; canonical values
     * @throws LookupUnavailableException when the table cannot answer now (not loaded yet, over its
     *     memory bound): the rule then denies
     */
    List<Map<String, ?>> rows(LookupIndex index, Object[] key);

    /**
     * Told, before new rules go live, which indexes they use, so a store can build new ones from the
     * rows it holds and drop unused ones. The default does nothing.
     */
    default void declare(Set<LookupIndex> indexes) {}
}
