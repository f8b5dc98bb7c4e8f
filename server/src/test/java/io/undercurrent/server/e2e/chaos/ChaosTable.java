package io.undercurrent.server.e2e.chaos;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Random;

/**
 * The table one scenario writes and subscribes to, and the values its writers and filters draw from.
 * {@code ver} starts at 1 and every update adds one, so a client can tell a row's versions apart;
 * {@code tx} names the write transaction that last touched the row, so a client can tell whether the
 * changes of one transaction came in one frame.
 */
final class ChaosTable {

    /** Every column, in table order. */
    static final List<String> COLUMNS =
            List.of("id", "owner_id", "grp", "pub", "score", "title", "secret", "ver", "tx");
    /** What every query with a {@code fields} list asks for: the columns rules and checks read. */
    static final List<String> CHECKED_FIELDS = List.of("owner_id", "grp", "pub", "score", "ver", "tx");
    /** What a {@code fields} list may add. */
    static final List<String> OPTIONAL_FIELDS = List.of("title", "secret");

    /** Owners; erin owns nothing, and a row may have no owner. */
    static final List<String> OWNERS = List.of("alice", "bob", "carol", "dave");

    static final List<String> FILTER_OWNERS = List.of("alice", "bob", "carol", "dave", "erin", "Alice");
    /** Titles whose order differs between code points (COLLATE "C") and a natural-language collation. */
    static final List<String> TITLES = List.of(
            "apple",
            "Apple",
            "apple pie",
            "banana",
            "Zebra",
            "zebra",
            "éclair",
            "Ølberg",
            "ß",
            "10 items",
            "9 items",
            "_under",
            "tea",
            "Tea time");

    static final int GROUPS = 4;

    private final String name;

    ChaosTable(String name) {
        this.name = name;
    }

    /** Unqualified name, e.g. {@code chaos_3}. */
    String name() {
        return name;
    }

    /** As subscriptions and rules name it: {@code public.chaos_3}. */
    String qualified() {
        return "public." + name;
    }

    void create(Connection db) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("create table public." + name + " ("
                    + "id bigint primary key, owner_id text, grp integer not null, pub boolean not null, score integer,"
                    + " title text not null, secret text, ver bigint not null, tx bigint not null)");
            // the rules judge a removal on the row before the change: updates and deletes must carry it
            st.execute("alter table public." + name + " replica identity full");
        }
    }

    static String owner(Random random) {
        return random.nextInt(12) == 0 ? null : OWNERS.get(random.nextInt(OWNERS.size()));
    }

    static int group(Random random) {
        return random.nextInt(GROUPS);
    }

    static Integer score(Random random) {
        return random.nextInt(8) == 0 ? null : random.nextInt(25) - 3;
    }

    static String title(Random random) {
        return TITLES.get(random.nextInt(TITLES.size()));
    }

    static String secret(Random random) {
        return random.nextInt(4) == 0 ? null : "s" + random.nextInt(1000);
    }
}
