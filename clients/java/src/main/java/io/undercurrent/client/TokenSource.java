package io.undercurrent.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Asks the caller's {@link TokenSupplier} for a token on a thread of its own (never the client's
 * thread), since a supplier may block on an identity provider. Owns those threads; {@link #close()}
 * ends them.
 */
final class TokenSource implements AutoCloseable {

    private final TokenSupplier supplier;
    private final ExecutorService threads;

    TokenSource(TokenSupplier supplier, String threadName) {
        this.supplier = supplier;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** The next token; completes exceptionally when the supplier throws or gives no token. */
    CompletableFuture<String> next() {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        String token = supplier.token();
                        if (token == null || token.isBlank()) {
                            throw new IllegalStateException("the token supplier returned no token");
                        }
                        return token;
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                },
                threads);
    }

    /** Interrupts a supplier still running: the client is closed and its answer would be ignored. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
