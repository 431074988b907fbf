package dev.compactor.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.support.JsonMapper;
import dev.compactor.support.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Plays Lambda's DynamoDB stream event source on this machine: one thread reads every shard of the
 * table's stream (DynamoDB Local serves the Streams API) from the moment it starts, as a mapping
 * with {@code StartingPosition: LATEST} does, drops the records none of the template's filter
 * patterns match, and hands the rest to the function in batches of the template's size, as the
 * event Lambda sends. Records the function reports as failed are handed to it again, at most
 * {@link #MAX_ATTEMPTS} times in all, then left (Lambda would send their range to the on-failure
 * destination). Shards that open later are read from their start.
 */
public final class LocalStreamEventSource implements AutoCloseable {
    /** The function: the event's JSON in, its response's JSON out. */
    public interface Target {
        String invoke(String eventJson);
    }

    static final int MAX_ATTEMPTS = 3;
    /** How long a shard with nothing new waits before it is read again (Lambda reads about four times a second). */
    private static final long IDLE_POLL_MILLIS = 50;
    private static final long SHARD_REFRESH_MILLIS = 2_000;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final SamTemplate.StreamSource source;
    private final StreamFilter filter;
    private final Target function;
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Set<String> known = new HashSet<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong invocations = new AtomicLong();
    private final Thread poller;
    private volatile boolean stopped;

    private LocalStreamEventSource(DynamoDbStreamsClient streams, String streamArn, SamTemplate.StreamSource source, Target function) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.source = source;
        this.filter = StreamFilter.of(source.filterPatterns());
        this.function = function;
        this.poller = new Thread(this::poll, "stream-poller");
        this.poller.setDaemon(true);
    }

    /**
     * Starts reading the stream at its current end: a record written after this returns is delivered.
     *
     * @param streamArn the table's latest stream
     */
    public static LocalStreamEventSource start(DynamoDbStreamsClient streams, String streamArn, SamTemplate.StreamSource source,
                                               Target function) {
        LocalStreamEventSource s = new LocalStreamEventSource(streams, streamArn, source, function);
        s.refreshShards(ShardIteratorType.LATEST);
        s.poller.start();
        return s;
    }

    /** Records read from the stream so far, matched or not. */
    public long recordsRead() {
        return read.get();
    }

    /** Records handed to the function so far (a retried record counts each time). */
    public long recordsDelivered() {
        return delivered.get();
    }

    /** Invocations of the function so far. */
    public long invocations() {
        return invocations.get();
    }

    private void poll() {
        long refreshed = System.nanoTime();
        while (!stopped) {
            try {
                boolean any = false;
                for (Map.Entry<String, String> shard : new ArrayList<>(iterators.entrySet())) {
                    any |= readShard(shard.getKey(), shard.getValue());
                }
                if (System.nanoTime() - refreshed > TimeUnit.MILLISECONDS.toNanos(SHARD_REFRESH_MILLIS)) {
                    refreshShards(ShardIteratorType.TRIM_HORIZON);
                    refreshed = System.nanoTime();
                }
                if (!any) {
                    Thread.sleep(IDLE_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                Log.warn("local.stream_poll_failed", "error", e.getClass().getSimpleName(), "message", e.getMessage());
                try {
                    Thread.sleep(IDLE_POLL_MILLIS * 10);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Reads one page of a shard and delivers what matches; whether it held records. */
    private boolean readShard(String shardId, String iterator) {
        GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(iterator).limit(1000));
        if (page.nextShardIterator() == null) {
            iterators.remove(shardId);
        } else {
            iterators.put(shardId, page.nextShardIterator());
        }
        List<ObjectNode> matched = new ArrayList<>();
        for (Record record : page.records()) {
            ObjectNode json = StreamRecordJson.of(record, streamArn);
            if (filter.matches(json)) {
                matched.add(json);
            }
        }
        read.addAndGet(page.records().size());
        for (int from = 0; from < matched.size(); from += source.batchSize()) {
            deliver(matched.subList(from, Math.min(matched.size(), from + source.batchSize())));
        }
        return !page.records().isEmpty();
    }

    private void deliver(List<ObjectNode> records) {
        List<ObjectNode> pending = records;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            pending = invoke(pending);
        }
        if (!pending.isEmpty()) {
            Log.warn("local.stream_records_dropped", "records", pending.size(), "attempts", MAX_ATTEMPTS);
        }
    }

    /** One invocation; returns the records to hand over again. */
    private List<ObjectNode> invoke(List<ObjectNode> records) {
        ObjectNode event = JsonMapper.MAPPER.createObjectNode();
        ArrayNode list = event.putArray("Records");
        records.forEach(list::add);
        invocations.incrementAndGet();
        delivered.addAndGet(records.size());
        String response;
        try {
            response = function.invoke(event.toString());
        } catch (RuntimeException e) {
            Log.warn("local.stream_function_failed", "error", e.getClass().getSimpleName());
            return records;
        }
        if (!source.reportsItemFailures()) {
            return List.of();
        }
        Set<String> failed = new HashSet<>();
        try {
            for (JsonNode failure : JsonMapper.MAPPER.readTree(response).path("batchItemFailures")) {
                failed.add(failure.path("itemIdentifier").asText());
            }
        } catch (IOException e) {
            return records;
        }
        return records.stream().filter(r -> failed.contains(r.path("dynamodb").path("SequenceNumber").asText())).toList();
    }

    private void refreshShards(ShardIteratorType newShardsFrom) {
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(from)).streamDescription();
            for (Shard shard : description.shards()) {
                if (known.add(shard.shardId())) {
                    boolean closed = shard.sequenceNumberRange() != null && shard.sequenceNumberRange().endingSequenceNumber() != null;
                    if (newShardsFrom == ShardIteratorType.LATEST && closed) {
                        continue;
                    }
                    iterators.put(shard.shardId(), streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                            .shardIteratorType(newShardsFrom)).shardIterator());
                }
            }
            start = description.lastEvaluatedShardId();
        } while (start != null);
    }

    @Override
    public void close() {
        stopped = true;
        poller.interrupt();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
