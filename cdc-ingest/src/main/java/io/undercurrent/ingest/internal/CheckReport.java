package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.MisconfiguredSourceException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the start-up checks of one source found: problems that stop capture (all of them, not just
 * the first, each with what to do) and warnings that the user should hear at every start.
 */
final class CheckReport {

    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    CheckReport(String source) {
        this.source = source;
    }

    void problem(String text) {
        problems.add(text);
    }

    void warning(String text) {
        warnings.add(text);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** @throws MisconfiguredSourceException naming every problem, when there is one */
    List<String> warningsOrThrow() {
        if (!problems.isEmpty()) {
            StringBuilder text = new StringBuilder("source '" + source + "' is not set up for change capture ("
                    + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):");
            for (int i = 0; i < problems.size(); i++) {
                text.append(' ').append(i + 1).append(") ").append(problems.get(i));
            }
            throw new MisconfiguredSourceException(text.toString());
        }
        return warnings();
    }
}
