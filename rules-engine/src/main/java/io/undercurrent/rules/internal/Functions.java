package io.undercurrent.rules.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** The helper functions a rule may call: the allow-list. Anything else is refused at load. */
final class Functions {

    /** What a helper yields. */
    enum Kind {
        ANY,
        TEXT,
        NUMBER,
        BOOLEAN,
        CONDITION
    }

    /**
     * One helper.
     *
     * @param name as written in rules
     * @param arity how many arguments
     * @param result CONDITION for predicates, else the kind of value
     * @param frameMethod the {@link Frame} method it renders to (for conditions, the positive form)
     * @param negatedMethod for conditions, the {@link Frame} method of its negation
     * @param example for messages
     */
    record Fn(String name, int arity, Kind result, String frameMethod, String negatedMethod, String example) {
        boolean isCondition() {
            return result == Kind.CONDITION;
        }

        /** {@code exists} and {@code lookup}: a lookup's name, then one value per key column. */
        boolean isLookup() {
            return arity == LOOKUP_ARITY;
        }
    }

    /** The arity of the lookup helpers, whose argument count depends on the lookup named. */
    static final int LOOKUP_ARITY = -1;

    static final Map<String, Fn> ALL = new LinkedHashMap<>();

    static {
        add(new Fn("contains", 2, Kind.CONDITION, "opHas", "opHasNot", "contains(auth.groups, 'staff')"));
        add(new Fn("startsWith", 2, Kind.CONDITION, "opStarts", "opNotStarts", "startsWith(row.path, '/public/')"));
        add(new Fn("endsWith", 2, Kind.CONDITION, "opEnds", "opNotEnds", "endsWith(auth.email, '@example.com')"));
        add(new Fn("size", 1, Kind.NUMBER, "fnSize", null, "size(auth.groups) > 0"));
        add(new Fn("lower", 1, Kind.TEXT, "fnLower", null, "lower(auth.email) == row.email"));
        add(new Fn("upper", 1, Kind.TEXT, "fnUpper", null, "upper(row.country) == 'NL'"));
        add(new Fn("str", 1, Kind.TEXT, "fnStr", null, "str(row.owner_id) == auth.sub"));
        add(new Fn("num", 1, Kind.NUMBER, "fnNum", null, "num(auth.tenant) == row.tenant_id"));
        add(new Fn("millis", 1, Kind.NUMBER, "fnMillis", null, "millis(row.created_at) > now - 86400000"));
        add(new Fn(
                "exists",
                LOOKUP_ARITY,
                Kind.CONDITION,
                "opExists",
                "opNotExists",
                "exists(member, row.group_id, auth.sub)"));
        add(new Fn(
                "lookup",
                LOOKUP_ARITY,
                Kind.ANY,
                "fnLookup",
                null,
                "lookup(member, row.group_id, auth.sub).role == 'owner'"));
    }

    private Functions() {}

    private static void add(Fn fn) {
        ALL.put(fn.name(), fn);
    }

    static Fn find(String name) {
        return ALL.get(name);
    }

    /** "contains, startsWith, ... and millis", for messages. */
    static String names() {
        String all = String.join(", ", ALL.keySet());
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " and" + all.substring(last + 1);
    }
}
