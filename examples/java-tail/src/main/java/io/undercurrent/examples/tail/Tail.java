package io.undercurrent.examples.tail;

import io.undercurrent.client.Change;
import io.undercurrent.client.LiveQueryListener;
import io.undercurrent.client.Query;
import io.undercurrent.client.UndercurrentClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar java-tail.jar [table] [server] [user]}: prints the rows of a table that {@code user}
 * may read, then every change to them as it is committed, until Ctrl-C. Defaults: {@code public.todos},
 * {@code http://localhost:8080} (the embedded default), {@code root} as an admin. Tokens come from the
 * embedded default's development endpoint, asked again before each one expires.
 */
public final class Tail {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private Tail() {}

    public static void main(String[] args) throws InterruptedException {
        String table = args.length > 0 ? args[0] : "public.todos";
        String server = args.length > 1 ? args[1] : "http://localhost:8080";
        String user = args.length > 2 ? args[2] : "root";
        HttpClient http = HttpClient.newHttpClient();

        UndercurrentClient client = UndercurrentClient.builder(
                        URI.create(server.replaceFirst("^http", "ws") + "/v1/live"))
                .tokenSupplier(() -> devToken(http, server, user))
                .connectionListener(s -> System.out.println("connection: " + s.state()
                        + (s.closeCode() == null ? "" : " (close " + s.closeCode() + ")")
                        + (s.retryIn() == null
                                ? ""
                                : ", next attempt in " + s.retryIn().toMillis() + " ms")))
                .errorListener(e -> System.out.println("error: " + e.code() + ": " + e.message()))
                .build();
        client.subscribe(Query.table(table), new LiveQueryListener<>() {
            @Override
            public void onSnapshot(List<Map<String, Object>> rows) {
                System.out.println(table + ": " + rows.size() + " rows");
                rows.forEach(row -> System.out.println("  " + row));
            }

            @Override
            public void onChanges(List<Change<Map<String, Object>>> changes) {
                changes.forEach(c -> System.out.println(c.op().name().toLowerCase(java.util.Locale.ROOT) + " " + c.key()
                        + (c.row() == null ? "" : " " + c.row())));
            }

            @Override
            public void onReset(String reason) {
                System.out.println("reset: " + reason);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** A token from the embedded default's development endpoint (admins see every row). */
    private static String devToken(HttpClient http, String server, String user) throws Exception {
        String role = "root".equals(user) ? "admin" : "user";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server + "/dev/token?sub=" + user + "&role=" + role))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException(
                    "no development token from " + server + "/dev/token (status " + response.statusCode()
                            + "): run the server's embedded default, or give this example a token of your own");
        }
        return token.group(1);
    }
}
