package dev.compactor.local.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compactor.local.runtime.StreamRecordJson;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Every record a table's stream holds, read with the Streams API, as Lambda's event carries them. */
public final class StreamRecords {
    private StreamRecords() {}

    /** Reads each shard from its start until a read returns nothing (DynamoDB Local's stream holds a write once it is acknowledged). */
    public static List<ObjectNode> readAll(DynamoDbStreamsClient streams, String streamArn) {
        List<ObjectNode> records = new ArrayList<>();
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String from = iterator;
                GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(from));
                page.records().forEach(record -> records.add(StreamRecordJson.of(record, streamArn)));
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return records;
    }
}
