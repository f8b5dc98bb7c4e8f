/**
 * Real infrastructure started in-process or as a local child process, for the server's
 * zero-configuration embedded default and for integration tests of other modules.
 *
 * <ul>
 *   <li>{@link io.undercurrent.embedded.EmbeddedKafka}: a single-node Kafka broker in KRaft mode,
 *       running inside this JVM, restartable on the same log directory and port.</li>
 *   <li>{@link io.undercurrent.embedded.LocalPostgres}: a PostgreSQL server from bundled binaries,
 *       configured for logical decoding, restartable on the same data directory and port.</li>
 *   <li>{@link io.undercurrent.embedded.DemoDatabase}: the demo schema of the embedded default.</li>
 *   <li>{@link io.undercurrent.embedded.ChildJvm}: a Java main class in a separate JVM, for crash
 *       tests that kill a process with SIGKILL.</li>
 * </ul>
 *
 * <p>Nothing here needs Docker or a network beyond the loopback interface. Every public class
 * fails with an {@link io.undercurrent.embedded.EmbeddedException} that names what went wrong and
 * the option to change.
 */
package io.undercurrent.embedded;
