package io.undercurrent.bus;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Keeps one instance of values that repeat. A subscription carries its subscriber's claims and its
 * query as trees of maps and nodes (several hundred bytes each); many connections carry equal ones
 * (one user's tabs share a token, many clients run the same query), and keeping each once saves that
 * much per connection.
 *
 * <p>It is a fixed table of slots chosen by hash, each holding the last value interned there: a
 * value that repeats finds its earlier instance unless another took its slot in between. So a value
 * that never repeats costs nothing per value (a weak map would add an entry, about 80 bytes, for
 * every subscription), and the table keeps at most {@code slots} values alive beyond their holders.
 *
 * <p>An interned value is shared by everyone who interned an equal one, so it must not be changed
 * afterwards: intern only values nothing modifies (verified claims, validated query frames). Equality
 * is the values' own {@code equals}. Thread-safe.
 *
 * @param <T> the values' type
 */
public final class Interner<T> {

    private final AtomicReferenceArray<T> slots;

    /** @param slots how many values it keeps at most; a power of two */
    public Interner(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, not " + slots);
        }
        this.slots = new AtomicReferenceArray<>(slots);
    }

    /** The instance equal to {@code value} kept from before, or {@code value}, now kept; null for null. */
    public T intern(T value) {
        if (value == null) {
            return null;
        }
        int hash = value.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (slots.length() - 1);
        T held = slots.get(slot);
        if (held != null && held.equals(value)) {
            return held;
        }
        slots.set(slot, value);
        return value;
    }

    /** How many values it keeps now. */
    public int size() {
        int size = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                size++;
            }
        }
        return size;
    }
}
