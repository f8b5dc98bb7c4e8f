package io.undercurrent.edge.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.bus.channel.PresenceRecord;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.edge.ChannelSettings;
import io.undercurrent.edge.LookupReads;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.rules.ChannelAccess;
import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the channel frames of every connection: {@code join}, {@code publish}, {@code leave}. Judges
 * each by the channel rules, limits each connection's rate, message size and channels, keeps this
 * node's {@link Presence} and tells the other nodes through the {@link ChannelPublisher}. A client
 * stays in a channel only while the rule lets it join: when looked-up rows it may depend on change,
 * or the rules are reloaded, its {@code join} is judged again, and a client that may no longer join is
 * taken out ({@code left} with code {@code forbidden}).
 *
 * <p>Frames of one connection arrive one at a time (its IO thread); its close and the re-judging run
 * on workers. Every change to a connection's channels holds its session's lock, so a join judged just
 * before a lookup change is either seen by the re-judging that change causes, or judged after it.
 * Thread-safe.
 */
final class Channels {

    private static final Logger LOG = LoggerFactory.getLogger(Channels.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One connection's channels. Its frames are handled one at a time; close and re-judging race with
     * them, so every change to {@link #joined} holds the session's lock.
     */
    private static final class Session {
        final String client = newClientId();
        final ClientConnection connection;
        final RateLimiter limiter;
        /** channel → this client's presence info there. */
        final Map<String, Map<String, Object>> joined = new ConcurrentHashMap<>();

        Session(ClientConnection connection, RateLimiter limiter) {
            this.connection = connection;
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
    private final LookupReads lookupReads;
    private final Executor callbacks;
    /** Serialises {@link #lookupsChanged}: each asks what changed since the mark the previous one took. */
    private final Object notifications = new Object();
    /** The lookups' mark at the last {@link #lookupsChanged}; guarded by {@link #notifications}. */
    private long lookupsNotified;

    Channels(
            ChannelSettings settings,
            String node,
            ServerFrames frames,
            Supplier<RuleSet> rules,
            Presence presence,
            ChannelPublisher bus,
            Clock clock) {
        this(settings, node, frames, rules, presence, bus, clock, LookupReads.NONE, Runnable::run);
    }

    /**
     * @param lookupReads whom a burst of lookup changes concerns ({@link LookupReads#changedSince})
     * @param callbacks   runs what follows a refused join: never Kafka's IO thread, which must not wait
     *                    for a session's lock while that session's thread waits for Kafka in a send
     */
    Channels(
            ChannelSettings settings,
            String node,
            ServerFrames frames,
            Supplier<RuleSet> rules,
            Presence presence,
            ChannelPublisher bus,
            Clock clock,
            LookupReads lookupReads,
            Executor callbacks) {
        this.settings = settings;
        this.node = node;
        this.frames = frames;
        this.rules = rules;
        this.presence = presence;
        this.bus = bus;
        this.clock = clock;
        this.lookupReads = lookupReads;
        this.callbacks = callbacks;
        this.lookupsNotified = lookupReads.mark();
    }

    void join(ClientConnection connection, ClientFrame.Join join) throws ProtocolException {
        Session session = session(connection);
        synchronized (session) {
            join(session, connection, join);
        }
    }

    private void join(Session session, ClientConnection connection, ClientFrame.Join join) throws ProtocolException {
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
        List<Map<String, Object>> present = presence.join(
                channel,
                session.client,
                info,
                connection.outbox(),
                everyone -> frames.joined(join.id(), channel, session.client, everyone),
                settings.maxPresent());
        if (present == null) {
            throw new ProtocolException(
                    ErrorCode.LIMIT_EXCEEDED,
                    join.id(),
                    channel + " has " + settings.maxPresent() + " clients present, the most a channel may have"
                            + " (channel.max-present); join again later");
        }
        session.joined.put(channel, info);
        bus.join(new PresenceRecord(node, session.client, channel, info, now))
                .whenCompleteAsync(
                        (ok, error) -> {
                            if (error != null) {
                                LOG.warn(
                                        "could not announce a join of {} to other edges: {}",
                                        channel,
                                        error.toString());
                                synchronized (session) {
                                    if (session.joined.remove(channel, info)) {
                                        presence.leave(channel, session.client);
                                        connection
                                                .outbox()
                                                .send(frames.left(
                                                        null, channel, "the edge could not share the presence"));
                                        connection
                                                .outbox()
                                                .send(frames.error(
                                                        join.id(),
                                                        ErrorCode.INTERNAL,
                                                        "Kafka refused the join of " + channel + "; join again later"));
                                    }
                                }
                            }
                        },
                        callbacks);
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
        if (session == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, leave.id(), "not in channel " + leave.channel());
        }
        synchronized (session) {
            if (session.joined.remove(leave.channel()) == null) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, leave.id(), "not in channel " + leave.channel());
            }
            withdraw(session, leave.channel());
            connection.outbox().send(frames.left(leave.id(), leave.channel(), null));
        }
    }

    /**
     * Rows of tables rules look up changed ({@code changed}), or such a table finished loading: every
     * client in a channel whose {@code join} looks one of them up, and whom a changed row may concern
     * (its claims match the row's key columns, as {@link LookupReads#changedSince} tells), is judged
     * again; one that may no longer join is taken out. Call it after the rows changed, on one thread at
     * a time or several (calls are serialised).
     */
    void lookupsChanged(Set<TableRef> changed) {
        RuleSet ruleSet = rules.get();
        synchronized (notifications) {
            long since = lookupsNotified;
            lookupsNotified = lookupReads.mark();
            Map<String, List<LookupBinding>> byChannel = new HashMap<>();
            int taken = 0;
            for (Session session : sessions.values()) {
                for (String channel : List.copyOf(session.joined.keySet())) {
                    List<LookupBinding> bindings =
                            byChannel.computeIfAbsent(channel, c -> concerned(ruleSet.channelJoinBindings(c), changed));
                    if (!bindings.isEmpty()
                            && lookupReads.changedSince(bindings, session.connection.claims(), since)
                            && rejudge(session, channel, false)) {
                        taken++;
                    }
                }
            }
            if (taken > 0) {
                LOG.info("looked-up rows of {} changed: {} clients were taken out of channels", changed, taken);
            }
        }
    }

    /**
     * The rules were reloaded: every client present is judged again by the channel rule now in force
     * (a client it no longer lets join is taken out, and so is one whose presence claims it changed).
     */
    void rulesChanged() {
        int taken = 0;
        for (Session session : sessions.values()) {
            for (String channel : List.copyOf(session.joined.keySet())) {
                if (rejudge(session, channel, true)) {
                    taken++;
                }
            }
        }
        if (taken > 0) {
            LOG.info("rules reloaded: {} clients were taken out of channels", taken);
        }
    }

    /** The lookups of {@code bindings} over one of the {@code changed} tables. */
    private static List<LookupBinding> concerned(List<LookupBinding> bindings, Set<TableRef> changed) {
        List<LookupBinding> out = new ArrayList<>();
        for (LookupBinding binding : bindings) {
            if (changed.contains(binding.table())) {
                out.add(binding);
            }
        }
        return out;
    }

    /**
     * Judges the session's presence in {@code channel} again by the rules in force; takes it out when
     * they no longer let it join (not when they cannot tell: a looked-up table still loading decides
     * nothing), or, after a reload, when the claims others see of it changed.
     *
     * @return whether the client was taken out
     */
    private boolean rejudge(Session session, String channel, boolean reloaded) {
        synchronized (session) {
            Map<String, Object> info = session.joined.get(channel);
            if (info == null) {
                return false;
            }
            ClientConnection connection = session.connection;
            ChannelAccess access = rules.get().channel(channel, connection.claims(), clock.millis());
            String left;
            ErrorCode code = null;
            if (!access.join()) {
                if (access.undecided()) {
                    return false;
                }
                code = ErrorCode.FORBIDDEN;
                left = access.rule() == null
                        ? "no channel rule covers " + channel + " any more, so nobody may be in it (default deny)"
                        : "the channel rule at " + access.rule() + " no longer lets this client join " + channel;
            } else if (reloaded
                    && !info(connection.claims(), access.presenceClaims()).equals(info)) {
                left = "the channel rule changed what others see of a client; join again";
            } else {
                return false;
            }
            session.joined.remove(channel);
            withdraw(session, channel);
            connection.outbox().send(frames.left(null, channel, code, left));
            return true;
        }
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
        synchronized (session) {
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
    }

    /** The connection closed: it leaves every channel. */
    void closeAll(ClientConnection connection) {
        Session session = sessions.remove(connection.id());
        if (session == null) {
            return;
        }
        synchronized (session) {
            for (String channel : List.copyOf(session.joined.keySet())) {
                session.joined.remove(channel);
                withdraw(session, channel);
            }
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
                connection.id(),
                id -> new Session(connection, new RateLimiter(settings.actionsPerSecond(), clock.millis())));
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
