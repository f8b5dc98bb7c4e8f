package io.undercurrent.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value types settings use. Each says what a valid value looks like when it fails. */
public final class Parsers {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib)?", Pattern.CASE_INSENSITIVE);

    private Parsers() {}

    public static Setting.Parser<String> string() {
        return raw -> {
            if (raw instanceof List || raw instanceof java.util.Map) {
                throw new IllegalArgumentException("expected a single value");
            }
            return String.valueOf(raw);
        };
    }

    public static Setting.Parser<String> matching(String regex, String what) {
        Pattern p = Pattern.compile(regex);
        return raw -> {
            String s = string().parse(raw);
            if (!p.matcher(s).matches()) {
                throw new IllegalArgumentException("expected " + what);
            }
            return s;
        };
    }

    public static Setting.Parser<Boolean> bool() {
        return raw -> {
            String s = String.valueOf(raw).trim().toLowerCase(Locale.ROOT);
            return switch (s) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new IllegalArgumentException("expected true or false");
            };
        };
    }

    public static Setting.Parser<Integer> integer(int min, int max) {
        return raw -> {
            int value;
            try {
                value = Integer.parseInt(String.valueOf(raw).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            return value;
        };
    }

    public static Setting.Parser<Duration> duration(Duration min, Duration max) {
        return raw -> {
            Matcher m = DURATION.matcher(String.valueOf(raw).trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(
                        "expected a duration from " + min.toMillis() + "ms to " + max.toSeconds() + "s");
            }
            return d;
        };
    }

    public static Setting.Parser<Long> bytes(long min, long max) {
        return raw -> {
            Matcher m = SIZE.matcher(String.valueOf(raw).trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a size such as 65536, 64KiB or 8MiB");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            long value = switch (unit) {
                case "kib" -> n * 1024;
                case "mib" -> n * 1024 * 1024;
                case "gib" -> n * 1024 * 1024 * 1024;
                default -> n;
            };
            if (value < min || value > max) {
                throw new IllegalArgumentException("expected a size from " + min + " to " + max + " bytes");
            }
            return value;
        };
    }

    /** A list from YAML, or a comma-separated string from the environment. */
    public static Setting.Parser<List<String>> list() {
        return raw -> {
            List<String> out = new ArrayList<>();
            if (raw instanceof List<?> items) {
                items.forEach(i -> out.add(String.valueOf(i)));
            } else {
                for (String part : String.valueOf(raw).split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
            return List.copyOf(out);
        };
    }

    public static <E extends Enum<E>> Setting.Parser<E> oneOf(Class<E> type) {
        return raw -> {
            String s = String.valueOf(raw).trim().toUpperCase(Locale.ROOT);
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                List<String> names = new ArrayList<>();
                for (E c : type.getEnumConstants()) {
                    names.add(c.name().toLowerCase(Locale.ROOT));
                }
                throw new IllegalArgumentException("expected one of " + String.join(", ", names));
            }
        };
    }
}
