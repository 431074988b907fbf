package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class StoredTextTest {

    @Test
    void shortTextStaysAPlainString() {
        AttributeValue v = StoredText.encode("hello");

        assertThat(v.s()).isEqualTo("hello");
        assertThat(StoredText.decode(v)).isEqualTo("hello");
    }

    @Test
    void repetitiveTextIsDeflatedAndComesBackIdentical() {
        String text = "Résumé of the build: tests passed. ".repeat(2000);

        AttributeValue v = StoredText.encode(text);

        assertThat(v.s()).isNull();
        assertThat(v.b().asByteArray().length).isLessThan(text.length() / 10);
        assertThat(StoredText.decode(v)).isEqualTo(text);
    }
}
