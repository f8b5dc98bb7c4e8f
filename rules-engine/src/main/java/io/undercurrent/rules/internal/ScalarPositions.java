package io.undercurrent.rules.internal;

import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Maps each character of a YAML scalar's value back to its offset in the file, so that a problem at
 * character 14 of an expression is reported at the right line and column whatever the quoting
 * (plain, 'single', "double" with escapes, or a | or > block spread over lines).
 *
 * <p>Walks value and source together: a value character matches the same source character, or an
 * escape sequence starting there; source whitespace, quotes and block headers that folding removed
 * are skipped. If the two ever disagree, the rest maps to the last good position, which is still
 * inside the scalar.
 */
final class ScalarPositions {

    private final SourceText source;
    private final int[] offsets;

    private ScalarPositions(SourceText source, int[] offsets) {
        this.source = source;
        this.offsets = offsets;
    }

    static ScalarPositions of(SourceText source, ScalarNode node) {
        String value = node.getValue();
        String text = source.text();
        int end = source.offsetOf(node.getEndMark());
        int at = start(text, source.offsetOf(node.getStartMark()), end, node.getScalarStyle());
        ScalarStyle style = node.getScalarStyle();
        int[] offsets = new int[value.length() + 1];
        int i = 0;
        while (i < value.length()) {
            char wanted = value.charAt(i);
            int found = -1;
            int length = 1;
            while (at < end) {
                char c = text.charAt(at);
                if (style == ScalarStyle.DOUBLE_QUOTED && c == '\\') {
                    length = escapeLength(text, at, end);
                    if (length < 0) {
                        at += -length;
                        continue;
                    }
                    found = at;
                    break;
                }
                if (style == ScalarStyle.SINGLE_QUOTED && c == '\'' && at + 1 < end && text.charAt(at + 1) == '\'') {
                    length = 2;
                    found = wanted == '\'' ? at : -1;
                    break;
                }
                if (c == wanted || (wanted == ' ' || wanted == '\n') && (c == '\n' || c == '\r')) {
                    found = at;
                    break;
                }
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                at++;
            }
            if (found < 0) {
                int last = i == 0 ? Math.min(at, end) : offsets[i - 1];
                for (; i <= value.length(); i++) {
                    offsets[i] = last;
                }
                return new ScalarPositions(source, offsets);
            }
            offsets[i++] = found;
            if (Character.isHighSurrogate(wanted) && i < value.length() && length == 1) {
                offsets[i++] = found;
                length = 2;
            }
            at = found + length;
        }
        offsets[value.length()] = Math.min(at, end);
        return new ScalarPositions(source, offsets);
    }

    /** Where the value's first character can start: after the quote, or after a block header line. */
    private static int start(String text, int start, int end, ScalarStyle style) {
        switch (style) {
            case SINGLE_QUOTED:
            case DOUBLE_QUOTED:
                return start + 1;
            case LITERAL:
            case FOLDED:
                int newline = text.indexOf('\n', start);
                return newline < 0 || newline > end ? start : newline + 1;
            default:
                return start;
        }
    }

    /**
     * Length of the escape at {@code at}; negative (minus the length to skip) for an escaped line
     * break, which yields no character.
     */
    private static int escapeLength(String text, int at, int end) {
        char next = at + 1 < end ? text.charAt(at + 1) : 0;
        switch (next) {
            case 'x':
                return 4;
            case 'u':
                return 6;
            case 'U':
                return 10;
            case '\r':
            case '\n':
                int skip = 2;
                while (at + skip < end
                        && (text.charAt(at + skip) == ' '
                                || text.charAt(at + skip) == '\t'
                                || text.charAt(at + skip) == '\n')) {
                    skip++;
                }
                return -skip;
            default:
                return 2;
        }
    }

    /** File offset of value character {@code index} (index == length means just after the value). */
    int offset(int index) {
        return offsets[Math.max(0, Math.min(index, offsets.length - 1))];
    }

    ProblemSink sink(java.util.List<io.undercurrent.rules.RuleProblem> into) {
        return (offset, message) -> into.add(source.problemAt(offset(offset), message));
    }

    String locate(int index) {
        return source.locate(offset(index));
    }
}
