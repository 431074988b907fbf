package dev.compactor.local.runtime;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;

/**
 * The template's DynamoDB table as the local runtime creates it: key schema, attributes, indexes,
 * stream and TTL, read from its declared properties.
 *
 * @param logicalId the table's logical id, which {@code !Ref} in an environment names
 */
public record TemplateTable(String logicalId, Map<String, Object> properties) {

    /** The table's key schema, attributes and indexes as a CreateTable request. */
    @SuppressWarnings("unchecked")
    public CreateTableRequest createTableRequest(String tableName) {
        CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(tableName)
                .billingMode(BillingMode.fromValue(String.valueOf(properties.getOrDefault("BillingMode", "PAY_PER_REQUEST"))))
                .attributeDefinitions(((List<Map<String, Object>>) properties.get("AttributeDefinitions")).stream()
                        .map(a -> AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                                .attributeType((String) a.get("AttributeType")).build()).toList())
                .keySchema(keySchema((List<Map<String, Object>>) properties.get("KeySchema")));
        List<Map<String, Object>> indexes = (List<Map<String, Object>>) properties.get("GlobalSecondaryIndexes");
        if (indexes != null) {
            b.globalSecondaryIndexes(indexes.stream().map(gsi -> GlobalSecondaryIndex.builder().indexName((String) gsi.get("IndexName"))
                    .keySchema(keySchema((List<Map<String, Object>>) gsi.get("KeySchema"))).projection(projection(gsi)).build()).toList());
        }
        Map<String, Object> stream = (Map<String, Object>) properties.get("StreamSpecification");
        if (stream != null) {
            b.streamSpecification(s -> s.streamEnabled(true).streamViewType((String) stream.get("StreamViewType")));
        }
        List<Map<String, Object>> localIndexes = (List<Map<String, Object>>) properties.get("LocalSecondaryIndexes");
        if (localIndexes != null) {
            b.localSecondaryIndexes(localIndexes.stream().map(lsi -> LocalSecondaryIndex.builder().indexName((String) lsi.get("IndexName"))
                    .keySchema(keySchema((List<Map<String, Object>>) lsi.get("KeySchema"))).projection(projection(lsi)).build()).toList());
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static Projection projection(Map<String, Object> index) {
        Map<String, Object> projection = (Map<String, Object>) index.get("Projection");
        Projection.Builder pb = Projection.builder().projectionType((String) projection.get("ProjectionType"));
        if (projection.get("NonKeyAttributes") != null) {
            pb.nonKeyAttributes((List<String>) projection.get("NonKeyAttributes"));
        }
        return pb.build();
    }

    /** The TTL attribute, or null when the table has none. */
    @SuppressWarnings("unchecked")
    public String timeToLiveAttribute() {
        Map<String, Object> ttl = (Map<String, Object>) properties.get("TimeToLiveSpecification");
        return ttl != null && Boolean.TRUE.equals(ttl.get("Enabled")) ? (String) ttl.get("AttributeName") : null;
    }

    private static List<KeySchemaElement> keySchema(List<Map<String, Object>> schema) {
        return schema.stream().map(k -> KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
                .keyType((String) k.get("KeyType")).build()).toList();
    }
}
