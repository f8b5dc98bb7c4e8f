package io.undercurrent.rules;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with a rule file (or a rule test file), where it is and what to do.
 *
 * @param file the file, or the rules directory for a problem with the directory itself; never null
 * @param line 1-based line, or 0 when the problem concerns the whole file or directory
 * @param column 1-based column in characters (code points), or 0 with {@code line} 0
 * @param message what is wrong, and usually how to fix it; never null
 */
public record RuleProblem(Path file, int line, int column, String message) {

    public RuleProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:col: message}, or {@code file: message} when there is no line. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
    }
}
