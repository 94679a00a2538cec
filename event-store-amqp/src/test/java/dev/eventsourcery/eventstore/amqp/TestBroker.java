package dev.eventsourcery.eventstore.amqp;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

/**
 * The RabbitMQ broker the outbox tests publish to, shared with other test runs: each test declares an exchange
 * and queues of its own, named uniquely, and deletes them when done. The broker is at {@code 127.0.0.1:5672}
 * as {@code guest}/{@code guest} unless {@code EVENT_STORE_RABBITMQ_HOST}, {@code _PORT}, {@code _USER} and
 * {@code _PASSWORD} say otherwise. Unreachable, the broker's tests are skipped with a warning; under
 * {@code CI=true} they fail.
 */
final class TestBroker implements AutoCloseable {

    static final String HOST = env("EVENT_STORE_RABBITMQ_HOST", "127.0.0.1");
    static final int PORT = Integer.parseInt(env("EVENT_STORE_RABBITMQ_PORT", "5672"));
    static final String USER = env("EVENT_STORE_RABBITMQ_USER", "guest");
    static final String PASSWORD = env("EVENT_STORE_RABBITMQ_PASSWORD", "guest");

    private static Optional<String> unreachable;

    /** A message as a consumer received it. */
    record Received(String routingKey, AMQP.BasicProperties properties, String body) {

        /** A header's value as text, {@code null} when absent. */
        String header(String name) {
            Object value = properties.getHeaders() == null ? null : properties.getHeaders().get(name);
            return value == null ? null : value.toString();
        }

        boolean hasHeader(String name) {
            return properties.getHeaders() != null && properties.getHeaders().containsKey(name);
        }
    }

    private final Connection connection;
    private final Channel channel;
    private final String exchange;
    private final List<String> exchanges = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();

    private TestBroker(Connection connection, String exchange) throws IOException {
        this.connection = connection;
        this.channel = connection.createChannel();
        this.exchange = exchange;
        declare(exchange);
    }

    /** Declares another topic exchange, deleted with the test's. */
    void declare(String exchange) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, false, null);
        exchanges.add(exchange);
    }

    /**
     * A topic exchange of the calling test's own; skips the test when the broker is unreachable (fails it under
     * {@code CI=true}).
     */
    static TestBroker withExchange() throws Exception {
        assumeReachable();
        return new TestBroker(factory().newConnection("event-store-outbox-test"), "es-test-" + UUID.randomUUID());
    }

    /** Skips the calling test when the broker cannot be reached (fails it under {@code CI=true}). */
    static synchronized void assumeReachable() {
        if (unreachable == null) {
            unreachable = checkReachable();
        }
        String message = unreachable.orElse(null);
        if (message == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true requires RabbitMQ: " + message);
        }
        abort(message);
    }

    private static Optional<String> checkReachable() {
        ConnectionFactory factory = factory();
        factory.setConnectionTimeout(2000);
        try (Connection ignored = factory.newConnection()) {
            return Optional.empty();
        } catch (IOException | TimeoutException e) {
            String message = "RABBITMQ tests SKIPPED: no broker at amqp://" + HOST + ":" + PORT + " (" + e + "). "
                    + "Start RabbitMQ (.ci/rabbitmq) or set EVENT_STORE_RABBITMQ_HOST, _PORT, _USER and _PASSWORD.";
            System.err.println("WARNING: " + message);
            return Optional.of(message);
        }
    }

    /**
     * Has the broker close the connection whose client side has this local port, as an operator or a broker
     * fault would, with {@code rabbitmqctl} on this machine; skips the calling test when that cannot be done
     * (fails it under {@code CI=true}).
     */
    static void closeConnection(int localPort) throws IOException, InterruptedException {
        String pid = null;
        for (String line : rabbitmqctl("-s", "list_connections", "pid", "peer_port")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 2 && columns[1].equals(Integer.toString(localPort))) {
                pid = columns[0];
            }
        }
        if (pid == null) {
            fail("The broker lists no connection from local port " + localPort);
        }
        rabbitmqctl("close_connection", pid, "closed by an outbox fault test");
    }

    /**
     * Skips the calling test when {@code rabbitmqctl} cannot list the broker's connections from here (fails it
     * under {@code CI=true}): the fault tests need the broker on this machine.
     */
    static void assumeRabbitmqctl() throws IOException, InterruptedException {
        assumeReachable();
        rabbitmqctl("-s", "list_connections", "pid");
    }

    private static List<String> rabbitmqctl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            skipOrFail("RABBITMQ fault tests SKIPPED: cannot run rabbitmqctl (" + e.getMessage() + "); they need the "
                    + "broker on this machine");
            throw e;
        }
        List<String> output = new String(process.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            skipOrFail("RABBITMQ fault tests SKIPPED: " + String.join(" ", command) + " failed: "
                    + String.join("\n", output));
        }
        return output;
    }

    private static void skipOrFail(String message) {
        System.err.println("WARNING: " + message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true requires RabbitMQ with rabbitmqctl: " + message);
        }
        abort(message);
    }

    private static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(PORT);
        factory.setUsername(USER);
        factory.setPassword(PASSWORD);
        return factory;
    }

    /** Spring Boot properties pointing the application's RabbitMQ at this broker and the outbox at the exchange. */
    String[] properties() {
        return new String[] {"spring.rabbitmq.host=" + HOST, "spring.rabbitmq.port=" + PORT,
                "spring.rabbitmq.username=" + USER, "spring.rabbitmq.password=" + PASSWORD,
                "event-store.outbox.exchange=" + exchange};
    }

    String exchange() {
        return exchange;
    }

    /** A new queue of the test's own, bound to the exchange with these binding keys ({@code #}: every message). */
    Consumer queue(String... bindingKeys) throws IOException {
        return queueOn(exchange, bindingKeys);
    }

    /** A new queue of the test's own, bound to the given exchange with these binding keys. */
    Consumer queueOn(String exchange, String... bindingKeys) throws IOException {
        Consumer consumer = declareQueue(exchange, Map.of(), bindingKeys);
        consumer.start();
        return consumer;
    }

    /**
     * A new queue of the test's own that holds at most {@code maxLength} messages and refuses more (the broker
     * answers them with a negative confirm), bound to the exchange with these keys; nothing consumes from it until
     * {@link Consumer#start()}.
     */
    Consumer boundedQueue(int maxLength, String... bindingKeys) throws IOException {
        return declareQueue(exchange, Map.of("x-max-length", maxLength, "x-overflow", "reject-publish"),
                bindingKeys);
    }

    private Consumer declareQueue(String exchange, Map<String, Object> arguments, String... bindingKeys)
            throws IOException {
        String queue = "es-test-" + UUID.randomUUID();
        Map<String, Object> declared = new java.util.HashMap<>(arguments);
        // left behind by a killed run, it goes away after an hour unused
        declared.put("x-expires", 3_600_000);
        channel.queueDeclare(queue, false, false, false, declared);
        queues.add(queue);
        Consumer consumer = new Consumer(queue, exchange);
        for (String key : bindingKeys) {
            consumer.bind(key);
        }
        return consumer;
    }

    /** Deletes the test's exchanges and queues. */
    @Override
    public void close() throws Exception {
        for (String queue : queues) {
            channel.queueDelete(queue);
        }
        for (String declared : exchanges) {
            channel.exchangeDelete(declared);
        }
        connection.close();
    }

    /** What arrives in one queue, consumed as it comes. */
    final class Consumer {

        private final String queue;
        private final String exchange;
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        private Consumer(String queue, String exchange) {
            this.queue = queue;
            this.exchange = exchange;
        }

        /** Starts consuming the queue's messages as they come. */
        void start() throws IOException {
            Channel consuming = connection.createChannel();
            consuming.basicConsume(queue, true, new DefaultConsumer(consuming) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) {
                    received.add(new Received(envelope.getRoutingKey(), properties,
                            new String(body, java.nio.charset.StandardCharsets.UTF_8)));
                }
            });
        }

        /**
         * Starts consuming the queue's messages one at a time, each acknowledged only after the pause given: a
         * consumer slower than the outbox, so that a queue of bounded length fills up and drains again.
         */
        void startSlowly(Duration perMessage) throws IOException {
            Channel consuming = connection.createChannel();
            consuming.basicQos(1);
            consuming.basicConsume(queue, false, new DefaultConsumer(consuming) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) throws IOException {
                    received.add(new Received(envelope.getRoutingKey(), properties,
                            new String(body, java.nio.charset.StandardCharsets.UTF_8)));
                    try {
                        Thread.sleep(perMessage.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    consuming.basicAck(envelope.getDeliveryTag(), false);
                }
            });
        }

        String name() {
            return queue;
        }

        /** Binds this queue to its exchange with one more key. */
        void bind(String bindingKey) throws IOException {
            channel.queueBind(queue, exchange, bindingKey);
        }

        /** The next {@code count} messages, failing when they do not all arrive within the time given. */
        List<Received> take(int count, Duration within) throws InterruptedException {
            List<Received> taken = new ArrayList<>(count);
            long deadline = System.nanoTime() + within.toNanos();
            while (taken.size() < count) {
                Received next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    fail("Expected " + count + " messages in queue " + queue + " within " + within + ", got "
                            + taken.size() + ": " + taken);
                }
                taken.add(next);
            }
            return taken;
        }

        /** Every message that arrives within the time given. */
        List<Received> drain(Duration within) throws InterruptedException {
            List<Received> taken = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            Received next;
            while ((next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                taken.add(next);
            }
            return taken;
        }
    }

    private static String env(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null ? fallback : value;
    }
}
