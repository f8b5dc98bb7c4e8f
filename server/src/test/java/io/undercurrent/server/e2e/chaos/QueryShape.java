package io.undercurrent.server.e2e.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What one live query asks for: a random filter, maybe a {@code fields} list, maybe an order and a
 * {@code limit} (a window). Renders the subscribe frame, and the query that computes the expected
 * result straight from the database.
 *
 * @param filter null for no {@code where}
 * @param fields null for every column
 * @param orderBy column and direction ({@code true} = descending), in order
 * @param limit null for no window
 */
record QueryShape(
        RandomFilter.Node filter, List<String> fields, List<Map.Entry<String, Boolean>> orderBy, Integer limit) {

    private static final List<String> ORDERABLE = List.of("score", "title", "grp", "ver", "pub", "owner_id", "id");

    static QueryShape random(Random random) {
        RandomFilter.Node filter = random.nextInt(4) == 0 ? null : RandomFilter.generate(random, 3);
        List<String> fields = null;
        if (random.nextBoolean()) {
            fields = new ArrayList<>(ChaosTable.CHECKED_FIELDS);
            for (String optional : ChaosTable.OPTIONAL_FIELDS) {
                if (random.nextBoolean()) {
                    fields.add(optional);
                }
            }
            Collections.shuffle(fields, random);
        }
        boolean window = random.nextInt(3) == 0;
        List<Map.Entry<String, Boolean>> orderBy = new ArrayList<>();
        int orders = window ? random.nextInt(3) : random.nextInt(4) == 0 ? 1 : 0;
        for (int i = 0; i < orders; i++) {
            String column = ORDERABLE.get(random.nextInt(ORDERABLE.size()));
            if (orderBy.stream().noneMatch(e -> e.getKey().equals(column))) {
                orderBy.add(Map.entry(column, random.nextBoolean()));
            }
        }
        Integer limit = window ? 1 + random.nextInt(7) : null;
        return new QueryShape(filter, fields, orderBy, limit);
    }

    /** The columns {@code where} and {@code orderBy} use: a query may use only columns its subscriber can see. */
    java.util.Set<String> filteredOrOrdered() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (filter != null) {
            filter.columns(out);
        }
        orderBy.forEach(o -> out.add(o.getKey()));
        return out;
    }

    boolean windowed() {
        return limit != null;
    }

    /** The columns a row of this query carries when the rules hide nothing. */
    List<String> requested() {
        if (fields == null) {
            return ChaosTable.COLUMNS;
        }
        List<String> out = new ArrayList<>();
        out.add("id");
        out.addAll(fields);
        return out;
    }

    Map<String, Object> subscribeFrame(String id, String table) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "subscribe");
        frame.put("id", id);
        frame.put("table", table);
        if (filter != null) {
            frame.put("where", filter.json());
        }
        if (fields != null) {
            frame.put("fields", fields);
        }
        if (!orderBy.isEmpty()) {
            List<Object> orders = new ArrayList<>();
            for (Map.Entry<String, Boolean> o : orderBy) {
                // every spelling the protocol allows: ["col","desc"], ["col"], "col"
                orders.add(
                        o.getValue()
                                ? List.of(o.getKey(), "desc")
                                : (o.getKey().length() % 2 == 0 ? o.getKey() : List.of(o.getKey())));
            }
            frame.put("orderBy", orders);
        }
        if (limit != null) {
            frame.put("limit", limit);
        }
        return frame;
    }

    /**
     * Every row of {@code table} that matches the filter, whole, in the query's order with ties broken
     * by the primary key (as the protocol orders a window), before rules and limit.
     */
    PreparedStatement matching(Connection db, String table) throws java.sql.SQLException {
        List<RandomFilter.Bind> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select ")
                .append(String.join(", ", ChaosTable.COLUMNS))
                .append(" from ")
                .append(table);
        if (filter != null) {
            sql.append(" where ").append(filter.sql(binds));
        }
        sql.append(" order by ");
        for (Map.Entry<String, Boolean> o : orderBy) {
            String column = RandomFilter.type(o.getKey()) == java.sql.Types.VARCHAR
                    ? o.getKey() + " COLLATE \"C\""
                    : o.getKey();
            // PostgreSQL's default, which the protocol documents: NULLs last ascending, first descending
            sql.append(column).append(o.getValue() ? " DESC NULLS FIRST, " : " ASC NULLS LAST, ");
        }
        sql.append("id ASC");
        PreparedStatement st = db.prepareStatement(sql.toString());
        for (int i = 0; i < binds.size(); i++) {
            RandomFilter.Bind b = binds.get(i);
            if (b.value() == null) {
                st.setNull(i + 1, b.sqlType());
            } else {
                st.setObject(i + 1, b.value(), b.sqlType());
            }
        }
        return st;
    }

    String describe(String table) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(subscribeFrame("q", table));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(this);
        }
    }
}
