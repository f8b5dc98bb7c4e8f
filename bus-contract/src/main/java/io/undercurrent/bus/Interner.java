package io.undercurrent.bus;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instance of each distinct value handed to it, for as long as something else still holds that
 * value. A subscription carries its subscriber's claims and its query as trees of maps and nodes
 * (several hundred bytes each); many connections carry equal ones (one user's tabs share a token,
 * many clients run the same query), and keeping each once saves that much per connection.
 *
 * <p>An interned value is shared by everyone who interned an equal one, so it must not be changed
 * afterwards: intern only values nothing modifies (verified claims, validated query frames). Equality
 * is the values' own {@code equals}; a value whose hash would change must not be interned.
 * Thread-safe.
 *
 * @param <T> the values' type
 */
public final class Interner<T> {

    private final Map<T, WeakReference<T>> values = new WeakHashMap<>();

    /** The instance equal to {@code value} already held, or {@code value}, now held; null for null. */
    public synchronized T intern(T value) {
        if (value == null) {
            return null;
        }
        WeakReference<T> held = values.get(value);
        T same = held == null ? null : held.get();
        if (same != null) {
            return same;
        }
        values.put(value, new WeakReference<>(value));
        return value;
    }

    /** How many distinct values are held (those no longer used by anyone may still count until collected). */
    public synchronized int size() {
        return values.size();
    }
}
