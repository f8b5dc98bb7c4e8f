package io.undercurrent.rules.internal;

import java.util.List;

/**
 * One rule as read from YAML, before its expressions are compiled.
 *
 * @param file the file's text, for locations
 * @param source the source name (already defaulted)
 * @param table the qualified table name
 * @param tableOffset where the table name is written, for problems and locations
 * @param read the read condition
 * @param masks the field masks, in file order
 */
record RuleSpec(SourceText file, String source, String table, int tableOffset, Text read, List<Mask> masks) {

    /** An expression as written, with the position of each of its characters in the file. */
    record Text(String value, ScalarPositions positions) {}

    record Mask(String column, Text when) {}
}
