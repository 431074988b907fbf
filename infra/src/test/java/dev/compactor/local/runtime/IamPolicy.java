package dev.compactor.local.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The IAM statements a function's role holds in a deployed stack — the statements of its SAM
 * {@code Policies} and of every {@code AWS::IAM::Policy} attached to its role — and whether they
 * allow an action: an explicit deny wins, then an allow whose actions, resources and conditions
 * all match. SAM's managed additions (logging, tracing, the SQS poller's own rights) are not
 * there: they cover what Lambda does for the function, not calls its code makes.
 */
public final class IamPolicy {
    /** One statement, resolved; {@code conditions} is operator → condition key → patterns. */
    record Statement(String sid, String effect, List<String> actions, List<String> resources,
                     Map<String, Map<String, List<String>>> conditions) {

        boolean covers(AwsAction a) {
            return AuthorizerPolicy.covers(lowerCase(actions), a.action().toLowerCase(Locale.ROOT))
                    && AuthorizerPolicy.covers(resources, a.resource()) && conditionsHold(a);
        }

        private boolean conditionsHold(AwsAction a) {
            for (Map.Entry<String, Map<String, List<String>>> operator : conditions.entrySet()) {
                for (Map.Entry<String, List<String>> key : operator.getValue().entrySet()) {
                    if (!holds(operator.getKey(), key.getValue(), a.context().get(key.getKey()))) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** @param values the call's values of the key; null when the recorder could not read them, which never passes */
        private static boolean holds(String operator, List<String> patterns, List<String> values) {
            if (values == null) {
                return false;
            }
            return switch (operator) {
                case "ForAllValues:StringLike" -> values.stream().allMatch(v -> AuthorizerPolicy.covers(patterns, v));
                default -> throw new IllegalStateException("condition operator " + operator + " is not evaluated here");
            };
        }

        private static List<String> lowerCase(List<String> actions) {
            return actions.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        }
    }

    private final List<Statement> statements;

    private IamPolicy(List<Statement> statements) {
        this.statements = statements;
    }

    /** The policy of {@code function}'s role (SAM names it {@code <function>Role}) in {@code stack}. */
    public static IamPolicy of(DeployedStack stack, String function) {
        SamTemplate template = stack.template();
        Map<String, Object> properties = SamTemplate.properties(template.resources().get(function));
        if (properties.containsKey("Role")) {
            throw new IllegalStateException(function + " brings its own Role; read the policies attached to it instead");
        }
        List<Statement> statements = new ArrayList<>();
        for (Object policy : (List<?>) properties.getOrDefault("Policies", List.of())) {
            if (!(policy instanceof Map<?, ?> inline) || !inline.containsKey("Statement")) {
                throw new IllegalStateException(function + ": policy " + policy
                        + " is not an inline statement list (a SAM policy template or a managed policy is not read here)");
            }
            statements.addAll(statements(stack.resolve(inline.get("Statement"))));
        }
        Map<String, Object> role = Map.of("Ref", function + "Role");
        for (Map<String, Object> resource : template.resources().values()) {
            Object condition = resource.get("Condition");
            if (!"AWS::IAM::Policy".equals(resource.get("Type")) || condition != null && !stack.condition(String.valueOf(condition))) {
                continue;
            }
            Map<String, Object> p = SamTemplate.properties(resource);
            if (((List<?>) p.getOrDefault("Roles", List.of())).contains(role)) {
                statements.addAll(statements(stack.resolve(((Map<?, ?>) p.get("PolicyDocument")).get("Statement"))));
            }
        }
        return new IamPolicy(statements);
    }

    @SuppressWarnings("unchecked")
    private static List<Statement> statements(Object resolved) {
        List<Statement> out = new ArrayList<>();
        for (Object s : resolved instanceof List<?> list ? list : List.of(resolved)) {
            Map<String, Object> statement = (Map<String, Object>) s;
            for (String unsupported : List.of("NotAction", "NotResource", "Principal", "NotPrincipal")) {
                if (statement.containsKey(unsupported)) {
                    throw new IllegalStateException("a statement with " + unsupported + " is not evaluated here: " + statement);
                }
            }
            Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) statement.getOrDefault("Condition", Map.of())).forEach((operator, keys) -> {
                Map<String, List<String>> byKey = new LinkedHashMap<>();
                keys.forEach((key, values) -> byKey.put(key, strings(values)));
                conditions.put(operator, byKey);
            });
            out.add(new Statement((String) statement.get("Sid"), (String) statement.get("Effect"), strings(statement.get("Action")),
                    strings(statement.get("Resource")), conditions));
        }
        return out;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
    }

    public boolean allows(AwsAction action) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.covers(action)) {
                if ("Deny".equals(s.effect())) {
                    return false;
                }
                allowed |= "Allow".equals(s.effect());
            }
        }
        return allowed;
    }

    /**
     * The grants for {@code services} that none of {@code used} needed, one line per statement,
     * action and resource: what least privilege says to remove (or what the calling test misses).
     */
    public List<String> unused(Collection<AwsAction> used, Set<String> services) {
        List<String> unused = new ArrayList<>();
        for (Statement s : statements) {
            if (!"Allow".equals(s.effect())) {
                continue;
            }
            for (String action : s.actions()) {
                if (!services.contains(action.substring(0, action.indexOf(':')))) {
                    continue;
                }
                for (String resource : s.resources()) {
                    Statement grant = new Statement(s.sid(), s.effect(), List.of(action), List.of(resource), s.conditions());
                    if (used.stream().noneMatch(grant::covers)) {
                        unused.add((s.sid() == null ? "" : s.sid() + ": ") + action + " on " + resource);
                    }
                }
            }
        }
        return unused;
    }
}
