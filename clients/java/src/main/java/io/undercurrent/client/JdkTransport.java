package io.undercurrent.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The JDK's java.net.http WebSocket. */
final class JdkTransport implements Transport {

    private final HttpClient http;

    JdkTransport(HttpClient http) {
        this.http = http;
    }

    @Override
    public CompletableFuture<Void> open(URI uri, Duration connectTimeout, Events events) {
        return http.newWebSocketBuilder()
                .connectTimeout(connectTimeout)
                .buildAsync(uri, new Listener(events))
                .thenApply(ws -> null);
    }

    /** java.net.http allows one outstanding send at a time, so sends are chained. */
    private static final class JdkChannel implements Channel {
        private final WebSocket ws;
        private CompletableFuture<WebSocket> last;

        JdkChannel(WebSocket ws) {
            this.ws = ws;
            this.last = CompletableFuture.completedFuture(ws);
        }

        @Override
        public void send(String text) {
            last = last.thenCompose(w -> w.sendText(text, true));
        }

        @Override
        public void close(int code, String reason) {
            last = last.thenCompose(w -> w.sendClose(code, reason));
            last.whenComplete((w, error) -> ws.abort());
        }

        @Override
        public void abort() {
            ws.abort();
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final Events events;
        private final StringBuilder partial = new StringBuilder();

        Listener(Events events) {
            this.events = events;
        }

        @Override
        public void onOpen(WebSocket ws) {
            events.opened(new JdkChannel(ws));
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                events.text(text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.closed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.failed(error);
        }
    }
}
