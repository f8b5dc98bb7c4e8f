package io.undercurrent.change;

/** What happened to a row. */
public enum Operation {
    /** A row was inserted. {@code before} is null. */
    INSERT,
    /** A row was updated. {@code before} may be null when the source does not log old images. */
    UPDATE,
    /** A row was deleted. {@code after} is null. */
    DELETE,
    /** A row read by an initial snapshot of the source, not a change. {@code before} is null. */
    READ
}
