package dev.eventsourcery.eventstore.amqp;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of the calling test's own, started from this machine's installation on free ports, for faults
 * that would disturb every other user of the shared broker: its application stopped and started
 * ({@code rabbitmqctl stop_app} / {@code start_app}). Stopped and deleted on {@link #close()}. Without
 * {@code rabbitmq-server} here the test is skipped with a warning (failed under {@code CI=true}).
 */
final class PrivateBroker implements AutoCloseable {

    private final String node;
    private final int port;
    private final Path directory;

    private PrivateBroker(String node, int port, Path directory) {
        this.node = node;
        this.port = port;
        this.directory = directory;
    }

    static PrivateBroker start() throws Exception {
        Path directory = Files.createTempDirectory("event-store-rabbitmq-");
        String node = "es-test-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        int port = freePort();
        Files.writeString(directory.resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + port + "\n");
        Files.writeString(directory.resolve("enabled_plugins"), "[].\n");
        // the server runs as the rabbitmq user when started by root
        run(List.of("chmod", "-R", "a+rwx", directory.toString()), Map.of());
        Map<String, String> environment = Map.of("RABBITMQ_NODENAME", node,
                "RABBITMQ_DIST_PORT", Integer.toString(freePort()),
                "RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq").toString(),
                "RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString(),
                "RABBITMQ_LOG_BASE", directory.resolve("log").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString(),
                "RABBITMQ_PID_FILE", directory.resolve("pid").toString());
        try {
            run(List.of("rabbitmq-server", "-detached"), environment);
        } catch (IOException e) {
            skipOrFail("cannot run rabbitmq-server (" + e.getMessage() + ")");
        }
        PrivateBroker broker = new PrivateBroker(node, port, directory);
        broker.awaitStartup();
        return broker;
    }

    int port() {
        return port;
    }

    /** Stops the broker's application: every connection is closed and nothing is accepted until started. */
    void stopApp() throws Exception {
        rabbitmqctl("stop_app");
    }

    void startApp() throws Exception {
        rabbitmqctl("start_app");
        awaitStartup();
    }

    @Override
    public void close() throws Exception {
        try {
            rabbitmqctl("stop");
        } finally {
            run(List.of("rm", "-rf", directory.toString()), Map.of());
        }
    }

    private void awaitStartup() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            List<String> command = List.of("rabbitmqctl", "-n", node, "-q", "await_startup");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            last = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor(70, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        skipOrFail("the node " + node + " did not start within 60 s: " + last);
    }

    private void rabbitmqctl(String action) throws Exception {
        run(List.of("rabbitmqctl", "-n", node, "-q", action), Map.of());
    }

    private static void run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(70, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void skipOrFail(String problem) {
        String message = "RabbitMQ broker-restart tests SKIPPED: " + problem;
        System.err.println("WARNING: " + message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true requires a RabbitMQ installation that can start a node: " + message);
        }
        abort(message);
    }
}
