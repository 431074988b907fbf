package dev.compactor.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which models stand in when a provider fails, configured as
 * {@code provider=handle[,handle…][;provider=…]}, where {@code *} matches any provider without a
 * rule of its own; {@code none} turns failover off. The default is Letta's: Anthropic fails over
 * to Claude on Bedrock.
 */
public final class FailoverChains {
    public static final String DEFAULT = "anthropic=" + ModelCatalog.BEDROCK_DEFAULT;
    private static final String ANY = "*";

    private final Map<String, List<ModelHandle>> rules;

    private FailoverChains(Map<String, List<ModelHandle>> rules) {
        this.rules = rules;
    }

    /**
     * @param spec the configuration text; blank or {@code none} for no failover
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static FailoverChains parse(String spec) {
        Map<String, List<ModelHandle>> rules = new LinkedHashMap<>();
        if (spec == null || spec.isBlank() || "none".equals(spec.strip())) {
            return new FailoverChains(rules);
        }
        for (String rule : spec.split(";")) {
            if (rule.isBlank()) {
                continue;
            }
            int eq = rule.indexOf('=');
            String provider = eq < 0 ? "" : rule.substring(0, eq).strip();
            if (provider.isEmpty() || (!ANY.equals(provider) && !Summarizers.KNOWN_PROVIDERS.contains(provider))) {
                throw new IllegalArgumentException("failover rule '" + rule.strip() + "' must start with a known provider or *, then =");
            }
            List<ModelHandle> chain = new ArrayList<>();
            for (String handle : rule.substring(eq + 1).split(",")) {
                ModelHandle parsed = ModelHandle.parse(handle.strip());
                if (parsed == null || !Summarizers.KNOWN_PROVIDERS.contains(parsed.provider())) {
                    throw new IllegalArgumentException("failover target '" + handle.strip() + "' is not a provider/model handle of a known provider");
                }
                chain.add(parsed);
            }
            rules.put(provider, List.copyOf(chain));
        }
        return new FailoverChains(rules);
    }

    /** The models to try, in order, after {@code primary} fails. */
    public List<ModelHandle> after(ModelHandle primary) {
        List<ModelHandle> chain = rules.getOrDefault(primary.provider(), rules.getOrDefault(ANY, List.of()));
        return chain.stream().filter(h -> !h.equals(primary)).toList();
    }
}
