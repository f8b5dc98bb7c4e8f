package io.undercurrent.server.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer's history of a group chat, for a subscriber the writer adds to and removes from groups:
 * each statement commits alone, in the writer's order, so a step number orders every commit. It
 * answers whether a message version could be readable by the subscriber at any moment of its life
 * (it existed while the subscriber was a member of its group): a version that never could is a leak.
 * Thread-safe for one writer and any readers.
 */
final class ChatHistory {

    static final long OPEN = Long.MAX_VALUE;

    private record Interval(long from, long to) {
        boolean overlaps(Interval other) {
            return from < other.to && other.from < to;
        }
    }

    private record Version(long group, Interval life) {}

    private final String member;
    private final int groups;
    private final Map<Long, List<Interval>> memberships = new ConcurrentHashMap<>();
    private final Map<Long, Long> membershipRow = new HashMap<>();
    private final Map<Long, Version> versions = new ConcurrentHashMap<>();
    private final Map<Long, Long> currentVersion = new HashMap<>();
    private final Map<Long, Long> messageGroup = new HashMap<>();
    private final List<Long> messages = new ArrayList<>();
    private final Random random = new Random(7);
    private long step;
    private int membershipChanges;

    ChatHistory(String member, int groups) {
        this.member = member;
        this.groups = groups;
    }

    /** One random step: the member joins or leaves a group, or a message is written, edited or deleted. */
    long step(Statement st) throws Exception {
        long now = ++step;
        // About one step in a hundred adds the member to a group or removes them: a few times a second
        // under this writer, while messages change hundreds of times.
        int choice = messages.size() < 5 ? 1 : messages.size() > 300 ? 99 : random.nextInt(100);
        long group = 1 + random.nextInt(groups);
        if (choice == 0) {
            membershipChanges++;
            Long row = membershipRow.remove(group);
            if (row == null) {
                try (ResultSet rs = st.executeQuery("insert into memberships(group_id, user_id) values (" + group
                        + ", '" + member + "') returning id")) {
                    rs.next();
                    membershipRow.put(group, rs.getLong(1));
                }
                memberships.computeIfAbsent(group, g -> new ArrayList<>()).add(new Interval(now, OPEN));
            } else {
                st.executeUpdate("delete from memberships where id = " + row);
                List<Interval> list = memberships.get(group);
                Interval last = list.remove(list.size() - 1);
                list.add(new Interval(last.from(), now));
            }
        } else if (choice < 45) {
            try (ResultSet rs = st.executeQuery("insert into messages(group_id, author_id, body) values (" + group
                    + ", 'writer', 'v" + now + "') returning id")) {
                rs.next();
                long id = rs.getLong(1);
                messages.add(id);
                messageGroup.put(id, group);
                begin(id, now);
            }
        } else if (choice < 92) {
            long id = messages.get(random.nextInt(messages.size()));
            st.executeUpdate("update messages set body = 'v" + now + "' where id = " + id);
            end(id, now);
            begin(id, now);
        } else {
            long id = messages.remove(random.nextInt(messages.size()));
            st.executeUpdate("delete from messages where id = " + id);
            end(id, now);
        }
        return now;
    }

    /** How often the member joined or left a group. */
    int membershipChanges() {
        return membershipChanges;
    }

    private void begin(long id, long now) {
        currentVersion.put(id, now);
        versions.put(now, new Version(messageGroup.get(id), new Interval(now, OPEN)));
    }

    private void end(long id, long now) {
        long version = currentVersion.remove(id);
        Version v = versions.get(version);
        versions.put(version, new Version(v.group(), new Interval(v.life().from(), now)));
    }

    /** Whether the member was in the version's group at some moment the version existed. */
    boolean couldBeReadable(long version) {
        Version v = versions.get(version);
        if (v == null) {
            return false;
        }
        for (Interval membership : memberships.getOrDefault(v.group(), List.of())) {
            if (membership.overlaps(v.life())) {
                return true;
            }
        }
        return false;
    }

    /** A version's group and life, and the member's times in that group: why it could or could not be read. */
    String explain(long version) {
        Version v = versions.get(version);
        return v == null
                ? "v" + version + ": unknown"
                : "v" + version + " in group " + v.group() + " lived " + v.life() + "; member "
                        + memberships.getOrDefault(v.group(), List.of());
    }

    /** What the member may read now, by the database: message id to version. */
    static Map<Long, Long> readable(Connection db, String member) throws Exception {
        Map<Long, Long> state = new HashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select m.id, m.body from messages m join memberships s"
                        + " on s.group_id = m.group_id and s.user_id = '" + member + "'")) {
            while (rs.next()) {
                state.put(rs.getLong(1), Long.parseLong(rs.getString(2).substring(1)));
            }
        }
        return state;
    }
}
