package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.local.testing.TestDynamo;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What the listing indexes cost the writes that maintain them, as DynamoDB Local reports each
 * write's capacity per index ({@code ReturnConsumedCapacity: INDEXES}, asked by an interceptor so
 * the store's code runs as in production). Their keys are creation times, which never change, so
 * only creating and deleting write to them.
 */
class ListingIndexWritesTest {
    private static final String TENANT = "acme";
    private final TestDynamo local = TestDynamo.get();
    private final IndexWrites writes = new IndexWrites();
    /** No summarizer is used: nothing here compacts. */
    private final ConversationStore store = local.services(local.newTable(), model -> {
        throw new AssertionError("nothing here summarizes");
    }, writes).store();

    /** Write units per global secondary index, summed over the calls since the last {@link #take()}. */
    static final class IndexWrites implements ExecutionInterceptor {
        private final Map<String, Double> units = new HashMap<>();

        synchronized Map<String, Double> take() {
            Map<String, Double> out = Map.copyOf(units);
            units.clear();
            return out;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            return switch (context.request()) {
                case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
                case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
                case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
                default -> context.request();
            };
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            SdkResponse response = context.response();
            List<ConsumedCapacity> consumed = switch (response) {
                case TransactWriteItemsResponse r -> r.consumedCapacity();
                case UpdateItemResponse r -> r.consumedCapacity() == null ? List.of() : List.of(r.consumedCapacity());
                case PutItemResponse r -> r.consumedCapacity() == null ? List.of() : List.of(r.consumedCapacity());
                default -> List.of();
            };
            synchronized (this) {
                for (ConsumedCapacity c : consumed) {
                    for (Map.Entry<String, Capacity> index : c.globalSecondaryIndexes().entrySet()) {
                        units.merge(index.getKey(), index.getValue().capacityUnits(), Double::sum);
                    }
                }
            }
        }
    }

    @Test
    void onlyCreatingAndDeletingWriteToTheListingIndexes() {
        Agent agent = store.createAgent(TENANT, new Agent(Ids.newAgentId(), "billing", "local/extractive", 200_000, "Be brief.", "UTC",
                null, Instant.now()));
        Map<String, Double> agentCreated = writes.take();
        String id = Ids.newConversationId();
        store.createConversation(TENANT, agent, id, ConversationFields.NONE, false);
        Map<String, Double> conversationCreated = writes.take();
        for (int i = 0; i < 3; i++) {
            store.append(TENANT, id, List.of(Message.text(Role.USER, "Step " + i + " of the invoice migration")));
        }
        Map<String, Double> appended = writes.take();
        store.updateConversation(TENANT, id, new ConversationFields("Invoices", "Moving invoices", true, Instant.now(), null, null,
                32_000), agent);
        Map<String, Double> patched = writes.take();
        store.updateAgent(TENANT, new Agent(agent.id(), "billing-2", agent.model(), 100_000, agent.system(), agent.timezone(), null,
                agent.createdAt()));
        Map<String, Double> agentPatched = writes.take();
        store.deleteConversation(TENANT, id);
        Map<String, Double> deleted = writes.take();

        // Creations are transactions, so their index entries are written at the transactional rate (2 units a KB).
        assertThat(agentCreated).as("the agent's entry; its default conversation is listed nowhere").isEqualTo(Map.of("listing", 2.0));
        assertThat(conversationCreated).isEqualTo(Map.of("listing", 2.0, "listing_by_agent", 2.0));
        assertThat(appended.keySet()).as("appends change no listing key").doesNotContain("listing", "listing_by_agent");
        assertThat(patched.keySet()).doesNotContain("listing", "listing_by_agent");
        assertThat(agentPatched.keySet()).doesNotContain("listing");
        assertThat(deleted).as("a soft delete removes both entries").isEqualTo(Map.of("listing", 1.0, "listing_by_agent", 1.0));
    }
}
