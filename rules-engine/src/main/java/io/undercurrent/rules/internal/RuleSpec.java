package io.undercurrent.rules.internal;

import io.undercurrent.rules.LookupIndex;
import java.util.List;
import java.util.Map;

/**
 * One rule as read from YAML, before its expressions are compiled.
 *
 * @param file the file's text, for locations
 * @param source the source name (already defaulted)
 * @param table the qualified table name
 * @param tableOffset where the table name is written, for problems and locations
 * @param read the read condition
 * @param masks the field masks, in file order
 * @param lookups the declared lookups by name, in file order
 */
record RuleSpec(
        SourceText file,
        String source,
        String table,
        int tableOffset,
        Text read,
        List<Mask> masks,
        Map<String, Lookup> lookups) {

    /** An expression as written, with the position of each of its characters in the file. */
    record Text(String value, ScalarPositions positions) {}

    record Mask(String column, Text when) {}

    /**
     * A lookup a rule declares: {@code name: {table: ..., key: [...]}}.
     *
     * @param name what expressions call it
     * @param index the table and key columns
     * @param offset where the name is written
     */
    record Lookup(String name, LookupIndex index, int offset) {

        /** As written, for a rule's content and version: {@code member: app/public.memberships [group_id, user_id]}. */
        String describe() {
            return name + ": " + index;
        }
    }
}
