package dev.compactor.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.compactor.app.AwsClients;
import dev.compactor.app.Services;
import dev.compactor.conversation.DueConversation;
import dev.compactor.conversation.DueIndex;
import dev.compactor.conversation.DueState;
import dev.compactor.events.Trigger;
import dev.compactor.support.Env;
import dev.compactor.support.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point for the table's stream: the event source mapping's filter lets through only
 * conversation heads that have just entered the due state (see {@code template.yaml}), and this
 * sends each to the compaction queue at the generation the record shows — after marking the head
 * as queued, only if it is still due at that generation, exactly as scheduled discovery does, so
 * a conversation is sent once per generation whichever of the two finds it first.
 *
 * <p>A record that could not be marked (DynamoDB failing) is reported as a batch item failure and
 * retried by Lambda, then goes to the mapping's on-failure destination. A conversation marked as
 * queued whose message SQS then refused is not retried here (a retry would find it queued): the
 * schedule sends it again after {@code REQUEUE_AFTER_MINUTES}, as for a lost message.
 */
public final class DueStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Resource {
    private final DueIndex index;
    private final SqsSender queue;

    public DueStreamHandler() {
        this(Services.fromEnvironment(Env.system()));
    }

    public DueStreamHandler(Map<String, String> environment) {
        this(Services.fromEnvironment(new Env(environment)));
    }

    public DueStreamHandler(Services services) {
        this(services.store(), SqsSender.compactionQueue(services.env(), AwsClients.sqs(services.env())));
    }

    DueStreamHandler(DueIndex index, SqsSender queue) {
        this.index = index;
        this.queue = queue;
        Core.getGlobalContext().register(this);
    }

    /** What one batch of stream records did. */
    public record Handled(int sent, int movedOn, int ignored, List<String> failedSequenceNumbers) {}

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        Handled handled = handle(event);
        return StreamsEventResponse.builder().withBatchItemFailures(handled.failedSequenceNumbers().stream()
                .map(seq -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build()).toList()).build();
    }

    /**
     * Marks and sends the records' due heads, ten per queue call.
     *
     * @throws IllegalArgumentException when the event is not a DynamoDB stream event (the whole batch is retried)
     */
    public Handled handle(DynamodbEvent event) {
        if (event == null || event.getRecords() == null) {
            throw new IllegalArgumentException("not a DynamoDB stream event: no Records");
        }
        List<DueConversation> due = new ArrayList<>();
        List<String> sequenceNumbers = new ArrayList<>();
        int ignored = 0;
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            DueConversation head = dueHead(record);
            if (head == null) {
                // Not a due head (the filter should have dropped it): nothing to do, nothing to retry.
                ignored++;
            } else {
                due.add(head);
                sequenceNumbers.add(record.getDynamodb().getSequenceNumber());
            }
        }
        List<String> failed = new ArrayList<>();
        int sent = 0;
        int movedOn = 0;
        for (int from = 0; from < due.size(); from += SqsSender.MAX_BATCH) {
            int to = Math.min(due.size(), from + SqsSender.MAX_BATCH);
            List<DueConversation> claimed;
            try {
                claimed = index.claimDue(due.subList(from, to));
            } catch (RuntimeException e) {
                Log.error("stream.claim_failed", "records", to - from, "error", e.getClass().getSimpleName());
                failed.addAll(sequenceNumbers.subList(from, to));
                continue;
            }
            movedOn += (to - from) - claimed.size();
            if (claimed.isEmpty()) {
                continue;
            }
            try {
                queue.send(claimed.stream().map(d -> DueMessage.of(d, Trigger.DUE).toJson()).toList());
                sent += claimed.size();
            } catch (RuntimeException e) {
                Log.error("stream.send_failed", "conversations", claimed.size(), "error", e.getClass().getSimpleName(),
                        "resent_by", "schedule after REQUEUE_AFTER_MINUTES");
            }
        }
        Log.info("stream.due", "records", event.getRecords().size(), "sent", sent, "moved_on", movedOn, "ignored", ignored,
                "failed", failed.size());
        return new Handled(sent, movedOn, ignored, failed);
    }

    /** The conversation a record's new head image shows as due, or null when it shows none. */
    static DueConversation dueHead(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord stream = record == null ? null : record.getDynamodb();
        Map<String, AttributeValue> image = stream == null ? null : stream.getNewImage();
        String partition = image == null ? null : text(image, "due_pk");
        if (partition == null || !partition.startsWith(DueState.DUE.partitionPrefix() + "#")) {
            return null;
        }
        String tenant = text(image, "tenant");
        String conversationId = text(image, "conversation_id");
        Long generation = number(image, "compaction_gen");
        Long tokens = number(image, "ctx_tokens");
        if (tenant == null || conversationId == null || generation == null || tokens == null) {
            return null;
        }
        return new DueConversation(tenant, conversationId, generation, tokens, DueState.DUE, null);
    }

    private static String text(Map<String, AttributeValue> image, String name) {
        AttributeValue v = image.get(name);
        return v == null ? null : v.getS();
    }

    private static Long number(Map<String, AttributeValue> image, String name) {
        AttributeValue v = image.get(name);
        try {
            return v == null || v.getN() == null ? null : Long.parseLong(v.getN());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Before the SnapStart snapshot: read a record that is not a due head through the event types,
     * so the first batch after a restore pays for neither. Nothing is marked or sent.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
            record.setDynamodb(new StreamRecord().withNewImage(Map.of("due_pk", new AttributeValue().withS("IDLE#0")))
                    .withSequenceNumber("0"));
            DynamodbEvent event = new DynamodbEvent();
            event.setRecords(List.of(record));
            handle(event);
        } catch (RuntimeException e) {
            Log.warn("snapstart.priming_failed", "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the clients reopen stale connections on first use.
    }
}
