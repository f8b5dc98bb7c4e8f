package io.undercurrent.change.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timestamp;

/**
 * A JDK Flight Recorder event: a change reached a stage of the pipeline. Each stage stamps the
 * change with its source transaction and commit time as it passes, so a recording of a running
 * server says, change by change, where the time between commit and client went (the load generator
 * in {@code benchmarks/} pairs the stages per change).
 *
 * <p>Disabled by default and costs one flag check per call until a recording enables
 * {@code io.undercurrent.ChangeStage}, e.g. {@code jcmd <pid> JFR.start settings=stages.jfc} with
 * {@code <event name="io.undercurrent.ChangeStage"><setting name="enabled">true</setting></event>}.
 * Thread-safe; called on the hot path of every stage.
 */
@Name("io.undercurrent.ChangeStage")
@Label("Change stage")
@Category({"Undercurrent", "Pipeline"})
@Description("A change reached a stage of the pipeline (commit to client)")
@StackTrace(false)
@Enabled(false)
public final class ChangeStage extends Event {

    /** Ingest received the change from Debezium. */
    public static final String CAPTURED = "captured";
    /** Kafka acknowledged ingest's write of the change. */
    public static final String INGEST_ACKNOWLEDGED = "ingest-acknowledged";
    /** A router read the change from its change topic. */
    public static final String ROUTER_READ = "router-read";
    /** Kafka acknowledged a router's delivery record of the change. */
    public static final String ROUTER_ACKNOWLEDGED = "router-acknowledged";
    /** An edge read a delivery record of the change. */
    public static final String EDGE_READ = "edge-read";
    /** A frame carrying the change was written to a client's socket. */
    public static final String SOCKET_WRITTEN = "socket-written";

    @Label("Stage")
    String stage;

    @Label("Source transaction")
    String txId;

    @Label("Commit time")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long commitTime;

    /** True while a recording enables the event: worth preparing what only a stage needs. */
    public static boolean recording() {
        return new ChangeStage().isEnabled();
    }

    /**
     * Records that the change of transaction {@code txId}, committed at {@code commitTimeMs},
     * reached {@code stage} now. Does nothing unless a recording enables the event.
     */
    public static void reached(String stage, String txId, long commitTimeMs) {
        ChangeStage event = new ChangeStage();
        if (event.isEnabled()) {
            event.stage = stage;
            event.txId = txId;
            event.commitTime = commitTimeMs;
            event.commit();
        }
    }
}
