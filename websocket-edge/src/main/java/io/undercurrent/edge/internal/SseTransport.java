package io.undercurrent.edge.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.edge.protocol.CloseCode;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An outbox's stream of Server-Sent Events: each frame one event named by its {@code type}
 * ({@code snapshot}, {@code changes}, {@code resumed}, {@code reset}, {@code error}) with the frame as
 * its data and, for frames with a {@code position}, that position as the event's {@code id}, so a
 * browser's {@code EventSource} reconnecting with {@code Last-Event-ID} resumes exactly. A close is
 * a {@code close} event with the code and reason, then the end of the response.
 */
final class SseTransport implements Transport {

    private static final ObjectMapper JSON = ChangeEventCodec.canonicalMapper();

    private final ServerSentEventConnection connection;

    SseTransport(ServerSentEventConnection connection) {
        this.connection = connection;
    }

    @Override
    public void send(String frame, Consumer<Throwable> done) {
        String event;
        String id;
        try {
            JsonNode node = JSON.readTree(frame);
            event = node.path("type").asText("message");
            id = node.hasNonNull("position") ? node.get("position").asText() : null;
        } catch (IOException e) {
            done.accept(e);
            return;
        }
        connection.send(frame, event, id, new ServerSentEventConnection.EventCallback() {
            @Override
            public void done(ServerSentEventConnection c, String data, String ev, String eventId) {
                done.accept(null);
            }

            @Override
            public void failed(ServerSentEventConnection c, String data, String ev, String eventId, IOException e) {
                done.accept(e);
            }
        });
    }

    @Override
    public void close(CloseCode code, String reason) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "close");
        frame.put("code", code.code());
        frame.put("reason", reason);
        String text;
        try {
            text = JSON.writeValueAsString(frame);
        } catch (IOException e) {
            text = "{\"type\":\"close\",\"code\":" + code.code() + "}";
        }
        connection.send(text, "close", null, new ServerSentEventConnection.EventCallback() {
            @Override
            public void done(ServerSentEventConnection c, String data, String ev, String eventId) {
                c.shutdown();
            }

            @Override
            public void failed(ServerSentEventConnection c, String data, String ev, String eventId, IOException e) {
                c.shutdown();
            }
        });
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void onClose(Runnable task) {
        connection.addCloseTask(c -> task.run());
    }

    @Override
    public Object peer() {
        return connection.getRequestURI();
    }
}
