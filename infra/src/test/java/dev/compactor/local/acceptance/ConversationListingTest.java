package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.Ids;
import dev.compactor.local.testing.HttpJson;
import dev.compactor.local.testing.LocalApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Letta's conversation and agent management routes over real HTTP (API Gateway emulator, the
 * handler, DynamoDB Local with the template's listing indexes): lists and their paging, PATCH,
 * soft delete, fork, agent delete, and a conversation's own context window in compaction.
 */
class ConversationListingTest {
    private static final String SYSTEM = "You help migrate the billing database.";
    private final LocalApi api = LocalApi.start();
    private final HttpJson http = api.http;

    @AfterEach
    void stop() {
        api.close();
    }

    private String agent(String name, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "model", "local/extractive", "system", SYSTEM));
        body.putAll(extra);
        HttpJson.Response created = http.post("/v1/agents/", body);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        return (String) created.object().get("id");
    }

    private Map<String, Object> conversation(String agentId, Map<String, Object> body) {
        HttpJson.Response created = http.post("/v1/conversations/?agent_id=" + agentId, body);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        return created.object();
    }

    private String conversation(String agentId) {
        return (String) conversation(agentId, Map.of()).get("id");
    }

    private HttpJson.Response append(String conversationId, int count, int words) {
        List<Map<String, Object>> messages = IntStream.range(0, count).<Map<String, Object>>mapToObj(i -> Map.of(
                "role", i % 2 == 0 ? "user" : "assistant",
                "content", "Step " + i + ": " + "copy invoice shard rows and verify the checksums ".repeat(words))).toList();
        return http.post("/v1/conversations/" + conversationId + "/messages/append", Map.of("messages", messages));
    }

    private static List<String> ids(HttpJson.Response listed) {
        assertThat(listed.status()).as(listed.raw().body()).isEqualTo(200);
        return listed.list().stream().map(c -> (String) c.get("id")).toList();
    }

    /** Every page of a list, following Letta's {@code after} cursor (the last id of each page). */
    private List<String> allPages(String query) {
        List<String> all = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 20; pages++) {
            List<String> page = ids(http.get("/v1/conversations/?limit=2&" + query + (after == null ? "" : "&after=" + after)));
            if (page.isEmpty()) {
                return all;
            }
            assertThat(page.size()).isLessThanOrEqualTo(2);
            all.addAll(page);
            after = page.get(page.size() - 1);
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void conversationsAreListedByCreationTimeInBothOrdersPageByPageAndPerAgent() {
        String billing = agent("billing", Map.of());
        String support = agent("support", Map.of());
        List<Map<String, Object>> billingConversations = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            billingConversations.add(conversation(billing, Map.of()));
        }
        List<Map<String, Object>> everything = new ArrayList<>(billingConversations);
        everything.add(conversation(support, Map.of()));
        everything.add(conversation(support, Map.of()));
        Comparator<Map<String, Object>> byCreation = Comparator.<Map<String, Object>, java.time.Instant>comparing(
                c -> java.time.Instant.parse((String) c.get("created_at"))).thenComparing(c -> (String) c.get("id"));
        List<String> billingOldestFirst = billingConversations.stream().sorted(byCreation).map(c -> (String) c.get("id")).toList();
        List<String> allOldestFirst = everything.stream().sorted(byCreation).map(c -> (String) c.get("id")).toList();

        assertThat(allPages("agent_id=" + billing)).isEqualTo(billingOldestFirst.reversed());
        assertThat(allPages("agent_id=" + billing + "&order=asc")).isEqualTo(billingOldestFirst);
        assertThat(allPages("order=asc")).as("every conversation of the tenant; agents' default conversations are not listed")
                .isEqualTo(allOldestFirst);
        assertThat(allPages("order=desc")).isEqualTo(allOldestFirst.reversed());
        assertThat(ids(http.get("/v1/conversations/"))).as("default limit 50, newest first").isEqualTo(allOldestFirst.reversed());
        Map<String, Object> listed = http.get("/v1/conversations/?agent_id=" + support + "&limit=1").list().get(0);
        assertThat(listed).containsEntry("agent_id", support).containsEntry("in_context_message_ids", null)
                .containsEntry("archived", false).containsKeys("created_at", "last_message_at", "summary", "model", "context_window_limit");
        assertThat(ids(http.get("/v1/conversations/?limit=0"))).isEmpty();
    }

    @Test
    void listsAnswerLettasErrorsForBadParametersAndCursors() {
        String billing = agent("billing", Map.of());
        conversation(billing);

        assertThat(ids(http.get("/v1/conversations/?agent_id=" + Ids.newAgentId()))).as("an agent with nothing").isEmpty();
        assertThat(ids(http.get("/v1/conversations/?agent_id=not-an-agent"))).as("Letta filters on any string").isEmpty();
        String unknown = Ids.newConversationId();
        HttpJson.Response unknownCursor = http.get("/v1/conversations/?after=" + unknown);
        assertThat(unknownCursor.status()).isEqualTo(404);
        assertThat(unknownCursor.detail()).isEqualTo("Conversation with id " + unknown + " not found");
        assertThat(http.get("/v1/conversations/?after=conv-1").status()).isEqualTo(404);
        assertThat(http.get("/v1/conversations/?limit=-1").detail()).contains("'type': 'greater_than_equal', 'loc': ('query', 'limit')");
        assertThat(http.get("/v1/conversations/?limit=ten").detail()).contains("'type': 'int_parsing', 'loc': ('query', 'limit')");
        assertThat(http.get("/v1/conversations/?order=sideways").detail()).contains("'type': 'literal_error', 'loc': ('query', 'order')");
        assertThat(http.get("/v1/conversations/?order_by=name").detail()).contains("'loc': ('query', 'order_by')");
        assertThat(http.get("/v1/conversations/?archive_status=gone").detail()).contains("'loc': ('query', 'archive_status')");
        assertThat(http.get("/v1/agents/?limit=1001").detail()).contains("'type': 'less_than_equal', 'loc': ('query', 'limit')");
        assertThat(http.get("/v1/agents/?order=up").detail()).contains("'loc': ('query', 'order')");
    }

    @Test
    void lastMessageAtOrdersByTheLatestAppendOrCompaction() {
        String billing = agent("billing", Map.of());
        String first = conversation(billing);
        String second = conversation(billing);
        String third = conversation(billing);
        assertThat(append(first, 2, 1).status()).isEqualTo(200);

        assertThat(ids(http.get("/v1/conversations/?order_by=last_message_at"))).containsExactly(first, third, second);
        assertThat(ids(http.get("/v1/conversations/?order_by=last_run_completion&order=asc"))).containsExactly(second, third, first);
        assertThat(ids(http.get("/v1/conversations/?order_by=last_message_at&after=" + third))).containsExactly(second);
        assertThat(ids(http.get("/v1/conversations/?order_by=last_message_at&order=asc&limit=1&after=" + second)))
                .containsExactly(third);
        assertThat(ids(http.get("/v1/conversations/?order_by=created_at"))).containsExactly(third, second, first);
    }

    @Test
    void patchChangesOnlyTheFieldsSentAndListsFilterOnThem() {
        String billing = agent("billing", Map.of());
        String id = conversation(billing);
        String other = conversation(billing);

        HttpJson.Response patched = http.patch("/v1/conversations/" + id, Map.of("summary", "Invoice shard migration",
                "description", "Moving invoices to the new cluster", "context_window_limit", 32000, "model", "openai/gpt-4o-mini",
                "model_settings", Map.of("provider_type", "openai", "temperature", 0.2)));
        assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
        assertThat(patched.object()).containsEntry("summary", "Invoice shard migration")
                .containsEntry("description", "Moving invoices to the new cluster").containsEntry("context_window_limit", 32000L)
                .containsEntry("model", "openai/gpt-4o-mini").containsEntry("archived", false).containsEntry("archived_at", null);
        assertThat(patched.object().get("model_settings")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class)).containsEntry("provider_type", "openai")
                .containsEntry("temperature", 0.2);
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("summary", null);
        nulls.put("archived", true);
        HttpJson.Response archived = http.patch("/v1/conversations/" + id, nulls);
        assertThat(archived.object()).as("null leaves a field as it is, as Letta").containsEntry("summary", "Invoice shard migration")
                .containsEntry("archived", true).containsEntry("context_window_limit", 32000L);
        assertThat(archived.object().get("archived_at")).isNotNull();
        assertThat(http.get("/v1/conversations/" + id).object()).isEqualTo(archived.object());

        assertThat(ids(http.get("/v1/conversations/"))).as("archived conversations are left out by default").containsExactly(other);
        assertThat(ids(http.get("/v1/conversations/?archive_status=archived"))).containsExactly(id);
        assertThat(ids(http.get("/v1/conversations/?archive_status=all"))).containsExactly(other, id);
        assertThat(ids(http.get("/v1/conversations/?archive_status=all&summary_search=shard"))).containsExactly(id);
        assertThat(ids(http.get("/v1/conversations/?archive_status=all&summary_search=payroll"))).isEmpty();
        assertThat(http.patch("/v1/conversations/" + id, Map.of("archived", false)).object()).containsEntry("archived", false)
                .containsEntry("archived_at", null);
    }

    @Test
    void invalidPatchesAre422AndChangeNothing() {
        String billing = agent("billing", Map.of());
        String id = conversation(billing);
        Map<String, Object> before = http.get("/v1/conversations/" + id).object();

        HttpJson.Response bad = http.patch("/v1/conversations/" + id, Map.of("summary", 7, "context_window_limit", 0,
                "model", "gpt-4o", "archived", "maybe", "model_settings", Map.of("provider_type", "abacus"),
                "last_message_at", "yesterday"));

        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.detail()).contains("'loc': ('body', 'summary')", "'loc': ('body', 'context_window_limit')",
                "'loc': ('body', 'model')", "'loc': ('body', 'archived')", "'loc': ('body', 'model_settings')",
                "'loc': ('body', 'last_message_at')");
        assertThat(http.patch("/v1/conversations/" + id, "[1]").status()).isEqualTo(422);
        assertThat(http.patch("/v1/conversations/" + id, Map.of("description", "d".repeat(2_001))).detail())
                .contains("'type': 'string_too_long', 'loc': ('body', 'description')");
        assertThat(http.patch("/v1/conversations/" + id, Map.of("model_settings", Map.of("provider_type", "openai", "response_format",
                Map.of("type", "json_schema", "json_schema", Map.of("name", "x".repeat(4_000)))))).detail())
                .contains("'loc': ('body', 'model_settings')");
        assertThat(http.post("/v1/conversations/?agent_id=" + billing, Map.of("context_window_limit", -5)).detail())
                .contains("'loc': ('body', 'context_window_limit')");
        assertThat(http.get("/v1/conversations/" + id).object()).isEqualTo(before);
        assertThat(http.patch("/v1/conversations/" + Ids.newConversationId(), Map.of("summary", "x")).status()).isEqualTo(404);
        assertThat(http.patch("/v1/conversations/conv-1", Map.of()).detail()).contains("'type': 'string_too_short'");
    }

    @Test
    void aDeletedConversationIsGoneFromListsAndEveryRouteAnswers404() {
        String billing = agent("billing", Map.of());
        String id = conversation(billing);
        String kept = conversation(billing);
        assertThat(append(id, 6, 3).status()).isEqualTo(200);

        HttpJson.Response deleted = http.delete("/v1/conversations/" + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.raw().body()).isEqualTo("null");
        assertThat(ids(http.get("/v1/conversations/?archive_status=all"))).containsExactly(kept);
        assertThat(ids(http.get("/v1/conversations/?agent_id=" + billing + "&order_by=last_message_at"))).containsExactly(kept);
        String prefix = "/v1/conversations/" + id;
        List<HttpJson.Response> afterwards = List.of(http.get(prefix), http.get(prefix + "/messages"), http.get(prefix + "/compactions"),
                append(id, 2, 1), http.post(prefix + "/compact", Map.of("compaction_settings", Map.of("mode", "all"))),
                http.post(prefix + "/compactions/1/revert", null), http.patch(prefix, Map.of("summary", "x")),
                http.post(prefix + "/fork", null), http.delete(prefix));
        assertThat(afterwards).allSatisfy(r -> {
            assertThat(r.status()).as(r.raw().request().method() + " " + r.raw().uri()).isEqualTo(404);
            assertThat(r.detail()).isEqualTo("Conversation with id " + id + " not found");
        });
        assertThat(ids(http.get("/v1/conversations/?after=" + id))).as("a deleted cursor still pages, as in Letta").isEmpty();
        assertThat(http.get("/v1/conversations/" + kept).status()).isEqualTo(200);
    }

    @Test
    void aForkHasTheSourcesSummaryAndKeptMessagesAfterAFreshSystemMessage() {
        String billing = agent("billing", Map.of("compaction_settings", Map.of("mode", "sliding_window", "sliding_window_percentage", 0.3)));
        Map<String, Object> source = conversation(billing, Map.of("model", "openai/gpt-4o-mini", "context_window_limit", 90000,
                "summary", "not carried"));
        String sourceId = (String) source.get("id");
        assertThat(append(sourceId, 10, 2).status()).isEqualTo(200);
        HttpJson.Response compacted = http.post("/v1/conversations/" + sourceId + "/compact", Map.of());
        assertThat(compacted.status()).as(compacted.raw().body()).isEqualTo(200);
        Map<String, Object> compactedSource = http.get("/v1/conversations/" + sourceId).object();
        List<?> sourceContext = (List<?>) compactedSource.get("in_context_message_ids");
        assertThat(sourceContext.size()).isBetween(4, 10);
        http.patch("/v1/agents/" + billing, Map.of("system", "A newer prompt."));

        HttpJson.Response forked = http.post("/v1/conversations/" + sourceId + "/fork", null);

        assertThat(forked.status()).as(forked.raw().body()).isEqualTo(200);
        Map<String, Object> fork = forked.object();
        String forkId = (String) fork.get("id");
        assertThat(forkId).isNotEqualTo(sourceId).matches(Ids.CONVERSATION_ID);
        assertThat(fork).containsEntry("agent_id", billing).containsEntry("model", "openai/gpt-4o-mini")
                .containsEntry("context_window_limit", 90000L).containsEntry("summary", null);
        List<?> forkContext = (List<?>) fork.get("in_context_message_ids");
        assertThat(forkContext.get(0)).as("a fresh system message").isNotEqualTo(sourceContext.get(0));
        assertThat(forkContext.subList(1, forkContext.size())).as("the summary and kept messages, ids shared as Letta's")
                .isEqualTo(sourceContext.subList(1, sourceContext.size()));
        assertThat(http.get("/v1/conversations/" + forkId).object()).isEqualTo(fork);
        List<Map<String, Object>> forkMessages = http.get("/v1/conversations/" + forkId + "/messages?order=asc").list();
        List<Map<String, Object>> sourceMessages = http.get("/v1/conversations/" + sourceId + "/messages?order=asc").list();
        assertThat(forkMessages.get(0)).containsEntry("message_type", "system_message").containsEntry("content", "A newer prompt.");
        assertThat(forkMessages.stream().map(m -> m.get("id")).distinct().toList()).as("the fork's history is its context only")
                .isEqualTo(forkContext);
        assertThat(forkMessages.subList(1, forkMessages.size())).isEqualTo(sourceMessages.subList(
                sourceMessages.size() - (forkMessages.size() - 1), sourceMessages.size()));

        // The fork lives on its own: appends and compactions leave the source as it was.
        assertThat(append(forkId, 10, 2).status()).isEqualTo(200);
        HttpJson.Response forkCompacted = http.post("/v1/conversations/" + forkId + "/compact", Map.of());
        assertThat(forkCompacted.status()).as(forkCompacted.raw().body()).isEqualTo(200);
        assertThat(http.get("/v1/conversations/" + forkId).object()).containsEntry("compaction_generation", 2L);
        assertThat(http.get("/v1/conversations/" + sourceId).object()).isEqualTo(compactedSource);

        String throughSummary = (String) sourceContext.get(1);
        assertThat((List<?>) http.post("/v1/conversations/" + sourceId + "/fork?message_id=" + throughSummary, null).object()
                .get("in_context_message_ids")).hasSize(2).element(1).isEqualTo(throughSummary);
        assertThat(http.post("/v1/conversations/" + sourceId + "/fork?message_id=" + Ids.newMessageId(), null).status()).isEqualTo(404);
        assertThat(http.post("/v1/conversations/" + sourceId + "/fork?message_id=msg-1", null).detail())
                .contains("'loc': ('query', 'message_id')");
        assertThat(http.post("/v1/conversations/" + Ids.newConversationId() + "/fork", null).status()).isEqualTo(404);
    }

    @Test
    void theAgentsDefaultConversationForksInAgentDirectModeAndHiddenForksAreNotListed() {
        String billing = agent("billing", Map.of());
        assertThat(http.post("/v1/conversations/default/messages/append", Map.of("agent_id", billing, "messages",
                List.of(Map.of("role", "user", "content", "hello")))).status()).isEqualTo(200);

        HttpJson.Response forked = http.post("/v1/conversations/default/fork?agent_id=" + billing + "&hidden=true", null);

        assertThat(forked.status()).as(forked.raw().body()).isEqualTo(200);
        assertThat((List<?>) forked.object().get("in_context_message_ids")).hasSize(2);
        assertThat(ids(http.get("/v1/conversations/?archive_status=all"))).isEmpty();
        String visible = (String) http.post("/v1/conversations/" + billing + "/fork", null).object().get("id");
        assertThat(ids(http.get("/v1/conversations/"))).containsExactly(visible);
    }

    @Test
    void agentsAreListedWithLettasPagingAndNameFilter() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(agent(i == 2 ? "payroll" : "billing", Map.of()));
        }
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (String id : created) {
            byId.put(id, http.get("/v1/agents/" + id).object());
        }
        List<String> oldestFirst = byId.values().stream().sorted(Comparator.<Map<String, Object>, java.time.Instant>comparing(
                a -> java.time.Instant.parse((String) a.get("created_at"))).thenComparing(a -> (String) a.get("id")))
                .map(a -> (String) a.get("id")).toList();

        HttpJson.Response listed = http.get("/v1/agents/");
        assertThat(ids(listed)).isEqualTo(oldestFirst.reversed());
        assertThat(listed.list().get(0)).isEqualTo(byId.get(oldestFirst.get(3)));
        assertThat(ids(http.get("/v1/agents/?limit=2"))).isEqualTo(oldestFirst.reversed().subList(0, 2));
        assertThat(ids(http.get("/v1/agents/?limit=2&after=" + oldestFirst.get(2)))).isEqualTo(List.of(oldestFirst.get(1), oldestFirst.get(0)));
        assertThat(ids(http.get("/v1/agents/?order=asc&limit=2&after=" + oldestFirst.get(0)))).isEqualTo(oldestFirst.subList(1, 3));
        assertThat(ids(http.get("/v1/agents/?order=asc&before=" + oldestFirst.get(2)))).isEqualTo(oldestFirst.subList(0, 2));
        assertThat(ids(http.get("/v1/agents/?order=asc&after=" + oldestFirst.get(0) + "&before=" + oldestFirst.get(3))))
                .isEqualTo(oldestFirst.subList(1, 3));
        assertThat(ids(http.get("/v1/agents/?after=" + Ids.newAgentId()))).as("an unknown cursor is ignored, as in Letta")
                .isEqualTo(oldestFirst.reversed());
        assertThat(ids(http.get("/v1/agents/?name=payroll"))).containsExactly(created.get(2));
    }

    @Test
    void deletingAnAgentDeletesItAndSoftDeletesItsConversations() {
        String billing = agent("billing", Map.of());
        String other = agent("support", Map.of());
        String listed = conversation(billing);
        String hidden = (String) conversation(billing, Map.of("hidden", true)).get("id");
        String survivor = conversation(other);

        HttpJson.Response deleted = http.delete("/v1/agents/" + billing);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.object()).isEqualTo(Map.of("message", "Agent id=" + billing + " successfully deleted"));
        assertThat(http.get("/v1/agents/" + billing).status()).isEqualTo(404);
        assertThat(ids(http.get("/v1/agents/"))).containsExactly(other);
        for (String gone : List.of(listed, hidden)) {
            assertThat(http.get("/v1/conversations/" + gone).status()).isEqualTo(404);
        }
        assertThat(http.get("/v1/conversations/default/messages?agent_id=" + billing).status()).isEqualTo(404);
        assertThat(ids(http.get("/v1/conversations/?archive_status=all"))).containsExactly(survivor);
        assertThat(http.post("/v1/conversations/?agent_id=" + billing, null).status()).isEqualTo(404);
        assertThat(http.delete("/v1/agents/" + billing).status()).isEqualTo(404);
        assertThat(http.delete("/v1/agents/agent-1").detail()).contains("'type': 'string_too_short'");
    }

    @Test
    void aConversationsOwnContextWindowMakesItsCompactionHarderThanTheAgentsWould() {
        String billing = agent("billing", Map.of("context_window_limit", 200000,
                "compaction_settings", Map.of("mode", "sliding_window", "sliding_window_percentage", 0.3, "clip_chars", 200)));
        String agentWindow = conversation(billing);
        Map<String, Object> own = conversation(billing, Map.of("context_window_limit", 2000));
        String ownWindow = (String) own.get("id");
        assertThat(own).containsEntry("context_window_limit", 2000L);
        for (String id : List.of(agentWindow, ownWindow)) {
            assertThat(append(id, 20, 8).status()).isEqualTo(200);
        }

        HttpJson.Response withAgentWindow = http.post("/v1/conversations/" + agentWindow + "/compact", Map.of());
        HttpJson.Response withOwnWindow = http.post("/v1/conversations/" + ownWindow + "/compact", Map.of());

        assertThat(withAgentWindow.status()).as(withAgentWindow.raw().body()).isEqualTo(200);
        assertThat(withOwnWindow.status()).as(withOwnWindow.raw().body()).isEqualTo(200);
        long keptWithAgentWindow = (Long) withAgentWindow.object().get("num_messages_after");
        long keptWithOwnWindow = (Long) withOwnWindow.object().get("num_messages_after");
        assertThat(keptWithOwnWindow).as("the conversation's 2,000-token window evicts more than the agent's 200,000")
                .isLessThan(keptWithAgentWindow);
    }
}
