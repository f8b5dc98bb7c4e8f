package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The in-memory lookup store: indexes, canonical keys, loading states, declared indexes, and concurrent reads. */
class LookupStoreTest {

    private static final TableRef MEMBERS = new TableRef("app", "public.memberships");
    private static final LookupIndex BY_PAIR = new LookupIndex(MEMBERS, List.of("group_id", "user_id"));
    private static final LookupIndex BY_USER = new LookupIndex(MEMBERS, List.of("user_id"));

    private final LookupStore store = new LookupStore(LookupLimits.DEFAULT);

    private void member(long id, Object group, String user) {
        store.upsert(MEMBERS, Map.of("id", id), Map.of("id", id, "group_id", group, "user_id", user));
    }

    @Test
    void aTableIsUnavailableUntilItsSnapshotIsLoaded() {
        store.declare(Set.of(BY_PAIR));
        member(1, 1L, "bob");
        assertThatThrownBy(() -> store.rows(BY_PAIR, new Object[] {1L, "bob"}))
                .isInstanceOf(LookupUnavailableException.class)
                .hasMessage("app/public.memberships is still being loaded for lookups");
        store.ready(MEMBERS);
        assertThat(store.rows(BY_PAIR, new Object[] {1L, "bob"})).hasSize(1);
        assertThatThrownBy(() -> store.rows(BY_USER, new Object[] {"bob"}))
                .isInstanceOf(LookupUnavailableException.class)
                .hasMessageContaining("no rule in force looks up");
    }

    @Test
    void keysCompareAsRulesCompareValues() {
        store.declare(Set.of(BY_PAIR));
        member(1, new BigDecimal("2.50"), "bob");
        member(2, 7L, "bob");
        store.ready(MEMBERS);
        assertThat(store.rows(BY_PAIR, new Object[] {new BigDecimal("2.5"), "bob"}))
                .hasSize(1);
        assertThat(store.rows(BY_PAIR, new Object[] {7, "bob"})).hasSize(1);
        assertThat(store.rows(BY_PAIR, new Object[] {new BigDecimal("7.000"), "bob"}))
                .hasSize(1);
        assertThat(store.rows(BY_PAIR, new Object[] {"7", "bob"})).isEmpty();
        assertThat(store.rows(BY_PAIR, new Object[] {null, "bob"})).isEmpty();
        assertThat(store.rows(BY_PAIR, new Object[] {List.of(7L), "bob"})).isEmpty();
    }

    @Test
    void aNewlyDeclaredIndexIsBuiltFromTheRowsHeldAndUnusedTablesAreDropped() {
        store.declare(Set.of(BY_PAIR));
        member(1, 1L, "bob");
        member(2, 2L, "bob");
        store.ready(MEMBERS);

        store.declare(Set.of(BY_PAIR, BY_USER));
        assertThat(store.rows(BY_USER, new Object[] {"bob"})).hasSize(2);

        long withBoth = store.estimatedBytes();
        store.declare(Set.of(BY_USER));
        assertThat(store.estimatedBytes()).isLessThanOrEqualTo(withBoth);
        assertThat(store.rows(BY_USER, new Object[] {"bob"})).hasSize(2);

        store.declare(Set.of());
        assertThat(store.tables()).isEmpty();
        assertThat(store.estimatedBytes()).isZero();
        assertThat(store.upsert(MEMBERS, Map.of("id", 3L), Map.of("id", 3L))).isFalse();
    }

    @Test
    void reloadForgetsTheRowsAndWaitsForTheNextSnapshot() {
        store.declare(Set.of(BY_PAIR));
        member(1, 1L, "bob");
        store.ready(MEMBERS);
        store.reload(MEMBERS);
        assertThat(store.isReady(MEMBERS)).isFalse();
        assertThat(store.rowCount(MEMBERS)).isZero();
        assertThat(store.estimatedBytes()).isZero();
    }

    @Test
    void readersSeeEachWriteWholeWhileAWriterMovesARowBetweenKeys() throws Exception {
        store.declare(Set.of(BY_PAIR));
        member(1, 1L, "bob");
        store.ready(MEMBERS);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                for (Map<String, ?> row : store.rows(BY_PAIR, new Object[] {1L, "bob"})) {
                    if (!Long.valueOf(1L).equals(row.get("group_id"))) {
                        torn.set("found under group 1: " + row);
                    }
                }
            }
        });
        reader.start();
        for (int i = 0; i < 20_000; i++) {
            member(1, (long) (i % 2 + 1), "bob");
        }
        done.set(true);
        reader.join();
        assertThat(torn.get()).isNull();
        assertThat(store.rowCount(MEMBERS)).isEqualTo(1);
    }
}
