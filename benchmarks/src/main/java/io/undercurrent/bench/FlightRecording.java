package io.undercurrent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JDK Flight Recorder recording of the server process. It always records the server's
 * change-stage events ({@code io.undercurrent.ChangeStage}) and GC pauses; with {@code profile} also
 * CPU samples, allocation samples and lock contention. A server the benchmark starts records from
 * its start ({@link #jvmOption}), so nothing is attached while it is measured; a running server is
 * attached with {@code jcmd} ({@link #start}), which costs it a pause. Either way {@link #stop}
 * dumps the recording with {@code jcmd}; readers keep to the measured phase by time or by change.
 */
final class FlightRecording {

    private static final String NAME = "undercurrent-bench";

    private final long pid;

    private FlightRecording(long pid) {
        this.pid = pid;
    }

    /** The recorded process. */
    long pid() {
        return pid;
    }

    /** The JVM option that makes a server record from its start; {@link #of} then dumps it. */
    static String jvmOption(boolean profile, Path dir) throws IOException {
        return "-XX:StartFlightRecording=name=" + NAME + ",settings=" + settings(profile, dir)
                + ",disk=true,maxage=30m";
    }

    /** The recording a server started with {@link #jvmOption} is making. */
    static FlightRecording of(long pid) {
        return new FlightRecording(pid);
    }

    /** Attaches a recording to a running server. */
    static FlightRecording start(long pid, boolean profile, Path dir) throws IOException, InterruptedException {
        FlightRecording recording = new FlightRecording(pid);
        recording.jcmd("JFR.start", "name=" + NAME, "settings=" + settings(profile, dir));
        return recording;
    }

    private static Path settings(boolean profile, Path dir) throws IOException {
        Path settings = dir.resolve("bench.jfc").toAbsolutePath();
        Files.writeString(settings, jfc(profile), StandardCharsets.UTF_8);
        return settings;
    }

    /** Dumps what was recorded to {@code file} and stops recording. */
    Path stop(Path file) throws IOException, InterruptedException {
        jcmd("JFR.dump", "name=" + NAME, "filename=" + file.toAbsolutePath());
        jcmd("JFR.stop", "name=" + NAME);
        return file;
    }

    private void jcmd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(jdkTool("jcmd"));
        command.add(Long.toString(pid));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)
                || p.exitValue() != 0
                || out.contains("Could not")
                || out.contains("Exception")) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
        }
    }

    /** A tool from the JDK running this program ({@code jcmd}), else from the PATH. */
    static String jdkTool(String name) {
        Path java = ProcessHandle.current().info().command().map(Path::of).orElse(null);
        if (java != null) {
            Path tool = java.resolveSibling(name);
            if (Files.isExecutable(tool)) {
                return tool.toString();
            }
        }
        return name;
    }

    private static String jfc(boolean profile) {
        StringBuilder s = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="Undercurrent benchmark">
                  <event name="io.undercurrent.ChangeStage"><setting name="enabled">true</setting></event>
                  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
                  <event name="jdk.GCPhasePause"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
                  <event name="jdk.SafepointBegin"><setting name="enabled">false</setting></event>
                """);
        if (profile) {
            s.append("""
                      <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">10 ms</setting></event>
                      <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">20 ms</setting></event>
                      <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">300/s</setting><setting name="stackTrace">true</setting></event>
                      <event name="jdk.JavaMonitorEnter"><setting name="enabled">true</setting><setting name="threshold">1 ms</setting><setting name="stackTrace">true</setting></event>
                      <event name="jdk.ThreadPark"><setting name="enabled">true</setting><setting name="threshold">10 ms</setting><setting name="stackTrace">true</setting></event>
                      <event name="jdk.CPULoad"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
                      <event name="jdk.ThreadCPULoad"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
                    """);
        }
        s.append("</configuration>\n");
        return s.toString();
    }
}
