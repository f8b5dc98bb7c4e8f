package io.undercurrent.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Deliveries as the server counts them: {@code undercurrent_commit_to_client_seconds_count} from its
 * {@code /metrics}, one observation per transaction a frame carries, per client, once the edge wrote the
 * frame to the client's socket. With single-row transactions (the steady modes) that is one per row
 * and client, the clients' own count; read before and after a window, its difference is what the
 * server delivered in it, whoever counts the arrivals.
 */
final class ServerCount {

    static final String METRIC = "undercurrent_commit_to_client_seconds_count";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI metrics;

    /** @param live the server's WebSocket URL; its HTTP port serves {@code /metrics} */
    ServerCount(URI live) {
        this.metrics = URI.create("http://" + live.getHost() + ":" + live.getPort() + "/metrics");
    }

    /** The count now; -1 when the server did not answer or does not have the metric (the report then says so). */
    long read() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The metric's value in a Prometheus text exposition, or -1 when it is absent. */
    static long parse(String exposition) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(METRIC + " ") || line.startsWith(METRIC + "{")) {
                String value = line.substring(line.lastIndexOf(' ') + 1).trim();
                return (long) Double.parseDouble(value);
            }
        }
        return -1;
    }
}
