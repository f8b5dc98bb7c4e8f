package io.undercurrent.server.e2e.chaos;

import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random {@code where} filter over a {@link ChaosTable}, rendered twice from one tree: as the
 * subscribe frame's JSON and as SQL with bind values, written here from the documented semantics
 * (three-valued logic, text by code point) rather than by the product's SQL builder, so the
 * final comparison with the database is independent of the code under test.
 */
final class RandomFilter {

    /** A bind value with its SQL type, so that a null binds too. */
    record Bind(int sqlType, Object value) {}

    /** One node of the tree. */
    sealed interface Node permits Column, And, Or, Not {
        Object json();

        String sql(List<Bind> binds);

        /** Adds every column the node filters by to {@code out}. */
        void columns(java.util.Set<String> out);
    }

    /** One column with one or more operators (ANDed), e.g. {@code {"score":{"gte":3,"lt":10}}}. */
    record Column(String column, List<String> ops, List<Object> values) implements Node {
        @Override
        public void columns(java.util.Set<String> out) {
            out.add(column);
        }

        @Override
        public Object json() {
            Map<String, Object> operators = new LinkedHashMap<>();
            for (int i = 0; i < ops.size(); i++) {
                operators.put(ops.get(i), values.get(i));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(column, operators);
            return out;
        }

        @Override
        public String sql(List<Bind> binds) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                parts.add(condition(ops.get(i), values.get(i), binds));
            }
            return "(" + String.join(" AND ", parts) + ")";
        }

        private String condition(String op, Object value, List<Bind> binds) {
            boolean text = type(column) == Types.VARCHAR;
            // ordering of text is by code point, as COLLATE "C" in a UTF-8 database
            String ordered = text ? "(" + column + " COLLATE \"C\")" : column;
            switch (op) {
                case "isNull" -> {
                    return column + ((Boolean) value ? " IS NULL" : " IS NOT NULL");
                }
                case "in", "nin" -> {
                    List<?> list = (List<?>) value;
                    if (list.isEmpty()) {
                        return op.equals("in") ? "FALSE" : "TRUE";
                    }
                    List<String> marks = new ArrayList<>();
                    for (Object v : list) {
                        binds.add(new Bind(type(column), v));
                        marks.add("?");
                    }
                    return column + (op.equals("in") ? " IN (" : " NOT IN (") + String.join(", ", marks) + ")";
                }
                default -> {
                    binds.add(new Bind(type(column), value));
                    String operator = switch (op) {
                        case "eq" -> "=";
                        case "ne" -> "<>";
                        case "lt" -> "<";
                        case "lte" -> "<=";
                        case "gt" -> ">";
                        case "gte" -> ">=";
                        default -> throw new IllegalStateException(op);
                    };
                    return ordered + " " + operator + " ?";
                }
            }
        }
    }

    /** {@code {"and":[...]}}, or its members merged into one object when their keys differ. */
    record And(List<Node> members, boolean merged) implements Node {
        @Override
        public void columns(java.util.Set<String> out) {
            members.forEach(m -> m.columns(out));
        }

        @Override
        public Object json() {
            if (merged) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Node m : members) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) m.json();
                    out.putAll(object);
                }
                return out;
            }
            return Map.of("and", members.stream().map(Node::json).toList());
        }

        @Override
        public String sql(List<Bind> binds) {
            if (members.isEmpty()) {
                return "TRUE";
            }
            List<String> parts = new ArrayList<>();
            members.forEach(m -> parts.add(m.sql(binds)));
            return "(" + String.join(" AND ", parts) + ")";
        }
    }

    record Or(List<Node> members) implements Node {
        @Override
        public void columns(java.util.Set<String> out) {
            members.forEach(m -> m.columns(out));
        }

        @Override
        public Object json() {
            return Map.of("or", members.stream().map(Node::json).toList());
        }

        @Override
        public String sql(List<Bind> binds) {
            if (members.isEmpty()) {
                return "FALSE";
            }
            List<String> parts = new ArrayList<>();
            members.forEach(m -> parts.add(m.sql(binds)));
            return "(" + String.join(" OR ", parts) + ")";
        }
    }

    record Not(Node member) implements Node {
        @Override
        public void columns(java.util.Set<String> out) {
            member.columns(out);
        }

        @Override
        public Object json() {
            return Map.of("not", member.json());
        }

        @Override
        public String sql(List<Bind> binds) {
            return "(NOT " + member.sql(binds) + ")";
        }
    }

    private static final List<String> FILTERED =
            List.of("owner_id", "owner_id", "grp", "grp", "pub", "score", "score", "title", "ver", "secret");

    private RandomFilter() {}

    /** A filter of at most {@code depth} levels. */
    static Node generate(Random random, int depth) {
        int pick = random.nextInt(10);
        if (depth <= 1 || pick < 4) {
            return column(random);
        }
        int size = random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(3);
        List<Node> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(generate(random, depth - 1));
        }
        if (pick < 6) {
            return new And(members, random.nextBoolean() && distinctKeys(members));
        } else if (pick < 9) {
            return new Or(members);
        }
        return new Not(generate(random, depth - 1));
    }

    private static boolean distinctKeys(List<Node> members) {
        List<Object> keys = new ArrayList<>();
        for (Node m : members) {
            if (!(m.json() instanceof Map<?, ?> object)) {
                return false;
            }
            for (Object key : object.keySet()) {
                if (keys.contains(key)) {
                    return false;
                }
                keys.add(key);
            }
        }
        return !members.isEmpty();
    }

    private static Column column(Random random) {
        String column = FILTERED.get(random.nextInt(FILTERED.size()));
        List<String> ops = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        int count = random.nextInt(4) == 0 ? 2 : 1;
        for (int i = 0; i < count; i++) {
            String op = operator(column, random);
            if (ops.contains(op)) {
                continue;
            }
            ops.add(op);
            values.add(operand(column, op, random));
        }
        return new Column(column, ops, values);
    }

    private static String operator(String column, Random random) {
        List<String> ops = column.equals("pub")
                ? List.of("eq", "ne", "in", "isNull")
                : List.of("eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "isNull");
        return ops.get(random.nextInt(ops.size()));
    }

    private static Object operand(String column, String op, Random random) {
        if (op.equals("isNull")) {
            return random.nextBoolean();
        }
        if (op.equals("in") || op.equals("nin")) {
            List<Object> list = new ArrayList<>();
            int size = random.nextInt(12) == 0 ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < size; i++) {
                list.add(random.nextInt(15) == 0 ? null : value(column, random));
            }
            return list;
        }
        return random.nextInt(30) == 0 ? null : value(column, random);
    }

    private static Object value(String column, Random random) {
        return switch (column) {
            case "owner_id" -> ChaosTable.FILTER_OWNERS.get(random.nextInt(ChaosTable.FILTER_OWNERS.size()));
            case "title" -> ChaosTable.TITLES.get(random.nextInt(ChaosTable.TITLES.size()));
            case "secret" -> "s" + random.nextInt(1000);
            case "grp" -> random.nextInt(ChaosTable.GROUPS + 1);
            case "score" -> random.nextInt(25) - 3;
            case "ver" -> 1 + random.nextInt(6);
            case "pub" -> random.nextBoolean();
            default -> throw new IllegalArgumentException(column);
        };
    }

    static int type(String column) {
        return switch (column) {
            case "owner_id", "title", "secret" -> Types.VARCHAR;
            case "grp", "score" -> Types.INTEGER;
            case "ver", "id", "tx" -> Types.BIGINT;
            case "pub" -> Types.BOOLEAN;
            default -> throw new IllegalArgumentException(column);
        };
    }
}
