package dev.wgcp.schemas.consumer;

import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.MalformedRecordException;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.signing.TrustedKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that reads wgcp event topics and hands each decoded event to a handler.
 *
 * <p>Values are read as bytes and decoded here, so that a record that cannot be decoded is sent to
 * the dead-letter topic as it was and the loop moves on, while a handler failure (a database or
 * broker outage) is retried on the same batch with backoff: nothing is skipped and nothing is lost.
 * An event the handler keeps failing on for another reason (a field it cannot take) is found among
 * its batch after a few attempts and dead-lettered with the reason, so it never stalls its partition.
 *
 * <p>Two modes: {@link #group} consumes as a member of a consumer group and commits offsets after
 * each batch (services); {@link #replay} reads every partition from the beginning without a group or
 * commits, and reports when it has caught up with the end offsets seen at start (agents rebuilding
 * their state).
 */
public final class EventConsumerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventConsumerLoop.class);

    /** How often a replay looks for partitions added to its topics (and how old its metadata may be). */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(10);

    /** How often an event is tried before a failure that is not transient dead-letters it. */
    static final int ATTEMPTS = 5;

    /** Called after each polled batch was handled, and once when a replay reached the end offsets seen at start. */
    public interface Listener {
        default void batchHandled(int records) {
        }

        default void caughtUp() {
        }

        /**
         * Called for each record refused for its signature ({@code reason} one of
         * {@link TrustedKeys.Reason}'s labels) or by the {@link Validator} ({@code invalid}); it
         * never reached the handler. {@code replayed}: the record was in the topic before this
         * replay started (a restart reading history), so it was refused and counted, but not
         * dead-lettered again; new records are dead-lettered with {@code message}.
         */
        default void refused(String topic, String reason, String message, boolean replayed) {
        }
    }

    /**
     * Checks a decoded event before the handler sees it: null to accept, else what is wrong (the
     * record is dead-lettered with it). Where a consumer turns events into changes on a system
     * (the agent: WireGuard, nftables), every field it passes on is checked here first.
     */
    @FunctionalInterface
    public interface Validator {
        String problem(SpecificRecord event, ConsumerRecord<String, byte[]> record);
    }

    /** A record and the event decoded from it. */
    public record Decoded(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
    }

    /**
     * Handles the decoded events of one poll together (for example in one database transaction, so a
     * burst of events costs one commit). Throwing retries the whole batch: handlers must be idempotent.
     */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(List<Decoded> batch) throws Exception;
    }

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicSpec> topics;
    private final boolean replay;
    /** A replay that starts at the ends instead of the beginnings (a tail: what happens from now on). */
    private boolean fromEnd;
    private final EventDeserializer deserializer;
    private final BatchHandler handler;
    private final DeadLetters deadLetters;
    private final Listener listener;
    private final TrustedKeys trust;
    private final Validator validator;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile double lag = Double.NaN;
    /** A replay's end offsets when it started: records below them are history (see {@link Listener#refused}). */
    private volatile Map<TopicPartition, Long> history = Map.of();

    private EventConsumerLoop(String name, Properties props, List<TopicSpec> topics, boolean replay,
                              EventDeserializer deserializer, BatchHandler handler, DeadLetters deadLetters,
                              Listener listener, TrustedKeys trust, Validator validator) {
        this.trust = trust;
        this.validator = validator;
        this.name = name;
        this.topics = topics;
        this.replay = replay;
        this.deserializer = deserializer;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.listener = listener == null ? new Listener() { } : listener;
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** A consumer-group member that handles one event at a time and commits after each batch. */
    public static EventConsumerLoop group(KafkaConnection kafka, String groupId, List<TopicSpec> topics,
                                          EventDeserializer deserializer, EventHandler handler, DeadLetters deadLetters) {
        return groupBatches(kafka, groupId, topics, deserializer, each(handler), deadLetters);
    }

    /** A consumer-group member that hands each poll's events to {@code handler} at once, then commits. */
    public static EventConsumerLoop groupBatches(KafkaConnection kafka, String groupId, List<TopicSpec> topics,
                                                 EventDeserializer deserializer, BatchHandler handler, DeadLetters deadLetters) {
        return groupBatches(kafka, groupId, GroupMembership.DEFAULT, topics, deserializer, handler, deadLetters);
    }

    /** The same, a member as {@code membership} says (session timeout, static instance id). */
    public static EventConsumerLoop groupBatches(KafkaConnection kafka, String groupId, GroupMembership membership, List<TopicSpec> topics,
                                                 EventDeserializer deserializer, BatchHandler handler, DeadLetters deadLetters) {
        Properties p = baseProps(kafka, groupId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(membership.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(membership.heartbeatInterval().toMillis()));
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        if (membership.instanceId() != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-" + membership.instanceId());
        }
        // A new group must see the whole history: services rebuild nothing from elsewhere.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new EventConsumerLoop(groupId, p, topics, false, deserializer, handler, deadLetters, null, null, null);
    }

    /** A reader of every partition from the beginning, without a group (nothing committed). */
    public static EventConsumerLoop replay(KafkaConnection kafka, String clientId, List<TopicSpec> topics,
                                           EventDeserializer deserializer, EventHandler handler, DeadLetters deadLetters,
                                           Listener listener) {
        return replay(kafka, clientId, topics, deserializer, handler, deadLetters, listener, null, null);
    }

    /**
     * The same, taking records of the topics {@code trust} covers only when signed by a key it
     * trusts for them, and events only when {@code validator} (null: none) finds nothing wrong:
     * any other record is dead-lettered with the reason, reported to {@link Listener#refused}, and
     * never reaches {@code handler}.
     */
    public static EventConsumerLoop replay(KafkaConnection kafka, String clientId, List<TopicSpec> topics,
                                           EventDeserializer deserializer, EventHandler handler, DeadLetters deadLetters,
                                           Listener listener, TrustedKeys trust, Validator validator) {
        Properties p = baseProps(kafka, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Partitions added to a topic show up in the metadata within this long (followNewPartitions).
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, String.valueOf(PARTITION_CHECK.toMillis()));
        return new EventConsumerLoop(clientId, p, topics, true, deserializer, each(handler), deadLetters, listener, trust, validator);
    }

    /**
     * A reader of what is written to {@code topics} from now on: every partition from its end, without
     * a group or commits, and without dead letters (the group consumers that own the topics' events
     * dead-letter what cannot be decoded; a tail skips it). For what each instance of a service must
     * see, whichever instance's group member handles it (the registry's waiting registrations).
     */
    public static EventConsumerLoop tail(KafkaConnection kafka, String clientId, List<TopicSpec> topics,
                                         EventDeserializer deserializer, EventHandler handler) {
        Properties p = baseProps(kafka, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, String.valueOf(PARTITION_CHECK.toMillis()));
        EventConsumerLoop loop = new EventConsumerLoop(clientId, p, topics, true, deserializer, each(handler), null, null, null, null);
        loop.fromEnd = true;
        return loop;
    }

    private static BatchHandler each(EventHandler handler) {
        return batch -> {
            for (Decoded d : batch) {
                handler.handle(d.event(), d.record());
            }
        };
    }

    private static Properties baseProps(KafkaConnection kafka, String clientId) {
        Properties p = kafka.properties(clientId);
        // Return a fetch as soon as one record is there: latency matters more than fetch efficiency here.
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        return p;
    }

    public EventConsumerLoop start() {
        thread.start();
        return this;
    }

    /** Whether the loop's thread still runs; false after a fatal error (and after {@link #close()}). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    public String name() {
        return name;
    }

    /** Where a loop stands, as {@code /health} reports it: only {@link #FOLLOWING} is healthy. */
    public enum State {
        /** A replay that has not read up to the end offsets seen at its start (or could not reach the brokers yet). */
        CATCHING_UP("catching up"),
        FOLLOWING("following"),
        /** The thread ended: a fatal error (authentication, authorization) or {@link #close()}. */
        STOPPED("stopped");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A group member follows once started; a replay only once it has caught up with the history. */
    public State state() {
        if (!thread.isAlive()) {
            return State.STOPPED;
        }
        return replay && caughtUp.getCount() > 0 ? State.CATCHING_UP : State.FOLLOWING;
    }

    /**
     * How many records the consumer was behind the end of its partitions after its last poll, summed
     * over them (what the consumer knows from its fetches, no extra request); NaN before it knows.
     */
    public double lag() {
        return lag;
    }

    private void recordLag() {
        long sum = 0;
        boolean known = false;
        for (org.apache.kafka.common.TopicPartition tp : consumer.assignment()) {
            java.util.OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                sum += l.getAsLong();
                known = true;
            }
        }
        if (known) {
            lag = sum;
        }
    }

    /** Waits until a replay has read up to the end offsets that existed when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            Map<TopicPartition, Long> endAtStart = Map.of();
            if (replay) {
                endAtStart = assignFromBeginning();
                if (endAtStart == null) {
                    return; // stopped while the brokers were away
                }
                history = Map.copyOf(endAtStart);
                checkCaughtUp(endAtStart);
            } else {
                consumer.subscribe(topics.stream().map(TopicSpec::name).toList());
            }
            long nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        handleBatch(records);
                    }
                    recordLag();
                    if (replay && caughtUp.getCount() > 0) {
                        checkCaughtUp(endAtStart);
                    }
                    if (replay && System.nanoTime() - nextPartitionCheck >= 0) {
                        nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                        followNewPartitions();
                    }
                } catch (WakeupException | AuthenticationException | AuthorizationException | UnsupportedVersionException
                         | InvalidTopicException e) {
                    throw e; // fatal: retrying cannot help
                } catch (KafkaException e) {
                    // A failed commit (rebalance) or a broker hiccup: the uncommitted records come again and the
                    // handlers are idempotent, so log and go on.
                    LOG.warn("{}: {}; continuing", name, e.getMessage());
                    sleepBackoff(500);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("{}: unexpected wakeup", name, e);
            }
        } catch (RuntimeException e) {
            LOG.error("{}: consumer loop stopped, this service no longer follows {}: {}", name,
                    topics.stream().map(TopicSpec::name).toList(), e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Assigns every partition of the topics from its beginning and returns their end offsets; while
     * the brokers cannot be reached (an edge that starts before them, an outage) it keeps trying
     * with backoff instead of giving up. Null when stopped meanwhile.
     */
    private Map<TopicPartition, Long> assignFromBeginning() {
        long backoffMs = 1000;
        while (running) {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (TopicSpec t : topics) {
                    consumer.partitionsFor(t.name(), Duration.ofSeconds(10))
                            .forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
                consumer.assign(partitions);
                if (fromEnd) {
                    consumer.seekToEnd(partitions);
                    partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(10))); // fixed now, not at the first poll
                    return new HashMap<>();
                }
                consumer.seekToBeginning(partitions);
                return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(10)));
            } catch (WakeupException | AuthenticationException | AuthorizationException | UnsupportedVersionException
                     | InvalidTopicException e) {
                throw e; // fatal: retrying cannot help
            } catch (KafkaException e) {
                LOG.warn("{}: cannot read the partitions of {} yet (brokers unreachable?), retrying in {} ms: {}", name,
                        topics.stream().map(TopicSpec::name).toList(), backoffMs, e.getMessage());
                backoffMs = sleepBackoff(backoffMs);
            }
        }
        return null;
    }

    /**
     * A replay assigns itself its topics' partitions; partitions added later (to spread load) get
     * records too, a revocation among them, so they are assigned and read from their beginning.
     */
    private void followNewPartitions() {
        java.util.Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> added = new ArrayList<>();
        for (TopicSpec t : topics) {
            for (org.apache.kafka.common.PartitionInfo i : consumer.partitionsFor(t.name(), Duration.ofSeconds(5))) {
                TopicPartition tp = new TopicPartition(i.topic(), i.partition());
                if (!assigned.contains(tp)) {
                    added.add(tp);
                }
            }
        }
        if (!added.isEmpty()) {
            List<TopicPartition> all = new ArrayList<>(assigned);
            all.addAll(added);
            consumer.assign(all);
            consumer.seekToBeginning(added);
            LOG.info("{}: partitions {} were added to its topics; reading them from their beginning", name, added);
        }
    }

    private void checkCaughtUp(Map<TopicPartition, Long> endAtStart) {
        for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        caughtUp.countDown();
        listener.caughtUp();
    }

    private void handleBatch(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        List<Decoded> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            Decoded d = decodeWithRetry(record);
            if (d == null && !running) {
                return; // stopped while retrying: commit nothing of this batch
            }
            if (d != null && d.event() != null) {
                decoded.add(d);
            }
            done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        if (!handleAll(decoded)) {
            return; // stopped while retrying: commit nothing of this batch
        }
        if (!replay && !done.isEmpty()) {
            consumer.commitSync(done);
        }
        listener.batchHandled(decoded.size());
    }

    /**
     * Hands the batch to the handler, retrying with backoff. A failure that passes by itself (the
     * database or broker down, {@link HandlerFailures#isTransient}) is retried for as long as it
     * lasts; any other, after {@value #ATTEMPTS} attempts, makes the loop handle the batch's events one
     * at a time, so the event that causes it is found, dead-lettered with the reason and passed,
     * and the others are handled: one bad event never stalls its partition. False when stopped.
     */
    private boolean handleAll(List<Decoded> decoded) {
        if (decoded.isEmpty()) {
            return true;
        }
        long backoffMs = 100;
        for (int attempt = 1; running; attempt++) {
            try {
                handler.handle(decoded);
                return true;
            } catch (Exception e) {
                Decoded first = decoded.get(0);
                boolean again = attempt < ATTEMPTS || HandlerFailures.isTransient(e);
                LOG.error("{}: handling a batch of {} events starting at {}/{}@{} failed{}: {}", name, decoded.size(),
                        first.record().topic(), first.record().partition(), first.record().offset(),
                        again ? ", retrying in " + backoffMs + " ms" : " " + attempt + " times; handling its events one at a time",
                        e.getMessage(), e);
                if (!again) {
                    break;
                }
                backoffMs = sleepBackoff(backoffMs);
            }
        }
        for (Decoded d : decoded) {
            if (!running || !handleOne(d)) {
                return false;
            }
        }
        return true;
    }

    /** One event on its own: handled, or dead-lettered when it keeps failing for a reason that is not transient. */
    private boolean handleOne(Decoded d) {
        long backoffMs = 100;
        for (int attempt = 1; running; attempt++) {
            try {
                handler.handle(List.of(d));
                return true;
            } catch (Exception e) {
                if (attempt >= ATTEMPTS && !HandlerFailures.isTransient(e)) {
                    return refuse(d.record(), "handler", "the handler failed " + attempt + " times on this event: "
                            + HandlerFailures.describe(e)) != null;
                }
                LOG.warn("{}: handling {}/{}@{} failed, retrying in {} ms: {}", name, d.record().topic(), d.record().partition(),
                        d.record().offset(), backoffMs, e.getMessage());
                backoffMs = sleepBackoff(backoffMs);
            }
        }
        return false;
    }

    /**
     * The decoded record; a record that cannot be decoded is dead-lettered and comes back as a
     * Decoded with a null event. Null only when the loop stopped while retrying.
     */
    private Decoded decodeWithRetry(ConsumerRecord<String, byte[]> record) {
        TrustedKeys.Refusal refusal = trust == null ? null : trust.check(record.topic(), record.headers(), record.value(),
                record.timestamp(), record.timestampType());
        if (refusal != null) {
            return refuse(record, refusal.reason().label(), refusal.message());
        }
        long backoffMs = 100;
        while (running) {
            try {
                SpecificRecord event = deserializer.deserialize(record.topic(), record.value());
                String problem = validator == null || event == null ? null : validate(event, record);
                return problem == null ? new Decoded(event, record) : refuse(record, "invalid", problem);
            } catch (MalformedRecordException e) {
                if (deadLetters == null) {
                    LOG.debug("{}: skipping undecodable {}/{}@{} (its owners' consumers dead-letter it): {}", name, record.topic(),
                            record.partition(), record.offset(), e.getMessage());
                    return new Decoded(null, record);
                }
                try {
                    deadLetters.send(record, e);
                    return new Decoded(null, record);
                } catch (RuntimeException dlqFailure) {
                    LOG.error("{}: cannot dead-letter {}/{}@{}, retrying: {}", name, record.topic(), record.partition(),
                            record.offset(), dlqFailure.getMessage());
                }
            } catch (dev.wgcp.schemas.UnknownSchemaException e) {
                // The registry lost the schema or is another one: skipping would drop state (an agent would remove peers).
                LOG.error("{}: cannot decode {}/{}@{}, retrying in {} ms and reading nothing behind it: {}", name, record.topic(),
                        record.partition(), record.offset(), backoffMs, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot decode {}/{}@{} yet (registry unavailable?), retrying in {} ms: {}", name, record.topic(),
                        record.partition(), record.offset(), backoffMs, e.getMessage());
            }
            backoffMs = sleepBackoff(backoffMs);
        }
        return null;
    }

    private String validate(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        try {
            return validator.problem(event, record);
        } catch (RuntimeException e) {
            // A validator that cannot judge a record does not let it through.
            LOG.error("{}: validating {}/{}@{} failed", name, record.topic(), record.partition(), record.offset(), e);
            return "the record could not be validated (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Dead-letters a refused record (retrying until the dead-letter topic takes it); null when stopped meanwhile. */
    private Decoded refuse(ConsumerRecord<String, byte[]> record, String reason, String message) {
        boolean replayed = record.offset() < history.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L);
        if (replayed || deadLetters == null) {
            listener.refused(record.topic(), reason, message, replayed);
            return new Decoded(null, record);
        }
        long backoffMs = 100;
        while (running) {
            try {
                deadLetters.send(record, message);
                listener.refused(record.topic(), reason, message, false);
                return new Decoded(null, record);
            } catch (RuntimeException dlqFailure) {
                LOG.error("{}: cannot dead-letter refused {}/{}@{}, retrying: {}", name, record.topic(), record.partition(),
                        record.offset(), dlqFailure.getMessage());
            }
            backoffMs = sleepBackoff(backoffMs);
        }
        return null;
    }

    private long sleepBackoff(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return Math.min(ms * 2, 10_000);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
