package io.undercurrent.edge.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of an identity provider, from its JWKS URL, through nimbus' JWK source: cached for
 * {@link #CACHE_TTL} and refreshed ahead of expiry in the background; fetched again when a token
 * names a key the cached set lacks (key rotation needs no restart), at most twice per refresh limit
 * so a stream of forged {@code kid}s cannot hammer the provider; and, when the provider is down, the
 * last good set keeps serving (outage tolerance).
 *
 * <p>{@link #start()} fetches the set once; when that fails the failure is logged with the URL and
 * the reason, and fetching is retried in the background with exponential backoff (1 s doubling to
 * {@link #MAX_BACKOFF}) until it succeeds. Tokens are refused ({@code keys_unavailable}) until then.
 *
 * <p>A lookup may block the calling thread for one fetch (at most the connect plus read timeouts):
 * only on a cold cache or an unknown {@code kid}, both bounded by the refresh limit. Thread-safe.
 */
final class JwksKeys implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 2_000;
    private static final int MAX_JWKS_BYTES = 512 * 1024;

    private final URI url;
    private final JWKSource<SecurityContext> source;
    private final ScheduledExecutorService retries;
    private volatile boolean loaded;
    private volatile String lastError;
    private volatile boolean closed;

    JwksKeys(URI url, Duration refreshLimit) {
        this.url = url;
        try {
            this.source = JWKSourceBuilder.create(
                            url.toURL(),
                            new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, MAX_JWKS_BYTES))
                    .cache(CACHE_TTL.toMillis(), CONNECT_TIMEOUT_MS + READ_TIMEOUT_MS + 1_000L)
                    .refreshAheadCache(true)
                    .rateLimited(refreshLimit.toMillis())
                    .outageTolerant(true)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URL " + url + " is not a URL: " + e.getMessage(), e);
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jwks-fetch");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.retries = timer;
    }

    /** Fetches the key set now; on failure logs why and keeps trying in the background. Returns at once after the first try. */
    void start() {
        attempt(1_000);
    }

    private void attempt(long backoffMs) {
        if (closed) {
            return;
        }
        try {
            List<JWK> keys = source.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            loaded = true;
            lastError = null;
            LOG.info(
                    "JWKS from {}: {} key(s) {}",
                    url,
                    keys.size(),
                    keys.stream().map(JWK::getKeyID).toList());
            return;
        } catch (RateLimitReachedException e) {
            // Tokens asked for fetches too; the limit opens again shortly. Keep the last real error.
        } catch (KeySourceException | RuntimeException e) {
            lastError = describe(e);
            LOG.warn(
                    "cannot fetch the JWKS from {}: {}; tokens signed by the identity provider are refused until it is fetched; "
                            + "retrying in {} s",
                    url,
                    lastError,
                    backoffMs / 1000);
        }
        long next = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        retries.schedule(() -> attempt(next), backoffMs, TimeUnit.MILLISECONDS);
    }

    /**
     * The keys that fit a token's header (its {@code kid} when it names one, the key type of its
     * algorithm, signature use). An empty list means no such key, even after fetching the set again.
     *
     * @throws KeySourceException when the set could not be fetched (never yet, or rate-limited while
     *                            looking for an unknown key)
     */
    List<JWK> select(JWSHeader header) throws KeySourceException {
        return source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
    }

    URI url() {
        return url;
    }

    /** Whether the key set was fetched at least once. */
    boolean loaded() {
        return loaded;
    }

    /** Why the last fetch at start failed, or null. */
    String lastError() {
        return lastError;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(": ")
                    .append(cause.getClass().getSimpleName())
                    .append(" ")
                    .append(cause.getMessage());
        }
        return text.toString();
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        if (source instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing the JWKS source: {}", e.getMessage());
            }
        }
    }
}
