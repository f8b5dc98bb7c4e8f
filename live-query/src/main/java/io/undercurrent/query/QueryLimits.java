package io.undercurrent.query;

/**
 * Size limits on one live query, checked when it is parsed. They keep a single client
 * from making the snapshot SQL, the router's per-change work or a Kafka record grow
 * without bound; every limit broken is an {@link InvalidQueryException} naming the path
 * and the limit. Immutable; {@link #DEFAULTS} suits interactive clients.
 *
 * @param maxDepth       deepest nesting of {@code and}/{@code or}/{@code not} objects, counting the
 *                       {@code where} object itself as 1 (default 16)
 * @param maxNodes       most filter nodes: each column condition, each {@code and}/{@code or}/{@code not}
 *                       and each extra condition key counts one (default 256)
 * @param maxInList      most values in one {@code in}/{@code nin} list (default 1000)
 * @param maxValues      most literal values in the whole filter; bounds the snapshot's bind
 *                       parameters, which PostgreSQL caps at 65535 (default 4096)
 * @param maxValueLength longest text, uuid, date/time or base64 value, in characters (default 8192)
 * @param maxLimit       largest {@code limit} (default 10000)
 * @param maxOrderBy     most {@code orderBy} entries (default 8)
 */
public record QueryLimits(
        int maxDepth, int maxNodes, int maxInList, int maxValues, int maxValueLength, int maxLimit, int maxOrderBy) {

    /** The defaults listed on each component. */
    public static final QueryLimits DEFAULTS = new QueryLimits(16, 256, 1000, 4096, 8192, 10_000, 8);

    public QueryLimits {
        requirePositive("maxDepth", maxDepth);
        requirePositive("maxNodes", maxNodes);
        requirePositive("maxInList", maxInList);
        requirePositive("maxValues", maxValues);
        requirePositive("maxValueLength", maxValueLength);
        requirePositive("maxLimit", maxLimit);
        requirePositive("maxOrderBy", maxOrderBy);
        if (maxValues > 65_535) {
            throw new IllegalArgumentException("QueryLimits.maxValues is " + maxValues
                    + " but PostgreSQL accepts at most 65535 bind parameters per statement; lower it");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("QueryLimits." + name + " must be positive, was " + value);
        }
    }
}
