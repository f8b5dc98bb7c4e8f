package io.undercurrent.rules.internal;

import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One case of a {@code *.test.yaml} file.
 *
 * @param location {@code file:line:col} of the case
 * @param name what it checks
 * @param table the table judged
 * @param auth the claims; null for anonymous
 * @param row the row judged
 * @param now epoch milliseconds
 * @param expectAllow allow or deny
 * @param visible the exact set of row columns expected to be sent; null when not checked
 * @param hidden the exact set of row columns expected to be hidden; null when not checked
 * @param lookups the rows of the rule's lookups, by lookup name; a lookup not given has no rows
 * @param channel the channel judged, for a case of a channel rule (then {@code table} and {@code row}
 *     are null and {@code expectAllow} is about joining); null for a table rule's case
 * @param expectPublish for a channel case, whether publishing is expected to be allowed; null when not checked
 */
public record RuleTestCase(
        String location,
        String name,
        TableRef table,
        Map<String, Object> auth,
        Map<String, Object> row,
        long now,
        boolean expectAllow,
        Set<String> visible,
        Set<String> hidden,
        Map<String, List<Map<String, Object>>> lookups,
        String channel,
        Boolean expectPublish) {

    /** A table rule's case. */
    public RuleTestCase(
            String location,
            String name,
            TableRef table,
            Map<String, Object> auth,
            Map<String, Object> row,
            long now,
            boolean expectAllow,
            Set<String> visible,
            Set<String> hidden,
            Map<String, List<Map<String, Object>>> lookups) {
        this(location, name, table, auth, row, now, expectAllow, visible, hidden, lookups, null, null);
    }
}
