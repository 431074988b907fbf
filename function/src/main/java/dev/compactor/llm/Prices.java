package dev.compactor.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * List prices in US dollars per million tokens (on-demand, standard tier), for the cost estimate
 * every summary reports. The same model costs the same through its vendor and through Bedrock or
 * Azure here; regional surcharges, batch discounts and long-context tiers are not modelled. Models
 * not in the table get no estimate rather than a guess. README's "Cost estimates" lists this table.
 */
public final class Prices {
    /** First match on the model part of the handle, lower-cased, wins: specific families first. */
    private static final List<Price> TABLE = List.of(
            new Price("claude-haiku-4[-.]5", 1.00, 5.00, 0.10, 1.25),
            new Price("claude-3-5-haiku", 0.80, 4.00, 0.08, 1.00),
            new Price("claude-3-haiku", 0.25, 1.25, 0.03, 0.30),
            new Price("claude-opus-4[-.][56]", 5.00, 25.00, 0.50, 6.25),
            new Price("claude-opus-4", 15.00, 75.00, 1.50, 18.75),
            new Price("claude-(sonnet-4|3-7-sonnet|3-5-sonnet)", 3.00, 15.00, 0.30, 3.75),
            new Price("gpt-5-nano", 0.05, 0.40, 0.005, 0),
            new Price("gpt-5-mini", 0.25, 2.00, 0.025, 0),
            new Price("gpt-5", 1.25, 10.00, 0.125, 0),
            new Price("gpt-4\\.1-nano", 0.10, 0.40, 0.025, 0),
            new Price("gpt-4\\.1-mini", 0.40, 1.60, 0.10, 0),
            new Price("gpt-4\\.1", 2.00, 8.00, 0.50, 0),
            new Price("gpt-4o-mini", 0.15, 0.60, 0.075, 0),
            new Price("gpt-4o", 2.50, 10.00, 1.25, 0),
            new Price("gemini-2\\.5-flash-lite", 0.10, 0.40, 0.025, 0),
            new Price("gemini-2\\.5-flash", 0.30, 2.50, 0.075, 0),
            new Price("gemini-2\\.5-pro", 1.25, 10.00, 0.31, 0));
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private record Price(Pattern model, double input, double output, double cacheRead, double cacheWrite) {
        Price(String regex, double input, double output, double cacheRead, double cacheWrite) {
            this(Pattern.compile(regex), input, output, cacheRead, cacheWrite);
        }
    }

    private Prices() {}

    /**
     * Estimated cost of one call in US dollars (to a millionth of a dollar), or null for a model
     * without a listed price or usage whose reported figures were rejected.
     */
    public static Double estimateUsd(ModelHandle model, TokenUsage usage) {
        if (usage.rejected() != null) {
            return null;
        }
        if (ExtractiveSummarizer.HANDLE.equals(model)) {
            return 0.0;
        }
        String name = model.model().toLowerCase(Locale.ROOT);
        for (Price p : TABLE) {
            if (p.model().matcher(name).find()) {
                double micros = usage.inputTokens() * p.input() + usage.outputTokens() * p.output()
                        + usage.cacheReadTokens() * p.cacheRead() + usage.cacheWriteTokens() * p.cacheWrite();
                return BigDecimal.valueOf(micros).divide(MILLION, 6, RoundingMode.HALF_UP).doubleValue();
            }
        }
        return null;
    }
}
