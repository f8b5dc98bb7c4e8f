package io.undercurrent.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client holds of a live query over a table whose rows carry a {@code version} column that
 * every update increments, checked at every frame: a row never comes back at a version the client
 * already saw (a duplicate) or an older one (a regression), even after it was removed from the
 * client's view, and each operation matches what the client holds.
 */
final class VersionedView {

    private final Map<Long, Long> held = new HashMap<>();
    private final Map<Long, Long> highest = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int frames;

    void apply(JsonNode frame) {
        frames++;
        switch (frame.path("type").asText()) {
            case "snapshot" -> snapshot(frame);
            case "changes" -> frame.path("changes").forEach(this::change);
            case "reset" -> held.clear();
            case "error" -> violations.add("error frame: " + frame);
            default -> {}
        }
    }

    private void snapshot(JsonNode frame) {
        held.clear();
        for (JsonNode row : frame.path("rows")) {
            long id = row.path("id").asLong();
            long version = row.path("version").asLong();
            Long seen = highest.get(id);
            if (seen != null && version < seen) {
                violations.add("snapshot row " + id + " at v" + version + " after v" + seen + " was seen");
            }
            held.put(id, version);
            highest.merge(id, version, Math::max);
        }
    }

    private void change(JsonNode change) {
        long id = change.path("key").path("id").asLong();
        String op = change.path("op").asText();
        if ("removed".equals(op)) {
            if (held.remove(id) == null) {
                violations.add("removed a row not held: " + change);
            }
            return;
        }
        long version = change.path("row").path("version").asLong();
        Long seen = highest.get(id);
        if (seen != null && version == seen) {
            violations.add("the same change twice (frame " + frames + "): " + change);
        } else if (seen != null && version < seen) {
            violations.add("row went back from v" + seen + " (frame " + frames + "): " + change);
        }
        if ("added".equals(op) && held.containsKey(id)) {
            violations.add("added a row already held: " + change);
        } else if ("changed".equals(op) && !held.containsKey(id)) {
            violations.add("changed a row not held: " + change);
        }
        held.put(id, version);
        highest.merge(id, version, Math::max);
    }

    /** Row id to version, as the client holds them. */
    Map<Long, Long> held() {
        return held;
    }

    List<String> violations() {
        return violations;
    }
}
