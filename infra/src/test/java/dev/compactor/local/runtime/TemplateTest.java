package dev.compactor.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.compactor.local.testing.TestDynamo;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

public class TemplateTest {

    @Test
    void cfnLintReportsNothing() throws Exception {
        assumeTrue(onPath("cfn-lint"), "cfn-lint is not installed; .ci/run installs it in CI");
        Process lint = new ProcessBuilder("cfn-lint", TestDynamo.TEMPLATE.toString()).redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(output).isEmpty();
        assertThat(lint.exitValue()).isZero();
    }

    @Test
    void theLocalTableIsTheTemplatesTable() {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        try (DynamoDbClient client = local.dynamo.client()) {
            TableDescription d = client.describeTable(r -> r.tableName(table)).table();

            assertThat(d.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString()).containsExactly("pk:HASH", "sk:RANGE");
            assertThat(d.globalSecondaryIndexes()).extracting(gsi -> gsi.indexName()).containsExactlyInAnyOrder("due", "listing",
                    "listing_by_agent");
            assertThat(d.globalSecondaryIndexes()).filteredOn(gsi -> gsi.indexName().equals("due")).singleElement().satisfies(gsi -> {
                assertThat(gsi.keySchema()).extracting(k -> k.attributeName()).containsExactly("due_pk", "due_sk");
                assertThat(gsi.projection().nonKeyAttributes()).containsExactly("tenant", "conversation_id", "compaction_gen", "ctx_tokens");
            });
            assertThat(d.globalSecondaryIndexes()).filteredOn(gsi -> gsi.indexName().startsWith("listing")).allSatisfy(gsi -> {
                assertThat(gsi.keySchema()).extracting(k -> k.attributeName()).containsExactlyInAnyOrder(
                        gsi.indexName().equals("listing") ? new String[] {"list_pk", "list_sk"} : new String[] {"agent_list_pk", "agent_list_sk"});
                assertThat(gsi.projection().projectionTypeAsString()).isEqualTo("KEYS_ONLY");
            });
            assertThat(d.localSecondaryIndexes()).singleElement().satisfies(lsi -> {
                assertThat(lsi.indexName()).isEqualTo("by_id");
                assertThat(lsi.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "id");
                assertThat(lsi.projection().projectionTypeAsString()).isEqualTo("KEYS_ONLY");
            });
            assertThat(client.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription().attributeName()).isEqualTo("expires_at");
            assertThat(d.streamSpecification().streamEnabled()).isTrue();
            assertThat(d.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDueStreamReportsItemFailuresSendsWhatFailsToItsQueueAndIsWatched() {
        SamTemplate template = TestDynamo.get().template;
        Map<String, Object> events = (Map<String, Object>) SamTemplate.properties(template.resources().get("DueStreamFunction"))
                .get("Events");
        Map<String, Object> source = SamTemplate.properties((Map<String, Object>) events.get("DueHeads"));

        assertThat(template.function("DueStreamFunction").streamSource().reportsItemFailures()).isTrue();
        assertThat(source).containsEntry("StartingPosition", "LATEST").containsEntry("BisectBatchOnFunctionError", true);
        assertThat((Map<String, Object>) ((Map<String, Object>) source.get("DestinationConfig")).get("OnFailure"))
                .containsEntry("Type", "SQS").containsEntry("Destination", Map.of("Fn::GetAtt", "DueStreamDeadLetterQueue.Arn"));
        assertThat(template.resources().entrySet().stream()
                .filter(r -> "AWS::CloudWatch::Alarm".equals(r.getValue().get("Type")))
                .map(r -> SamTemplate.properties(r.getValue()))
                .filter(p -> p.toString().contains("DueStream"))
                .map(p -> String.valueOf(p.get("MetricName"))))
                .containsExactlyInAnyOrder("IteratorAge", "Errors", "ApproximateNumberOfMessagesVisible");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
