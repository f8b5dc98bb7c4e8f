package io.undercurrent.server.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One live query of one client, materialised as a client would (drop on {@code reset}, replace on
 * {@code snapshot}, apply {@code added}/{@code changed}/{@code removed}), judging every frame against
 * the protocol's invariants:
 *
 * <ul>
 *   <li>a {@code snapshot} comes first and after each {@code reset}, and only then; {@code changes}
 *       only in between;</li>
 *   <li>{@code added} only for a key not held, {@code changed} and {@code removed} only for a key
 *       held; a window never holds more than its {@code limit};</li>
 *   <li>a row's version never goes back, one version of a row always has the same values, and a
 *       change never repeats one already applied;</li>
 *   <li>the changes of one transaction come in one frame, and never after a snapshot that holds them
 *       (without a window: a windowed query sends differences between reads);</li>
 *   <li>of a row the client holds, a query without a window sends every later version (as {@code
 *       changed}, or {@code removed} when the row leaves it) but those the same transaction overwrote:
 *       no gap (checked against the {@link VersionLog});</li>
 *   <li>every row received is readable by the client, with exactly the columns it asked for minus the
 *       masked ones, under a version of the rules that may be in force (see {@link RuleHistory});</li>
 *   <li>a subscribe with {@code after} (the position of the last frame applied) is answered {@code
 *       resumed}, the client keeping its rows, or {@code reset} for a reason that holds: the rules
 *       changed since the position, or the query has a window. Any other reset is a snapshot where a
 *       resume was possible;</li>
 *   <li>a query is refused ({@code forbidden}) exactly when such a version refuses it: when the
 *       subscriber may read nothing of the table, or the query filters or orders by a column the
 *       rules may hide from it.</li>
 * </ul>
 *
 * <p>The query survives reconnects: each new subscription (a new query id on a new connection) starts
 * a new cycle, while a row's versions must keep going forward across them. A resumed subscription
 * continues the cycle it resumes: the rows held, the transactions its snapshot held. Guarded by its
 * client.
 */
final class QueryView {

    enum State {
        /** Subscribed; the snapshot has not arrived. */
        PENDING,
        /** Subscribed with {@code after}; {@code resumed} or {@code reset} comes first. */
        RESUMING,
        /** The snapshot arrived; changes apply. */
        LIVE,
        /** A reset arrived; a fresh snapshot must follow. */
        RESET,
        /** The server failed the query with an error, or its connection is gone: subscribe again. */
        LOST,
        /** Unsubscribed by the client. */
        CLOSED,
        /** Refused or ended by the server because the rules forbid it ({@code forbidden}); it stays ended. */
        REFUSED
    }

    private static final int RECENT = 8;
    /** The name of the tolerated problem {@link #split} reports. */
    static final String TX_FRAMES = "transactions split across frames";

    private final String label;
    private final QueryShape shape;
    private final RuleHistory rules;
    private final Map<String, Object> auth;
    private final Violations violations;
    private final Stats stats;
    private final boolean splitTransactionsFail;
    private final VersionLog versions;
    private final ArrayDeque<String> recent = new ArrayDeque<>();

    // across cycles
    private final Map<Long, Long> newestVersion = new HashMap<>();
    private final Map<Long, Map<String, Object>> newestImage = new HashMap<>();
    /** The position of the last frame applied, while the rows held are what it says; else null. */
    private String position;
    /** The oldest rules version the cycle that gave {@link #position} may have been judged by. */
    private int positionRules;
    /** The connection of the current subscription was lost under the client (an edge died). */
    private boolean cutOff;

    // this cycle
    private String id;
    private State state = State.LOST;
    private boolean closing;
    private boolean endedByError;
    private int oldestRules;
    private final Map<Long, Map<String, Object>> held = new LinkedHashMap<>();
    private final Set<Long> snapshotTx = new HashSet<>();
    private final Set<Long> streamedTx = new HashSet<>();

    QueryView(
            String label,
            QueryShape shape,
            RuleHistory rules,
            Map<String, Object> auth,
            Violations violations,
            Stats stats,
            boolean splitTransactionsFail,
            VersionLog versions) {
        this.splitTransactionsFail = splitTransactionsFail;
        this.versions = versions;
        this.label = label;
        this.shape = shape;
        this.rules = rules;
        this.auth = auth;
        this.violations = violations;
        this.stats = stats;
    }

    QueryShape shape() {
        return shape;
    }

    String id() {
        return id;
    }

    State state() {
        return state;
    }

    /** Whether the client sent {@code unsubscribe} for the current id. */
    boolean unsubscribeSent() {
        return closing;
    }

    /** Whether an error frame ended the current id: the server then forgot it. */
    boolean endedByError() {
        return endedByError;
    }

    /** Whether the connection of the current subscription failed under the client. */
    boolean cutOff() {
        return cutOff;
    }

    /** The position to resume from (the last frame applied), or null when the client holds nothing resumable. */
    String position() {
        return position;
    }

    /**
     * A subscribe frame with {@code newId} was sent; with {@code after} = {@link #position()} when
     * {@code resume}, otherwise without (the client then drops what it holds).
     */
    void subscribed(String newId, boolean resume) {
        id = newId;
        closing = false;
        endedByError = false;
        if (resume) {
            // the rows, and the transactions of the snapshot they came from, carry over
            state = State.RESUMING;
            oldestRules = positionRules;
            note("→ subscribe " + newId + " after the position");
            return;
        }
        state = State.PENDING;
        cutOff = false;
        position = null;
        held.clear();
        snapshotTx.clear();
        streamedTx.clear();
        oldestRules = rules.confirmed();
        note("→ subscribe " + newId);
    }

    /**
     * The connection is gone; the server forgot the query. The client keeps its rows and position
     * to resume from.
     *
     * @param underUs the connection failed (its edge died), rather than the client closing it
     */
    void lost(String why, boolean underUs) {
        if (state == State.CLOSED || state == State.REFUSED) {
            position = null;
        }
        state = State.LOST;
        cutOff = underUs;
        note("× " + why);
    }

    void unsubscribing() {
        closing = true;
        note("→ unsubscribe " + id);
    }

    /** The rows the client holds now, by key. */
    Map<Long, Map<String, Object>> rows() {
        return new HashMap<>(held);
    }

    void onFrame(JsonNode frame, boolean errorsTolerated) {
        String type = frame.path("type").asText();
        String text = shorten(frame.toString());
        switch (type) {
            case "snapshot" -> snapshot(frame, text);
            case "changes" -> changes(frame, text);
            case "resumed" -> resumed(text);
            case "reset" -> reset(frame, text);
            case "unsubscribed" -> {
                if (!closing) {
                    fail("unsubscribed without asking", text);
                }
                state = State.CLOSED;
                position = null;
                held.clear();
            }
            case "error" -> {
                endedByError = true;
                if ("forbidden".equals(frame.path("code").asText())) {
                    refused(text);
                    return;
                }
                if (errorsTolerated && "internal".equals(frame.path("code").asText())) {
                    violations.tolerate(
                            "internal errors while a process was down or catching up", label + " " + id + ": " + text);
                } else {
                    fail("error frame", text);
                }
                stats.errors.incrementAndGet();
                // the client still holds the rows of its last position: it resumes from there
                state = closing ? State.CLOSED : State.LOST;
                if (closing) {
                    position = null;
                    held.clear();
                }
            }
            default -> fail("unexpected frame for a query", text);
        }
        note(text);
    }

    /** The server refused the query, or ended it as a rules edit now forbids it: only right if some rule version does. */
    private void refused(String text) {
        if (rules.anyRefusal(auth, shape, oldestRules) == null) {
            fail(
                    "forbidden, though every version of the rule that may be in force admits this query for " + auth,
                    text);
        }
        stats.refused.incrementAndGet();
        state = State.REFUSED;
        position = null;
        held.clear();
        note(text);
    }

    /** A query that every rule version in force refuses must not be served at all. */
    private void checkAdmitted(String text) {
        if (rules.allRefuse(auth, shape, oldestRules)) {
            fail(
                    "served a query the rules refuse for " + auth + " (" + rules.anyRefusal(auth, shape, oldestRules)
                            + ")",
                    text);
        }
    }

    private void snapshot(JsonNode frame, String text) {
        checkAdmitted(text);
        if (state == State.RESUMING) {
            fail("snapshot where a resume was possible (no resumed, no reset with a reason)", text);
        } else if (state != State.PENDING && state != State.RESET) {
            fail("snapshot while " + state + " (a snapshot comes first, or after a reset)", text);
        }
        if (!"[\"id\"]".equals(frame.path("keyColumns").toString())) {
            fail("keyColumns should be [\"id\"]", text);
        }
        stats.snapshots.incrementAndGet();
        held.clear();
        snapshotTx.clear();
        streamedTx.clear();
        for (JsonNode row : frame.path("rows")) {
            long key = Rows.key(row);
            Map<String, Object> values = Rows.fromJson(row);
            if (held.containsKey(key)) {
                fail("snapshot holds key " + key + " twice", text);
            }
            checkReadable(values, text);
            checkVersion(key, values, false, text);
            held.put(key, values);
            snapshotTx.add((Long) values.get("tx"));
        }
        checkWindow(text);
        state = State.LIVE;
        applied(frame);
    }

    /** The frame was applied: its position is where the client now stands. */
    private void applied(JsonNode frame) {
        String p = frame.path("position").asText(null);
        if (p == null || p.isEmpty()) {
            fail("a frame without a position", shorten(frame.toString()));
        }
        position = p;
        positionRules = oldestRules;
    }

    private void resumed(String text) {
        if (state != State.RESUMING) {
            fail("resumed while " + state + " (resumed answers a subscribe with after)", text);
            return;
        }
        if (shape.windowed()) {
            fail("a window was resumed (a window is read again)", text);
        }
        checkAdmitted(text);
        stats.resumed.incrementAndGet();
        if (cutOff) {
            stats.resumedAfterLoss.incrementAndGet();
        }
        state = State.LIVE;
    }

    private void changes(JsonNode frame, String text) {
        if (state != State.LIVE) {
            fail("changes while " + state + " (changes follow a snapshot)", text);
            return;
        }
        stats.changeFrames.incrementAndGet();
        checkAdmitted(text);
        boolean window = shape.windowed();
        Set<Long> frameTx = new HashSet<>();
        for (JsonNode change : frame.path("changes")) {
            String op = change.path("op").asText();
            long key = Rows.key(change.path("key"));
            Map<String, Object> before = held.get(key);
            switch (op) {
                case "added", "changed" -> {
                    Map<String, Object> values = Rows.fromJson(change.path("row"));
                    if (!Objects.equals(values.get("id"), key)) {
                        fail("row " + values.get("id") + " sent under key " + key, text);
                    }
                    if (op.equals("added") && before != null) {
                        fail("added key " + key + ", which the client already holds", text);
                    }
                    if (op.equals("changed") && before == null) {
                        fail("changed key " + key + ", which the client does not hold", text);
                    }
                    if (!window && before != null) {
                        checkNoGap(key, before, values, text);
                    }
                    checkReadable(values, text);
                    // without a window every change is a new version; a window may bring back a row it pushed
                    // out, and a read under an edited rule may show the same version with other fields
                    checkVersion(key, values, !window, text);
                    if (window && op.equals("changed") && values.equals(before)) {
                        fail("changed key " + key + " to exactly the row the client holds", text);
                    }
                    if (!window) {
                        Long tx = (Long) values.get("tx");
                        if (snapshotTx.contains(tx)) {
                            fail("transaction " + tx + " is in the snapshot, and arrived again as a change", text);
                        } else if (streamedTx.contains(tx)) {
                            split(tx, text);
                        }
                        frameTx.add(tx);
                    }
                    held.put(key, values);
                }
                case "removed" -> {
                    if (before == null) {
                        fail("removed key " + key + ", which the client does not hold", text);
                    }
                    if (change.has("row")) {
                        fail("removed carries a row (only the key may be sent)", text);
                    }
                    held.remove(key);
                }
                default -> fail("unknown op " + op, text);
            }
        }
        streamedTx.addAll(frameTx);
        checkWindow(text);
        applied(frame);
    }

    /** Every version between the one held and the one arriving was sent, unless the same transaction overwrote it. */
    private void checkNoGap(long key, Map<String, Object> held, Map<String, Object> arriving, String text) {
        long from = (Long) held.get("ver");
        long to = (Long) arriving.get("ver");
        String skipped = versions.skipped(key, from, to, (Long) arriving.get("tx"));
        if (skipped != null) {
            fail(
                    "GAP: row " + key + " went from version " + from + " to " + to + ", and " + skipped
                            + " never arrived",
                    text);
        }
    }

    private void reset(JsonNode frame, String text) {
        String reason = frame.path("reason").asText();
        if (state == State.RESUMING) {
            refusedResume(reason, text);
        } else if (state != State.LIVE) {
            fail("reset while " + state + " (a reset follows a snapshot)", text);
        }
        if (reason.contains("token")) {
            fail("reset for a token change, though every token named the same identity", text);
        }
        stats.reset(reason);
        position = null;
        held.clear();
        snapshotTx.clear();
        streamedTx.clear();
        state = State.RESET;
        oldestRules = rules.confirmed();
    }

    /**
     * A resume was refused: fine when the rules changed since the position (a version newer than the
     * oldest it may carry was written) or the query has a window; otherwise a snapshot where a resume
     * was possible.
     */
    private void refusedResume(String reason, String text) {
        boolean rulesChanged = reason.contains("rules") && rules.written() > positionRules;
        boolean window = reason.contains("limit") && shape.windowed();
        if (!rulesChanged && !window) {
            fail("a snapshot where a resume was possible: reset \"" + reason + "\"", text);
        }
        stats.resumeRefused.incrementAndGet();
        if (cutOff) {
            stats.resumeRefusedAfterLoss.incrementAndGet();
        }
    }

    private void checkReadable(Map<String, Object> row, String text) {
        String why = rules.judge(row, auth, oldestRules, shape.requested());
        if (why != null) {
            fail("LEAK: row " + row + " is not readable as sent by " + auth + ": " + why, text);
        }
    }

    /** @param strict the row must be newer than every version of it seen before */
    private void checkVersion(long key, Map<String, Object> row, boolean strict, String text) {
        long version = (Long) row.get("ver");
        Long newest = newestVersion.get(key);
        if (newest != null) {
            if (version < newest) {
                fail("row " + key + " went back from version " + newest + " to " + version, text);
                return;
            }
            if (version == newest) {
                Map<String, Object> image = newestImage.get(key);
                for (Map.Entry<String, Object> e : row.entrySet()) {
                    if (image.containsKey(e.getKey()) && !Objects.equals(image.get(e.getKey()), e.getValue())) {
                        fail(
                                "row " + key + " version " + version + " arrived with two different values of "
                                        + e.getKey() + ": " + image.get(e.getKey()) + " and " + e.getValue(),
                                text);
                        break;
                    }
                }
                if (strict) {
                    fail("row " + key + " version " + version + " arrived again (a change delivered twice?)", text);
                }
            }
        }
        newestVersion.put(key, version);
        newestImage.put(key, row);
    }

    private void checkWindow(String text) {
        if (shape.limit() != null && held.size() > shape.limit()) {
            fail("window holds " + held.size() + " rows, limit " + shape.limit(), text);
        }
    }

    /** The changes of one transaction came in more than one frame (guarantee 5). */
    private void split(long tx, String text) {
        String what = "transaction " + tx + " came in more than one frame";
        if (splitTransactionsFail) {
            fail(what, text);
        } else {
            violations.tolerate(
                    TX_FRAMES, label + " " + id + ": " + what + "; frame " + text + "; after " + recent.peekLast());
        }
    }

    private void fail(String what, String frame) {
        violations.add(label + " " + id + " " + shape.describe("t"), what, frame, List.copyOf(recent));
    }

    private void note(String text) {
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(text);
    }

    private static String shorten(String text) {
        return text.length() <= 700 ? text : text.substring(0, 700) + "…(" + text.length() + " chars)";
    }

    /** Why the rows held differ from {@code expected}, or null when they are equal. */
    String difference(Map<Long, Map<String, Object>> expected) {
        if (state != State.LIVE) {
            return label + " " + id + " is " + state;
        }
        if (held.equals(expected)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, Map<String, Object>> e : expected.entrySet()) {
            Map<String, Object> got = held.get(e.getKey());
            if (got == null) {
                out.add("missing " + e.getValue());
            } else if (!got.equals(e.getValue())) {
                out.add("has " + got + " instead of " + e.getValue());
            }
        }
        for (Long key : held.keySet()) {
            if (!expected.containsKey(key)) {
                out.add("extra " + held.get(key));
            }
        }
        return label + " " + id + " " + shape.describe("t") + ": "
                + String.join("; ", out.subList(0, Math.min(5, out.size())))
                + (out.size() > 5 ? " (+" + (out.size() - 5) + " more)" : "");
    }
}
