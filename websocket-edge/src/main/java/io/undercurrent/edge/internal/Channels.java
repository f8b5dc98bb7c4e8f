package io.undercurrent.edge.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.bus.channel.PresenceRecord;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.edge.ChannelSettings;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.rules.ChannelAccess;
import io.undercurrent.rules.RuleSet;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the channel frames of every connection: {@code join}, {@code publish}, {@code leave}. Judges
 * each by the channel rules, limits each connection's rate, message size and channels, keeps this
 * node's {@link Presence} and tells the other nodes through the {@link ChannelPublisher}. Frames of
 * one connection arrive one at a time (its IO thread); its close runs on a worker. Thread-safe.
 */
final class Channels {

    private static final Logger LOG = LoggerFactory.getLogger(Channels.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One connection's channels. Its frames are handled one at a time, so only close races with them. */
    private static final class Session {
        final String client = newClientId();
        final RateLimiter limiter;
        /** channel → this client's presence info there. */
        final Map<String, Map<String, Object>> joined = new ConcurrentHashMap<>();

        Session(RateLimiter limiter) {
            this.limiter = limiter;
        }
    }

    private final ChannelSettings settings;
    private final String node;
    private final ServerFrames frames;
    private final Supplier<RuleSet> rules;
    private final Presence presence;
    private final ChannelPublisher bus;
    private final Clock clock;
    private final ObjectMapper json = ChangeEventCodec.canonicalMapper();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Channels(
            ChannelSettings settings,
            String node,
            ServerFrames frames,
            Supplier<RuleSet> rules,
            Presence presence,
            ChannelPublisher bus,
            Clock clock) {
        this.settings = settings;
        this.node = node;
        this.frames = frames;
        this.rules = rules;
        this.presence = presence;
        this.bus = bus;
        this.clock = clock;
    }

    void join(ClientConnection connection, ClientFrame.Join join) throws ProtocolException {
        Session session = session(connection);
        String channel = join.channel();
        if (session.joined.containsKey(channel)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, join.id(), "already in channel " + channel);
        }
        if (session.joined.size() >= settings.maxJoined()) {
            throw new ProtocolException(
                    ErrorCode.LIMIT_EXCEEDED,
                    join.id(),
                    "a connection may be in at most " + settings.maxJoined() + " channels (channel.max-joined);"
                            + " leave one first");
        }
        admit(session, join.id());
        long now = clock.millis();
        ChannelAccess access = rules.get().channel(channel, connection.claims(), now);
        if (!access.join()) {
            throw new ProtocolException(
                    ErrorCode.FORBIDDEN,
                    join.id(),
                    access.rule() == null
                            ? "no channel rule covers " + channel + ", so nobody may join it (default deny)"
                            : "the channel rule at " + access.rule() + " does not let this client join " + channel);
        }
        Map<String, Object> info = info(connection.claims(), access.presenceClaims());
        session.joined.put(channel, info);
        presence.join(
                channel,
                session.client,
                info,
                connection.outbox(),
                present -> frames.joined(join.id(), channel, session.client, present));
        bus.join(new PresenceRecord(node, session.client, channel, info, now)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("could not announce a join of {} to other edges: {}", channel, error.toString());
                if (session.joined.remove(channel, info)) {
                    presence.leave(channel, session.client);
                    connection.outbox().send(frames.left(null, channel, "the edge could not share the presence"));
                    connection
                            .outbox()
                            .send(frames.error(
                                    join.id(),
                                    ErrorCode.INTERNAL,
                                    "Kafka refused the join of " + channel + "; join again later"));
                }
            }
        });
    }

    void publish(ClientConnection connection, ClientFrame.Publish publish) throws ProtocolException {
        Session session = session(connection);
        String channel = publish.channel();
        Map<String, Object> info = session.joined.get(channel);
        if (info == null) {
            throw new ProtocolException(
                    ErrorCode.BAD_REQUEST, publish.id(), "join channel " + channel + " before publishing to it");
        }
        int size = size(publish);
        if (size > settings.maxMessageBytes()) {
            throw new ProtocolException(
                    ErrorCode.LIMIT_EXCEEDED,
                    publish.id(),
                    "data is " + size + " bytes; at most " + settings.maxMessageBytes()
                            + " are sent to a channel (channel.max-message-bytes)");
        }
        admit(session, publish.id());
        long now = clock.millis();
        ChannelAccess access = rules.get().channel(channel, connection.claims(), now);
        if (!access.publish()) {
            throw new ProtocolException(
                    ErrorCode.FORBIDDEN,
                    publish.id(),
                    access.rule() == null
                            ? "no channel rule covers " + channel + ", so nobody may publish to it"
                            : "the channel rule at " + access.rule() + " does not let this client publish to "
                                    + channel);
        }
        bus.publish(new ChannelMessage(node, session.client, channel, info, publish.data(), now))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        connection
                                .outbox()
                                .send(frames.error(
                                        publish.id(),
                                        ErrorCode.INTERNAL,
                                        "Kafka refused the message; publish again later"));
                    } else if (publish.id() != null) {
                        connection.outbox().send(frames.published(publish.id(), channel));
                    }
                });
    }

    void leave(ClientConnection connection, ClientFrame.Leave leave) throws ProtocolException {
        Session session = sessions.get(connection.id());
        if (session == null || session.joined.remove(leave.channel()) == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, leave.id(), "not in channel " + leave.channel());
        }
        withdraw(session, leave.channel());
        connection.outbox().send(frames.left(leave.id(), leave.channel(), null));
    }

    /**
     * The connection's token now names someone else: a channel it may no longer join, or where others
     * would see other claims, is left, and the client told why.
     */
    void identityChanged(ClientConnection connection) {
        Session session = sessions.get(connection.id());
        if (session == null) {
            return;
        }
        long now = clock.millis();
        for (Map.Entry<String, Map<String, Object>> entry : List.copyOf(session.joined.entrySet())) {
            ChannelAccess access = rules.get().channel(entry.getKey(), connection.claims(), now);
            if (!access.join()
                    || !info(connection.claims(), access.presenceClaims()).equals(entry.getValue())) {
                session.joined.remove(entry.getKey());
                withdraw(session, entry.getKey());
                connection.outbox().send(frames.left(null, entry.getKey(), "token changed; join again"));
            }
        }
    }

    /** The connection closed: it leaves every channel. */
    void closeAll(ClientConnection connection) {
        Session session = sessions.remove(connection.id());
        if (session == null) {
            return;
        }
        for (String channel : List.copyOf(session.joined.keySet())) {
            session.joined.remove(channel);
            withdraw(session, channel);
        }
    }

    private void withdraw(Session session, String channel) {
        presence.leave(channel, session.client);
        bus.leave(new PresenceKey.Member(node, session.client, channel)).whenComplete((ok, error) -> {
            if (error != null) {
                // Other edges drop this client when this node stops heartbeating, or never hear of it again.
                LOG.warn("could not tell other edges that a client left {}: {}", channel, error.toString());
            }
        });
    }

    private Session session(ClientConnection connection) {
        return sessions.computeIfAbsent(
                connection.id(), id -> new Session(new RateLimiter(settings.actionsPerSecond(), clock.millis())));
    }

    private void admit(Session session, String id) throws ProtocolException {
        boolean admitted;
        synchronized (session) {
            admitted = session.limiter.tryAcquire(clock.millis());
        }
        if (!admitted) {
            throw new ProtocolException(
                    ErrorCode.RATE_LIMITED,
                    id,
                    "more than " + settings.actionsPerSecond()
                            + " joins and publishes per second (channel.actions-per-second); slow down");
        }
    }

    private int size(ClientFrame.Publish publish) throws ProtocolException {
        try {
            return json.writeValueAsBytes(publish.data()).length;
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, publish.id(), "data cannot be written as JSON");
        }
    }

    /** Only the claims the rule lists, in its order; a claim the token lacks is left out. */
    private static Map<String, Object> info(Map<String, Object> claims, List<String> shown) {
        Map<String, Object> info = new LinkedHashMap<>();
        if (claims != null) {
            for (String claim : shown) {
                Object value = claims.get(claim);
                if (value != null) {
                    info.put(claim, value);
                }
            }
        }
        return info;
    }

    private static String newClientId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
