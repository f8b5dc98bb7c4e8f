package io.undercurrent.change;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;
import java.util.Objects;

/**
 * The end of one source transaction that changed captured tables, published to
 * {@link Topics#transactions(String)} after every change of the transaction has been published to the
 * change topic. A reader holding changes whose {@link ChangeEvent#transaction()} has this {@link #id()}
 * has the whole transaction once it holds {@link #eventCount()} of them (or, per table, the counts in
 * {@link #eventsPerTable()}). The marker and the changes travel on different topics and partitions, so
 * either may be read first.
 *
 * <p>Like changes, markers are delivered at least once. Immutable.
 *
 * @param version        contract version, {@value ChangeEvent#CURRENT_VERSION}
 * @param source         the configured source name
 * @param id             the transaction id, equal to {@link Transaction#id()} of its changes
 * @param eventCount     how many changes the transaction published in all
 * @param eventsPerTable changes per table ({@code public.todos}, {@code app.orders}, {@code db.collection})
 * @param commitTimeMs   when the source committed the transaction (epoch ms), 0 when unknown
 */
public record TransactionMarker(
        int version, String source, String id, long eventCount, Map<String, Long> eventsPerTable, long commitTimeMs) {

    @JsonCreator
    public TransactionMarker {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
        eventsPerTable = eventsPerTable == null ? Map.of() : Map.copyOf(eventsPerTable);
    }
}
