package io.undercurrent.rules.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * What the rule files of a folder look like right now: name, size, modification time and, for files
 * modified in the last {@value #RACY_MILLIS} ms, a hash of the content. Some file systems keep
 * modification times to the second (or two), so a quick rewrite of the same size can keep its time;
 * hashing only such "racily clean" files (as git does for its index) catches that without re-reading
 * every file on every poll.
 */
final class Fingerprint {

    static final long RACY_MILLIS = 3_000;

    private final Map<String, Entry> files;

    private Fingerprint(Map<String, Entry> files) {
        this.files = files;
    }

    private record Entry(long size, long modifiedNanos, long hash) {}

    static Fingerprint take(Path directory) throws IOException {
        long now = System.currentTimeMillis();
        Map<String, Entry> files = new LinkedHashMap<>();
        for (Path file : RulesLoader.ruleFiles(directory)) {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (java.nio.file.NoSuchFileException vanished) {
                continue;
            }
            long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            boolean racy = Math.abs(now - TimeUnit.NANOSECONDS.toMillis(modified)) < RACY_MILLIS;
            // A file too large to load is refused whatever its content; hashing it on every poll would
            // only re-read the megabytes the loader refuses to read.
            boolean hashed = racy && attributes.size() <= YamlLimits.MAX_FILE_BYTES;
            files.put(file.getFileName().toString(), new Entry(attributes.size(), modified, hashed ? hash(file) : 0));
        }
        return new Fingerprint(files);
    }

    private static long hash(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try {
            crc.update(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException vanished) {
            return -1;
        }
        return crc.getValue() + 1;
    }

    /** Same files, sizes and times; content hashes are compared only where both sides have one. */
    boolean sameAs(Fingerprint other) {
        if (other == null || !files.keySet().equals(other.files.keySet())) {
            return false;
        }
        for (Map.Entry<String, Entry> mine : files.entrySet()) {
            Entry theirs = other.files.get(mine.getKey());
            Entry entry = mine.getValue();
            if (entry.size() != theirs.size() || entry.modifiedNanos() != theirs.modifiedNanos()) {
                return false;
            }
            if (entry.hash() != 0 && theirs.hash() != 0 && entry.hash() != theirs.hash()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint fingerprint && files.equals(fingerprint.files);
    }

    @Override
    public int hashCode() {
        return Objects.hash(files);
    }

    @Override
    public String toString() {
        return files.toString();
    }
}
