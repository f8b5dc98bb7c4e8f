package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/** A file's text with its line starts, to turn offsets and YAML marks into file:line:col. */
final class SourceText {

    private final Path file;
    private final String text;
    private final int[] lineStarts;

    SourceText(Path file, String text) {
        this.file = file;
        this.text = text;
        int[] starts = new int[16];
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'));
            if (lineBreak) {
                if (lines == starts.length) {
                    starts = Arrays.copyOf(starts, lines * 2);
                }
                starts[lines++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, lines);
    }

    /**
     * The text of a rule or rule test file, or null after adding a problem: the file cannot be read,
     * is not UTF-8, or is larger than {@link YamlLimits#MAX_FILE_BYTES} (then it is not read at all).
     */
    static SourceText load(Path file, List<RuleProblem> problems) {
        try {
            SourceText source = read(file);
            if (source == null) {
                problems.add(new RuleProblem(
                        file,
                        0,
                        0,
                        "the file is " + Files.size(file) + " bytes, more than the " + YamlLimits.MAX_FILE_BYTES
                                + " (1 MiB) a rule or test file may have; split it into several files"));
            }
            return source;
        } catch (IOException e) {
            problems.add(new RuleProblem(
                    file,
                    0,
                    0,
                    "cannot read the file ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")"));
            return null;
        }
    }

    /** Reads a UTF-8 file (a leading byte-order mark is dropped); null when it is too large. */
    static SourceText read(Path file) throws IOException {
        byte[] bytes;
        // Bounded even if the file grows after a size check: a rules folder is no place for megabytes.
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(YamlLimits.MAX_FILE_BYTES + 1);
        }
        if (bytes.length > YamlLimits.MAX_FILE_BYTES) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new SourceText(file, text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (CharacterCodingException e) {
            throw new IOException("not valid UTF-8 text; save the file as UTF-8", e);
        }
    }

    Path file() {
        return file;
    }

    String text() {
        return text;
    }

    /** The char offset of a SnakeYAML mark (0-based line, column counted in code points). */
    int offsetOf(Mark mark) {
        int line = Math.min(mark.getLine(), lineStarts.length - 1);
        int offset = lineStarts[line];
        for (int column = 0; column < mark.getColumn() && offset < text.length(); column++) {
            offset += Character.charCount(text.codePointAt(offset));
        }
        return Math.min(offset, text.length());
    }

    RuleProblem problemAt(int offset, String message) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        int index = Arrays.binarySearch(lineStarts, clamped);
        int line = index >= 0 ? index : -index - 2;
        int column = text.codePointCount(lineStarts[line], clamped) + 1;
        return new RuleProblem(file, line + 1, column, message);
    }

    RuleProblem problemAt(Mark mark, String message) {
        return problemAt(offsetOf(mark), message);
    }

    /** {@code file:line:col} of an offset, for messages and explain. */
    String locate(int offset) {
        RuleProblem at = problemAt(offset, "");
        return at.file() + ":" + at.line() + ":" + at.column();
    }
}
