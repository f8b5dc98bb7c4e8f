package io.undercurrent.server.e2e.chaos;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The rules folder every server process watches, and proof that each one runs what was written last.
 *
 * <p>A process's {@code /health} shows how many rules it runs, not which. So every edit of a file
 * also adds or removes a marker rule (for a table that does not exist) in the same file: the rule
 * count then differs between an edit and the one before it, and a process shows the expected count
 * only once it runs the latest content. Files are replaced atomically, so no process reads half a file.
 */
final class RulesFolder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Map<String, Integer> ruleCounts = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    RulesFolder(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** Replaces {@code file} with {@code text}, which holds {@code rules} rules. */
    synchronized void write(String file, String text, int rules) throws IOException {
        Path staged = directory.resolve("." + file + ".tmp"); // dot-files are not rule files
        Files.writeString(staged, text);
        Files.move(
                staged, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ruleCounts.put(file, rules);
    }

    synchronized int expectedRuleCount() {
        return ruleCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Waits until every process {@code healthUrls} names runs the folder as last written. */
    void awaitLoaded(Supplier<List<String>> healthUrls, Duration timeout) {
        int expected = expectedRuleCount();
        await("every process runs " + expected + " rules")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    for (String url : healthUrls.get()) {
                        JsonNode rules = health(url).path("rules");
                        if (rules.path("rules").asInt(-1) != expected
                                || !"loaded".equals(rules.path("outcome").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private JsonNode health(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
