package io.undercurrent.rules;

import java.util.Map;
import java.util.Objects;

/**
 * One {@code exists(...)} or {@code lookup(...)} of a rule, as far as it concerns one subscriber: the
 * looked-up table, and those of its key columns the rule gives the subscriber's own claims
 * ({@code exists(member, row.group_id, auth.sub)} gives {@code user_id} the claim {@code sub}). A change
 * to a looked-up row can change what a subscriber may read through this lookup only when the row's
 * value in each such column equals the subscriber's claim; with no such column, any row can.
 *
 * @param table  the looked-up table
 * @param claims key column to the name of the claim it is given ({@code auth.<claim>}); empty when
 *               no key column is given a claim
 */
public record LookupBinding(TableRef table, Map<String, String> claims) {

    public LookupBinding {
        Objects.requireNonNull(table, "table");
        claims = Map.copyOf(claims);
    }
}
