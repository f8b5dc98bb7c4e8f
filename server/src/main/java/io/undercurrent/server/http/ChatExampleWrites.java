package io.undercurrent.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.edge.ClientTokens;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /example/chat/messages} with {@code {"group_id":1,"body":"hi"}} and the sender's token in
 * {@code Authorization: Bearer}: the write endpoint of examples/chat-web. Undercurrent only reads; an
 * app writes to its own database through its own backend, and this is the smallest such backend: it
 * inserts the message as the token's {@code sub} when that user is a member of the group (403
 * otherwise), and the message then reaches every reader through the change stream like any other
 * row. Mounted only in the embedded default, next to {@code /dev/token}. Blocking, so it runs on a
 * worker thread; thread-safe.
 */
public final class ChatExampleWrites implements HttpHandler {

    /** Where it is mounted. */
    public static final String PATH = "/example/chat/messages";
    /** The longest message body, in characters. */
    static final int MAX_BODY_CHARS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(ChatExampleWrites.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUEST_BYTES = 4 * MAX_BODY_CHARS + 256;
    private static final String INSERT = """
            insert into public.messages (group_id, author_id, author_email, body)
            select ?, ?, ?, ?
            where exists (select 1 from public.memberships where group_id = ? and user_id = ?)
            returning id""";

    /** Opens a connection to the database the example's tables are in. */
    @FunctionalInterface
    public interface Database {
        Connection connect() throws SQLException;
    }

    private final ClientTokens tokens;
    private final Database database;

    /**
     * @param tokens   verifies the sender's token, as the edge does
     * @param database where public.messages and public.memberships are
     */
    public ChatExampleWrites(ClientTokens tokens, Database database) {
        this.tokens = tokens;
        this.database = database;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            answer(exchange, 405, Map.of("error", "use POST"));
            return;
        }
        Optional<String> sender = sender(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        if (sender.isEmpty()) {
            answer(exchange, 401, Map.of("error", "send a valid token (from /dev/token) in Authorization: Bearer"));
            return;
        }
        JsonNode request;
        try {
            request = read(exchange);
        } catch (IOException e) {
            answer(exchange, 400, Map.of("error", "the body must be JSON: {\"group_id\": 1, \"body\": \"hi\"}"));
            return;
        }
        JsonNode groupId = request.path("group_id");
        String body = request.path("body").asText("").strip();
        if (!groupId.canConvertToLong() || body.isEmpty() || body.length() > MAX_BODY_CHARS) {
            answer(
                    exchange,
                    400,
                    Map.of(
                            "error",
                            "group_id must be a number and body 1 to " + MAX_BODY_CHARS + " characters of text"));
            return;
        }
        insert(exchange, groupId.asLong(), sender.get(), body);
    }

    private Optional<String> sender(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return tokens.claims(authorization.substring(7).trim())
                .map(claims -> claims.get("sub"))
                .filter(String.class::isInstance)
                .map(String.class::cast);
    }

    private static JsonNode read(HttpServerExchange exchange) throws IOException {
        exchange.startBlocking();
        try (InputStream in = exchange.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
            if (bytes.length > MAX_REQUEST_BYTES) {
                throw new IOException("request body too large");
            }
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        }
    }

    private void insert(HttpServerExchange exchange, long groupId, String sender, String body) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setLong(1, groupId);
            statement.setString(2, sender);
            statement.setString(3, sender + "@example.com");
            statement.setString(4, body);
            statement.setLong(5, groupId);
            statement.setString(6, sender);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    answer(exchange, 201, Map.of("id", rows.getLong(1)));
                } else {
                    answer(exchange, 403, Map.of("error", sender + " is not a member of group " + groupId));
                }
            }
        } catch (SQLException e) {
            LOG.warn("chat example: could not insert a message into group {}: {}", groupId, e.getMessage());
            answer(exchange, 500, Map.of("error", "the database refused the message: " + e.getMessage()));
        }
    }

    private static void answer(HttpServerExchange exchange, int status, Map<String, Object> body) {
        ObjectNode node = JSON.valueToTree(body);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(node.toString());
    }
}
