package dev.continuum.agent.telemetry;

import dev.continuum.agent.AgentConfig;
import dev.continuum.agent.Component;
import dev.continuum.agent.link.Backoff;
import dev.continuum.agent.link.Identity;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's telemetry: a {@link BatchPublisher} stores one batch per interval in the
 * {@link FileOutbox} ({@code <data-dir>/outbox}) and an {@link MqttSender} sends the outbox to the
 * broker. Opening the outbox and connecting run in the background, so the local APIs never wait for
 * the disk or the broker. Stopping stores a last batch, gives the sender a second to send
 * what is queued, publishes OFFLINE and closes the outbox.
 *
 * <p>The broker is {@code telemetry-broker} when configured, else the one the controller named last
 * (kept with the {@link Identity}); the interval is {@code telemetry-interval} when configured, else
 * the controller's, else {@value #DEFAULT_INTERVAL_SECONDS} s. Both are read again as they change.
 * A damaged data directory does not stop the agent: telemetry reports itself unhealthy instead.
 */
public final class Telemetry implements Component {
    private static final Logger LOG = Logger.getLogger(Telemetry.class.getName());
    static final long DEFAULT_INTERVAL_SECONDS = 5;
    static final String OUTBOX_DIR = "outbox";
    private static final Duration STOP_DRAIN = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final String agentVersion;
    private final Supplier<Identity> identity;
    private final RequestRecorder recorder;
    private final Vitals vitals;
    private volatile FileOutbox outbox;
    private BatchPublisher publisher;
    private MqttSender sender;
    private volatile String problem = "not started";
    private String badBrokerLogged;
    private Thread opener;
    private boolean stopping;
    private long startedAtMillis;

    public Telemetry(AgentConfig config, String agentVersion, Supplier<Identity> identity, RequestRecorder recorder,
                     Vitals vitals) {
        this.config = config;
        this.agentVersion = agentVersion;
        this.identity = identity;
        this.recorder = recorder;
        this.vitals = vitals;
    }

    /**
     * Returns at once: the outbox is opened (a full one takes up to a second to scan) and the
     * publisher and sender started on a thread of their own. Requests are counted meanwhile and go
     * into the first batch.
     */
    @Override
    public synchronized void start() {
        startedAtMillis = System.currentTimeMillis();
        stopping = false;
        problem = "opening the outbox";
        opener = new Thread(this::open, "agent-telemetry-open");
        opener.setDaemon(true);
        opener.start();
    }

    private void open() {
        FileOutbox o;
        try {
            o = FileOutbox.open(config.dataDir().resolve(OUTBOX_DIR), config.outboxMaxBytes(), config.outboxMaxAge());
        } catch (IOException | RuntimeException e) {
            problem = "telemetry outbox unusable: " + e.getMessage();
            LOG.log(Level.SEVERE, problem + "; no telemetry is kept or sent", e);
            return;
        }
        synchronized (this) {
            if (stopping) {
                closeQuietly(o);
                return;
            }
            sender = new MqttSender(o, identity, this::broker,
                    new Backoff(config.reconnectMin(), config.reconnectMax(), () -> ThreadLocalRandom.current().nextDouble()),
                    agentVersion);
            publisher = new BatchPublisher(o, recorder, vitals, identity, this::interval, System::currentTimeMillis,
                    sender::wake);
            publisher.start(startedAtMillis);
            sender.start();
            outbox = o;
            problem = null;
        }
    }

    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = opener;
            opener = null;
        }
        if (t != null) {
            try {
                t.join(); // not interrupted: an interrupt would close the outbox's files
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (outbox == null) {
                return;
            }
            publisher.stop();
            sender.stop(STOP_DRAIN);
            closeQuietly(outbox);
            outbox = null;
            problem = "stopped";
        }
    }

    private static void closeQuietly(FileOutbox o) {
        try {
            o.close();
        } catch (IOException e) {
            LOG.warning(() -> "closing the telemetry outbox: " + e.getMessage());
        }
    }

    @Override
    public Health health() {
        FileOutbox o = outbox;
        if (o == null) {
            return new Health("telemetry", false, problem != null ? problem : "stopped");
        }
        Outbox.Stats s = o.stats();
        return new Health("telemetry", sender.connected(), sender.state() + "; outbox backlog " + s.backlog()
                + " batches (" + s.backlogBytes() + " bytes), " + s.droppedTotal() + " dropped");
    }

    /** The outbox's stats, or null when telemetry is not running. */
    public Outbox.Stats outboxStats() {
        FileOutbox o = outbox;
        return o == null ? null : o.stats();
    }

    /** Whether the sender is connected to the broker. */
    public boolean brokerConnected() {
        MqttSender s = sender;
        return s != null && s.connected();
    }

    /** The broker to publish to: the configured one, else the controller's; null when none is known. */
    URI broker() {
        if (config.telemetryBroker() != null) {
            return config.telemetryBroker();
        }
        Identity id = identity.get();
        String named = id == null ? "" : id.telemetry().getBrokerUri().trim();
        if (named.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(named);
            AgentConfig.checkBroker("broker_uri from the controller", uri);
            return uri;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            synchronized (this) {
                if (!named.equals(badBrokerLogged)) {
                    badBrokerLogged = named;
                    LOG.warning(() -> "telemetry: ignoring the broker the controller named: " + e.getMessage());
                }
            }
            return null;
        }
    }

    /** The time between batches: the configured one, else the controller's, else the default. */
    Duration interval() {
        if (config.telemetryInterval() != null) {
            return config.telemetryInterval();
        }
        Identity id = identity.get();
        long named = id == null ? 0 : id.telemetry().getIntervalMillis();
        if (named <= 0) {
            return Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS);
        }
        return Duration.ofMillis(Math.max(100, Math.min(named, Duration.ofHours(1).toMillis())));
    }
}
