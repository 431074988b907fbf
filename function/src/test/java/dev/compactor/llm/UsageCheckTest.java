package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.render.ContextParts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageCheckTest {
    private static SummaryRequest selfCompaction(ContextParts context) {
        return new SummaryRequest(ModelHandle.parse("anthropic/claude-sonnet-4-5"), null, List.of(ChatMessage.of("user", "look")),
                null, null, 300, null, Instant.now(), context);
    }

    @Test
    void imagesSentNativelyMayCountAsTheVendorsCountThem() {
        Map<String, Object> image = Map.of("type", "image", "source", Map.of("type", "base64", "media_type", "image/png", "data", "iVBOR"));
        Message withImages = new Message(null, 0, Role.USER, List.of(new ContentPart.Text("look"), new ContentPart.Image(image),
                new ContentPart.Image(image)), null, null, null, null, null, null, null, null, null, null);
        TokenUsage twoImages = new TokenUsage(12_000, 100, 0, 0);

        assertThat(UsageCheck.check("anthropic", selfCompaction(ContextParts.of(null, null, List.of(withImages))), 4096, twoImages))
                .isEqualTo(twoImages);
        assertThat(UsageCheck.check("anthropic", selfCompaction(null), 4096, twoImages).rejected())
                .isEqualTo(UsageCheck.INPUT_ABOVE_REQUEST);
    }
}
