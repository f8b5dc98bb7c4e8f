package io.undercurrent.client;

/**
 * Gives the client a token (a JWT) at every connect and again before the current token expires.
 * Called on a thread of its own, never on the client's thread, so it may block (an HTTP call to an
 * identity provider, say). An exception is reported as {@code token_supplier} and the call is retried.
 */
@FunctionalInterface
public interface TokenSupplier {

    String token() throws Exception;
}
