package io.undercurrent.rules;

/**
 * How much memory a {@link LookupStore} may take. Row counts are exact; bytes are an estimate of the
 * rows' values and the index entries that point to them (see rules-engine/README.md, "Lookups").
 *
 * @param maxRowsPerTable most rows one looked-up table may hold (server setting
 *     {@value #MAX_ROWS_SETTING}); at least 1
 * @param maxBytes most estimated bytes all looked-up tables together may hold (server setting
 *     {@value #MAX_BYTES_SETTING}); at least 1024
 */
public record LookupLimits(long maxRowsPerTable, long maxBytes) {

    /** The server setting that bounds {@link #maxRowsPerTable()}, named in errors. */
    public static final String MAX_ROWS_SETTING = "rules.lookups.max-rows-per-table";
    /** The server setting that bounds {@link #maxBytes()}, named in errors. */
    public static final String MAX_BYTES_SETTING = "rules.lookups.max-bytes";

    /** One million rows per table, 256 MiB in all. */
    public static final LookupLimits DEFAULT = new LookupLimits(1_000_000, 256L * 1024 * 1024);

    public LookupLimits {
        if (maxRowsPerTable < 1) {
            throw new IllegalArgumentException(MAX_ROWS_SETTING + " must be at least 1, was " + maxRowsPerTable);
        }
        if (maxBytes < 1024) {
            throw new IllegalArgumentException(MAX_BYTES_SETTING + " must be at least 1024 bytes, was " + maxBytes);
        }
    }
}
