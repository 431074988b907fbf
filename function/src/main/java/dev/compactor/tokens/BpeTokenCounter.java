package dev.compactor.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Exact token counts with OpenAI's byte-pair encodings (jtokkit). The vocabularies (1.7 MB for
 * {@code cl100k_base}, 3.6 MB for {@code o200k_base}) are read on the first count that needs
 * them, each in its own holder class, so a container that never counts tokens for an
 * OpenAI-family model never loads jtokkit at all. Special-token text in messages (such as
 * {@code <|endoftext|>}) is counted as ordinary text, as it is when sent as message content.
 */
public final class BpeTokenCounter implements TokenCounter {
    /** GPT-4o, GPT-4.1, GPT-5, o-series and later. */
    public static final BpeTokenCounter O200K = new BpeTokenCounter("o200k_base");
    /** GPT-4, GPT-3.5. */
    public static final BpeTokenCounter CL100K = new BpeTokenCounter("cl100k_base");

    private final String encoding;

    private BpeTokenCounter(String encoding) {
        this.encoding = encoding;
    }

    @Override
    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return this == O200K ? O200kHolder.ENCODING.countTokensOrdinary(text)
                : Cl100kHolder.ENCODING.countTokensOrdinary(text);
    }

    @Override
    public String name() {
        return encoding;
    }

    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }

    private static final class O200kHolder {
        static final Encoding ENCODING = Registry.INSTANCE.getEncoding(EncodingType.O200K_BASE);
    }

    private static final class Cl100kHolder {
        static final Encoding ENCODING = Registry.INSTANCE.getEncoding(EncodingType.CL100K_BASE);
    }
}
