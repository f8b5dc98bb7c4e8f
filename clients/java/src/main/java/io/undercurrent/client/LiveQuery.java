package io.undercurrent.client;

import java.util.List;

/**
 * A live query of an {@link UndercurrentClient}: its rows, kept current, and where it stands. Its
 * methods may be called from any thread.
 */
public interface LiveQuery<T> extends AutoCloseable {

    /** The current rows in arrival order: an immutable list, replaced after every frame applied. */
    List<T> rows();

    QueryStatus status();

    /** Why the server refused or ended the query ({@link QueryStatus#ERROR}), or null. */
    ServerError error();

    /** The position of the last snapshot or changes frame applied (sent as {@code after} to resume), or null. */
    String position();

    Query query();

    /** Unsubscribes; the status becomes {@link QueryStatus#CLOSED}. */
    @Override
    void close();
}
