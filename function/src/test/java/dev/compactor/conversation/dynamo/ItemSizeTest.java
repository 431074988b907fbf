package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item sizes by the developer guide's rules; the number sizes are the ones DynamoDB Local
 * enforces (measured by bisecting the largest binary attribute it accepts beside each number).
 */
class ItemSizeTest {
    private static long size(String name, AttributeValue value) {
        return ItemSize.of(Map.of(name, value));
    }

    @Test
    void stringsCountTheirUtf8BytesAndTheName() {
        assertThat(size("t", AttributeValue.fromS("é"))).isEqualTo(1 + 2);
        assertThat(size("naïve", AttributeValue.fromS("🚀x"))).isEqualTo(6 + 5);
        assertThat(size("t", AttributeValue.fromS(""))).isEqualTo(1);
    }

    @Test
    void binariesCountTheirRawBytesNotTheirBase64() {
        assertThat(size("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[1000])))).isEqualTo(1 + 1000);
    }

    @Test
    void numbersCountBase100DigitsFromTheFirstToTheLastSignificantOnePlusOne() {
        Map<String, Integer> measured = Map.ofEntries(Map.entry("0", 1), Map.entry("1", 2), Map.entry("9", 2),
                Map.entry("10", 2), Map.entry("99", 2), Map.entry("100", 2), Map.entry("120", 3), Map.entry("123", 3),
                Map.entry("1234", 3), Map.entry("12345", 4), Map.entry("123456", 4), Map.entry("1000000", 2),
                Map.entry("-1", 3), Map.entry("-12", 3), Map.entry("-123", 4), Map.entry("1.5", 3), Map.entry("0.5", 2),
                Map.entry("0.05", 2), Map.entry("12.5", 3), Map.entry("1.25", 3), Map.entry("1E+10", 2),
                Map.entry("1.2E-5", 2), Map.entry("1767600000", 4), Map.entry("00120.500", 4),
                Map.entry("99999999999999999999999999999999999999", 20));
        measured.forEach((n, bytes) -> assertThat(ItemSize.number(n)).as(n).isEqualTo(bytes.longValue()));
    }

    @Test
    void numbersAreNeverSmallerThanTheGuidesApproximation() {
        for (String n : List.of("7", "120", "4096", "1.25", "-3.14159", "123456789012345678901234567890")) {
            String significant = n.replace("-", "").replace(".", "").replaceAll("^0+", "").replaceAll("0+$", "");
            assertThat(ItemSize.number(n)).as(n).isGreaterThanOrEqualTo((significant.length() + 1) / 2 + 1);
        }
    }

    @Test
    void booleansAndNullsAreOneByte() {
        assertThat(size("t", AttributeValue.fromBool(true))).isEqualTo(2);
        assertThat(size("t", AttributeValue.fromNul(true))).isEqualTo(2);
    }

    @Test
    void listsAndMapsCostThreeBytesAndOnePerElement() {
        assertThat(size("t", AttributeValue.fromM(Map.of()))).isEqualTo(1 + 3);
        assertThat(size("t", AttributeValue.fromL(List.of()))).isEqualTo(1 + 3);
        assertThat(size("t", AttributeValue.fromM(Map.of("a", AttributeValue.fromS("x"))))).isEqualTo(1 + 3 + 1 + 1 + 1);
        assertThat(size("t", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromS("y")))))
                .isEqualTo(1 + 3 + 2 * (1 + 1));
        assertThat(size("t", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("k", AttributeValue.fromN("12")))))))
                .isEqualTo(1 + 3 + 1 + (3 + 1 + 1 + 2));
    }

    @Test
    void setsCountTheirMembers() {
        assertThat(size("t", AttributeValue.fromSs(List.of("x", "yy")))).isEqualTo(1 + 3);
        assertThat(size("t", AttributeValue.fromNs(List.of("1", "123")))).isEqualTo(1 + 2 + 3);
        assertThat(size("t", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[3]), SdkBytes.fromByteArray(new byte[1])))))
                .isEqualTo(1 + 4);
    }

    @Test
    void anItemWithAnIdAlsoCarriesItsLocalIndexEntryAgainstTheItemLimit() {
        Map<String, AttributeValue> withoutId = Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromS("s"),
                "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10])));
        Map<String, AttributeValue> withId = new java.util.HashMap<>(withoutId);
        withId.put("id", AttributeValue.fromS("abc"));

        assertThat(ItemSize.againstItemLimit(withoutId)).isEqualTo(ItemSize.of(withoutId)).isEqualTo(3 + 3 + 11);
        assertThat(ItemSize.of(withId)).isEqualTo(17 + 5);
        assertThat(ItemSize.againstItemLimit(withId)).isEqualTo(22 + 3 + 3 + 5);
    }
}
