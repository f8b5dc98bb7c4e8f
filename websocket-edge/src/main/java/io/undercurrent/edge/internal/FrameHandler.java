package io.undercurrent.edge.internal;

import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.CloseCode;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.FrameParser;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Handles one client frame. Every bad frame is answered with an error frame and the connection stays
 * open; only a client that keeps sending too fast is disconnected. Runs on the connection's IO thread
 * and never blocks: anything slow is handed to {@link LiveQueries}. Thread-safe.
 */
final class FrameHandler {

    /** Claims that change on every refresh without changing who the client is. */
    private static final Set<String> VOLATILE_CLAIMS = Set.of("exp", "iat", "nbf", "jti");

    private static final int RATE_STRIKES_BEFORE_CLOSE = 100;

    private final EdgeSettings settings;
    private final FrameParser parser = new FrameParser();
    private final ServerFrames frames;
    private final TokenVerifier verifier;
    private final LiveQueries liveQueries;
    private final TokenExpiry expiry;
    private final Clock clock;
    private final Channels channels;

    /** A handler without channels: channel frames are refused. */
    FrameHandler(
            EdgeSettings settings,
            ServerFrames frames,
            TokenVerifier verifier,
            LiveQueries liveQueries,
            TokenExpiry expiry,
            Clock clock) {
        this(settings, frames, verifier, liveQueries, expiry, clock, null);
    }

    /** @param channels serves join, publish and leave; null refuses them */
    FrameHandler(
            EdgeSettings settings,
            ServerFrames frames,
            TokenVerifier verifier,
            LiveQueries liveQueries,
            TokenExpiry expiry,
            Clock clock,
            Channels channels) {
        this.channels = channels;
        this.settings = settings;
        this.frames = frames;
        this.verifier = verifier;
        this.liveQueries = liveQueries;
        this.expiry = expiry;
        this.clock = clock;
    }

    void handle(ClientConnection connection, String text) {
        long now = clock.millis();
        if (!connection.admit(now)) {
            if (connection.rateStrike() > RATE_STRIKES_BEFORE_CLOSE) {
                connection.outbox().close(CloseCode.SLOW_CONSUMER, "rate limit exceeded; reconnect with backoff");
            } else {
                connection
                        .outbox()
                        .send(frames.error(
                                null,
                                ErrorCode.RATE_LIMITED,
                                "more than " + settings.framesPerSecond() + " frames per second; slow down"));
            }
            return;
        }
        try {
            ClientFrame frame = parser.parse(text);
            if (frame instanceof ClientFrame.Auth auth) {
                authenticate(connection, auth);
            } else if (frame instanceof ClientFrame.Subscribe subscribe) {
                requireAccess(connection, subscribe.id(), now);
                liveQueries.subscribe(connection, subscribe);
            } else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
                liveQueries.unsubscribe(connection, unsubscribe.id());
            } else if (frame instanceof ClientFrame.Ping ping) {
                connection.outbox().send(frames.pong(ping.id()));
            } else if (frame instanceof ClientFrame.Join join) {
                requireAccess(connection, join.id(), now);
                channels(join.id()).join(connection, join);
            } else if (frame instanceof ClientFrame.Publish publish) {
                requireAccess(connection, publish.id(), now);
                channels(publish.id()).publish(connection, publish);
            } else if (frame instanceof ClientFrame.Leave leave) {
                channels(leave.id()).leave(connection, leave);
            }
        } catch (ProtocolException e) {
            connection.outbox().send(frames.error(e.requestId(), e.code(), e.getMessage()));
        }
    }

    /** Verifies a token; a refresh that changes who the client is starts its live queries over. */
    void authenticate(ClientConnection connection, ClientFrame.Auth auth) throws ProtocolException {
        TokenVerifier.Verified verified = verifier.verify(auth.token(), auth.id());
        boolean identityChanged = connection.authenticated() && !sameIdentity(connection.claims(), verified.claims());
        boolean wasAnonymous = !connection.authenticated();
        if (!connection.authenticate(verified.claims(), verified.expiresAt())) {
            connection.outbox().expireIfDue(); // too late: the previous token expired first
            return;
        }
        expiry.watch(connection.outbox());
        connection.outbox().send(frames.ready(auth.id(), verified.expiresAt()));
        if ((identityChanged || wasAnonymous) && channels != null) {
            channels.identityChanged(connection);
        }
        if (identityChanged || (wasAnonymous && !connection.subscriptions().isEmpty())) {
            for (EdgeSubscription sub : connection.subscriptions().values()) {
                liveQueries.restart(connection, sub, "token changed");
            }
        }
    }

    /** The connection closed; called on a worker, never on its IO thread (see {@link LiveSocket}). */
    void closed(ClientConnection connection) {
        if (channels != null) {
            channels.closeAll(connection);
        }
    }

    private Channels channels(String id) throws ProtocolException {
        if (channels == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, id, "this endpoint serves no channels");
        }
        return channels;
    }

    private void requireAccess(ClientConnection connection, String id, long now) throws ProtocolException {
        if (!connection.authenticated() && !settings.allowAnonymous()) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, id, "send an auth frame with a token first");
        }
        Long expiresAt = connection.expiresAt();
        if (expiresAt != null && expiresAt <= now) {
            throw new ProtocolException(ErrorCode.TOKEN_EXPIRED, id, "the token expired; send a fresh auth frame");
        }
    }

    private static boolean sameIdentity(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(stable(a), stable(b));
    }

    private static Map<String, Object> stable(Map<String, Object> claims) {
        if (claims == null) {
            return null;
        }
        Map<String, Object> copy = new HashMap<>(claims);
        VOLATILE_CLAIMS.forEach(copy::remove);
        return copy;
    }
}
