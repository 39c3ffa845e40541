package dev.llmhub.testsupport.kafka;

import dev.llmhub.testsupport.process.ChildProcess;
import dev.llmhub.testsupport.process.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), started from
 * the Maven Central artifacts this module's build copied ({@code kafka_2.13}, same major version as
 * the client), as its <em>own JVM</em>, so a test can SIGKILL it ({@link #kill()}) and start it again
 * on the same ports and log directory ({@link #start()}).
 *
 * <pre>{@code
 * KafkaBroker broker = KafkaBroker.shared();          // one per test JVM, started on first use
 * broker.createTopic("calls", 3);
 * ... producer with bootstrap.servers = broker.bootstrapServers() ...
 * List<ConsumerRecord<byte[], byte[]>> all = broker.readAll("calls", Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Its life is tied to the test JVM three ways, as for the Elasticsearch harness: the process is
 * started under {@code setpriv --pdeathsig KILL}, so the kernel kills it when the JVM dies, even by
 * SIGKILL; a pid file lets the next run stop a broker a crashed run left behind (where setpriv is
 * missing); and a shutdown hook stops it on a normal exit. Linux sends the parent-death signal when the
 * <em>thread</em> that started the process ends, so every process is started from one daemon thread of
 * this class that lives as long as the JVM, whatever thread calls {@link #start()}.
 *
 * <p>Startup is kept short for a 2-core machine: a small heap, the client JIT only, a class data
 * sharing archive written by the first clean exit, one partition for the internal topics, no initial
 * rebalance delay. Readiness is asked of the broker with an
 * {@link Admin} client: the node is listed and every partition of every topic has a leader (after a
 * restart, partitions are leaderless until the broker is unfenced again).
 */
public final class KafkaBroker implements AutoCloseable {
    /** Overrides where the broker's jars are (default: where this module's build copied them). */
    public static final String LIBS_PROPERTY = "llmhub.kafka.libs";
    /** Overrides the shared broker's work folder (default {@code target/kafka-work}). */
    public static final String WORK_PROPERTY = "llmhub.kafka.work";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final String FORMAT_CLASS = "kafka.tools.StorageTool";
    /** Starts every process, and outlives all of them: see the class comment on pdeathsig. */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kafka-broker-launcher");
        t.setDaemon(true);
        return t;
    });
    private static KafkaBroker shared;
    /**
     * The harness's own clients (readiness polls, topic reads) log every refused connection while a
     * broker starts; where SLF4J goes to java.util.logging (the distribution's tests) that floods the
     * test output, so Kafka's client loggers are quieted to errors there. Held strongly: JUL forgets
     * the level of a logger nobody references.
     */
    private static final java.util.logging.Logger KAFKA_CLIENT_LOG = quiet("org.apache.kafka");

    private final Path work;
    private final Path libs;
    private final List<String> jvmOptions;
    private final Map<String, String> overrides;
    private final Map<String, String> saslUsers;
    private final boolean authorizer;
    private final int port;
    private final int controllerPort;
    private final int saslPort;
    private final String clusterId = Uuid.randomUuid().toString();
    private Process process;
    private Admin admin;
    private Duration lastStartTime = Duration.ZERO;

    private KafkaBroker(Builder b) {
        this.work = b.work.toAbsolutePath();
        this.libs = b.libs != null ? b.libs : defaultLibs();
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.overrides = Map.copyOf(b.overrides);
        this.saslUsers = Map.copyOf(b.saslUsers);
        this.authorizer = b.authorizer;
        int[] ports = FreePort.onLoopback(3);
        this.port = ports[0];
        this.controllerPort = ports[1];
        this.saslPort = saslUsers.isEmpty() ? -1 : ports[2];
    }

    /**
     * @return the broker of this test JVM, started on first use on a fresh log directory and stopped
     *         when the JVM exits. Tests sharing it use topics of their own.
     */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            KafkaBroker broker = builder(Path.of(System.getProperty(WORK_PROPERTY, "target/kafka-work"))).build();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-kafka-broker"));
            broker.start();
            shared = broker;
        }
        return shared;
    }

    /**
     * @param work a folder of its own for config, log directory and console log; whatever an earlier
     *             run left there is deleted when the broker is built
     * @return a builder
     */
    public static Builder builder(Path work) {
        return new Builder(work);
    }

    /** @return {@code 127.0.0.1:<port>}, the value for {@code bootstrap.servers} */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** @return {@code 127.0.0.1:<port>} of the SASL_PLAINTEXT (mechanism PLAIN) listener, when the broker has users */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL listener: build it with saslPlainUsers(...)");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** @return the client listener's port (the same across restarts) */
    public int port() {
        return port;
    }

    /** @return the cluster id it was formatted with (random per broker) */
    public String clusterId() {
        return clusterId;
    }

    /** @return how long the last start took, from launching the JVM until the broker was ready */
    public Duration lastStartTime() {
        return lastStartTime;
    }

    /** @return the broker process's id (the JVM itself: setpriv replaces itself with it) */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("the broker is not running");
        }
        return process.pid();
    }

    /** @return whether the broker process is alive */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the broker (again, after {@link #kill()} or {@link #stop()}: same ports, same log
     * directory) and waits until it is ready. Formats the log directory on the first start.
     *
     * @return this
     */
    public synchronized KafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        Instant started = Instant.now();
        try {
            stopLeftover();
            Files.createDirectories(dataDir());
            Files.createDirectories(libs.resolveSibling("kafka-broker-cds"));
            writeConfig();
            if (!Files.exists(dataDir().resolve("meta.properties"))) {
                format();
            }
            process = launch(command(MAIN_CLASS, List.of(config().toString())));
            Files.writeString(pidFile(), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker in " + work, e);
        }
        awaitReady(started.plus(START_TIMEOUT));
        lastStartTime = Duration.between(started, Instant.now());
        System.out.println("Kafka broker ready at " + bootstrapServers() + " after " + lastStartTime.toMillis() + " ms");
        return this;
    }

    /**
     * Kills the broker with SIGKILL, as a crash would (no controlled shutdown, no log flush), and
     * waits until the process is gone.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(process);
        process = null;
    }

    /** Stops the broker with SIGTERM (a controlled shutdown), forcibly after a minute, and waits. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        awaitExit(process);
        process = null;
    }

    /** Stops the broker and closes the harness's admin client. */
    @Override
    public void close() {
        stop();
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
    }

    /**
     * Creates a topic (replication factor 1); a topic of that name that already exists is kept.
     *
     * @param name       topic name
     * @param partitions partition count
     */
    public void createTopic(String name, int partitions) {
        try {
            ownAdmin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
        }
    }

    /**
     * @param topic a topic
     * @return how many records it holds (latest minus earliest offset, summed over its partitions);
     *         0 when it does not exist yet
     */
    public long recordCount(String topic) {
        Admin admin = ownAdmin();
        try {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
            for (TopicPartitionInfo p : d.get(topic).partitions()) {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
            }
            long end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
            long start = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
            return end - start;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return 0;
            }
            throw new IllegalStateException("cannot count the records of " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot count the records of " + topic + ": " + e, e);
        }
    }

    /**
     * Reads a topic from its beginning to the end it has when called.
     *
     * @param topic   the topic
     * @param timeout how long reading may take
     * @return every record, partition by partition in offset order
     */
    public List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> readAll(String topic, Duration timeout) {
        return TopicReader.readAll(bootstrapServers(), topic, timeout);
    }

    /** The harness's own admin client, kept across calls (and broker restarts: it reconnects). */
    private synchronized Admin ownAdmin() {
        if (admin == null) {
            admin = admin();
        }
        return admin;
    }

    /** @return a new admin client for this broker; close it */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return Admin.create(p);
    }

    /** @return the last lines the broker printed (its console log), for failure messages */
    public String logTail() {
        Path log = consoleLog();
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    // --- process ---

    private void format() throws IOException {
        Process f = launch(command(FORMAT_CLASS, List.of("format", "--cluster-id", clusterId, "--config", config().toString())));
        try {
            if (!f.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                f.destroyForcibly();
                throw new IllegalStateException("formatting the Kafka log directory took more than " + START_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.destroyForcibly();
            throw new IllegalStateException("interrupted while formatting the Kafka log directory", e);
        }
        if (f.exitValue() != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed (exit " + f.exitValue()
                    + "); end of " + consoleLog() + ":\n" + logTail());
        }
    }

    private List<String> command(String mainClass, List<String> args) {
        if (!Files.isRegularFile(libs.resolve("kafka_2.13-" + version() + ".jar"))) {
            throw new IllegalStateException("no Kafka broker jars in " + libs + "; the build of test-support/kafka-broker"
                    + " copies them (run Maven with -am), or set -D" + LIBS_PROPERTY);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        // Class data sharing: the first JVM to exit cleanly writes an archive of the ~10k classes Kafka
        // loads, and later starts map it instead of loading them again (a third less CPU to start).
        cmd.add("-XX:SharedArchiveFile=" + libs.resolveSibling("kafka-broker-cds").resolve(
                mainClass + "-" + Integer.toHexString(jvmOptions.hashCode()) + ".jsa"));
        cmd.add("-XX:+AutoCreateSharedArchive");
        cmd.add("-Dlog4j2.configurationFile=" + work.resolve("log4j2.properties"));
        // The process is ours when a later run finds it through the pid file: marked by its work folder.
        cmd.add("-Dllmhub.kafka.work=" + work);
        cmd.addAll(List.of("-cp", libs.resolve("*").toString(), mainClass));
        cmd.addAll(args);
        return ChildProcess.diesWithThisJvm(cmd);
    }

    private Process launch(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
        pb.environment().remove("KAFKA_OPTS");
        try {
            return LAUNCHER.submit(pb::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + command.get(command.size() - 1), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void awaitReady(Instant deadline) {
        String lastProblem = "no answer yet";
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with " + process.exitValue()
                            + " while starting; end of " + consoleLog() + ":\n" + logTail());
                }
                if (Instant.now().isAfter(deadline)) {
                    kill();
                    throw new IllegalStateException("the Kafka broker was not ready after " + START_TIMEOUT.toSeconds()
                            + " s (" + lastProblem + "); end of " + consoleLog() + ":\n" + logTail());
                }
                try {
                    Optional<String> notReady = notReady(admin);
                    if (notReady.isEmpty()) {
                        return;
                    }
                    lastProblem = notReady.get();
                } catch (ExecutionException | TimeoutException e) {
                    lastProblem = String.valueOf(e.getCause() != null ? e.getCause() : e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
                ChildProcess.pause(Duration.ofMillis(100));
            }
        }
    }

    /** @return why the broker is not ready yet, or empty when it is */
    private static Optional<String> notReady(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return Optional.of("no broker registered");
        }
        Collection<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                .names().get(5, TimeUnit.SECONDS);
        if (topics.isEmpty()) {
            return Optional.empty();
        }
        for (TopicDescription t : admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
            for (TopicPartitionInfo p : t.partitions()) {
                if (p.leader() == null || p.leader().isEmpty()) {
                    return Optional.of("partition " + t.name() + "-" + p.partition() + " has no leader");
                }
            }
        }
        return Optional.empty();
    }

    private void writeConfig() throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", "1");
        c.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String sasl = saslUsers.isEmpty() ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
        c.put("listeners", "PLAINTEXT://127.0.0.1:" + port + sasl + ",CONTROLLER://127.0.0.1:" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + sasl);
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                + (sasl.isEmpty() ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT"));
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        if (!saslUsers.isEmpty()) {
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            saslUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
            c.put("sasl.enabled.mechanisms", "PLAIN");
            c.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
        }
        if (authorizer) {
            // The PLAINTEXT and controller listeners authenticate nobody: ANONYMOUS is the broker itself
            // and the harness's admin client, so it may do everything; SASL users only what ACLs allow.
            c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            c.put("super.users", "User:ANONYMOUS");
            c.put("allow.everyone.if.no.acl.found", "false");
        }
        c.put("log.dirs", dataDir().toString());
        // One node: replication factor 1 everywhere, one partition per internal topic (fast to create).
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("share.coordinator.state.topic.num.partitions", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        // Two cores: fewer threads than the defaults (3 network, 8 I/O).
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        c.put("num.recovery.threads.per.data.dir", "1");
        c.putAll(overrides);
        StringBuilder text = new StringBuilder("# written by KafkaBroker (llmhub test support)\n");
        c.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config(), text.toString());
        Files.writeString(work.resolve("log4j2.properties"), """
                # WARN and up, plus the one INFO line that says the server started.
                rootLogger.level = WARN
                rootLogger.appenderRef.out.ref = out
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c)%n
                logger.started.name = kafka.server.KafkaRaftServer
                logger.started.level = INFO
                """);
    }

    /** A run that was killed hard (and had no setpriv) may have left its broker behind: stop it if it is ours. */
    private void stopLeftover() throws IOException {
        if (!Files.exists(pidFile())) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            Optional<ProcessHandle> old = ProcessHandle.of(pid);
            if (old.isPresent() && old.get().info().commandLine().orElse("").contains("-Dllmhub.kafka.work=" + work)) {
                old.get().destroyForcibly();
                old.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (NumberFormatException | ExecutionException | TimeoutException ignored) {
            // a damaged pid file, or a process that will not go: nothing more to do here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(pidFile());
    }

    private static void awaitExit(Process p) {
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the Kafka broker (pid " + p.pid() + ") did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path dataDir() {
        return work.resolve("data");
    }

    private Path config() {
        return work.resolve("server.properties");
    }

    private Path consoleLog() {
        return work.resolve("broker-console.log");
    }

    private Path pidFile() {
        return work.resolve("broker.pid");
    }

    /** @return the Kafka version of the copied broker */
    public static String version() {
        return buildProperties().getProperty("version");
    }

    private static Path defaultLibs() {
        String override = System.getProperty(LIBS_PROPERTY);
        return Path.of(override != null ? override : buildProperties().getProperty("libs"));
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.properties")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.properties is missing from the harness jar");
            }
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Where the broker lives and how its JVM and config differ from the defaults. */
    public static final class Builder {
        private final Path work;
        private Path libs;
        private final List<String> jvmOptions = new ArrayList<>(List.of(
                // Small and quick to start: tests write little. The client JIT alone starts faster.
                "-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, String> saslUsers = new LinkedHashMap<>();
        private boolean authorizer;

        private Builder(Path work) {
            this.work = work;
        }

        /**
         * @param options JVM options instead of the small, quick-to-start defaults, e.g. for a benchmark
         * @return this
         */
        public Builder jvmOptions(String... options) {
            jvmOptions.clear();
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * @param key   a broker setting ({@code server.properties})
         * @param value its value, replacing the harness's
         * @return this
         */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * Adds a SASL_PLAINTEXT listener ({@link #saslBootstrapServers()}) where these users log in with
         * mechanism PLAIN.
         *
         * @param users user name to password
         * @return this
         */
        public Builder saslPlainUsers(Map<String, String> users) {
            saslUsers.putAll(users);
            return this;
        }

        /**
         * Turns ACLs on (KRaft's StandardAuthorizer): SASL users may do only what ACLs allow; the
         * PLAINTEXT listener (the harness's admin client, which creates the ACLs) may do everything.
         *
         * @return this
         */
        public Builder withAcls() {
            authorizer = true;
            return this;
        }

        /** @param dir where the broker's jars are @return this */
        public Builder libs(Path dir) {
            this.libs = dir;
            return this;
        }

        /** @return the broker, not started, its work folder emptied (a leftover broker there is stopped first) */
        public KafkaBroker build() {
            KafkaBroker broker = new KafkaBroker(this);
            try {
                Files.createDirectories(broker.work);
                broker.stopLeftover();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            deleteTree(broker.dataDir());
            try {
                Files.deleteIfExists(broker.consoleLog());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return broker;
        }
    }
}
