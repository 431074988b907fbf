package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.s;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * References from a conversation to its records in other partitions (Idempotency-Key answers,
 * jobs), written in the transaction that writes the record. A purge finds them with the Query it
 * runs over the conversation anyway, so it deletes those records without a scan; each costs one
 * small put, whatever the conversation's length.
 */
final class References {
    private References() {}

    /** The action putting the reference from conversation {@code conversationPk} to the item {@code targetPk}/{@code targetSk}. */
    static TransactWriteItem put(String table, String conversationPk, String targetPk, String targetSk) {
        Map<String, AttributeValue> item = Map.of("pk", s(conversationPk),
                "sk", s(Keys.reference(targetPk)), "target_pk", s(targetPk), "target_sk", s(targetSk));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build();
    }

    /** The action that makes a transaction fail unless the conversation exists and no purge of it has begun. */
    static TransactWriteItem liveHead(String table, String conversationPk) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                .key(Attr.key(conversationPk, Keys.HEAD)).conditionExpression(Heads.LIVE).build()).build();
    }
}
