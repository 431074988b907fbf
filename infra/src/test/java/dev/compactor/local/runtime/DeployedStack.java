package dev.compactor.local.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code template.yaml}'s references resolve to once deployed, so that a function's
 * environment and its IAM policy name resources exactly as they would in the cloud: ARNs in one
 * account and region, every resource named by its logical id except the table (a fresh table of
 * DynamoDB Local), parameters at their defaults unless given, and conditions evaluated from them.
 */
public final class DeployedStack {
    static final String PARTITION = "aws";
    public static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    static final String STACK_NAME = "iam-check";
    /** SAM's {@code AutoPublishAlias}: the alias {@code !Ref Function.Alias} names. */
    private static final String ALIAS = "live";
    /** What {@code !Ref AWS::NoValue} leaves: nothing (dropped from lists and maps). */
    private static final Object NO_VALUE = new Object();
    private static final Map<String, String> PSEUDO_PARAMETERS = Map.of("AWS::Partition", PARTITION, "AWS::Region", REGION,
            "AWS::AccountId", ACCOUNT, "AWS::StackName", STACK_NAME);
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private final SamTemplate template;
    private final String tableName;
    private final Map<String, String> parameters;

    /** @param parameters values the stack is deployed with, by parameter name; the others keep their defaults */
    public DeployedStack(SamTemplate template, String tableName, Map<String, String> parameters) {
        this.template = template;
        this.tableName = tableName;
        this.parameters = parameters;
    }

    SamTemplate template() {
        return template;
    }

    static String tableArn(String tableName) {
        return arn("dynamodb", "table/" + tableName);
    }

    static String queueArn(String queueName) {
        return arn("sqs", queueName);
    }

    static String functionArn(String functionName) {
        return arn("lambda", "function:" + functionName);
    }

    private static String arn(String service, String resource) {
        return "arn:" + PARTITION + ":" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
    }

    /** The function's environment variables as deployed (template values, references resolved). */
    public Map<String, String> environment(String function) {
        Map<String, String> env = new LinkedHashMap<>();
        template.function(function).environment().forEach((name, value) -> env.put(name, String.valueOf(resolve(value))));
        return env;
    }

    /** A template value with every intrinsic resolved: a string, or lists and maps of them. */
    Object resolve(Object value) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object resolved = resolve(item);
                if (resolved != NO_VALUE) {
                    out.add(resolved);
                }
            }
            return out;
        }
        if (!(value instanceof Map<?, ?> map)) {
            return value == null ? null : String.valueOf(value);
        }
        if (map.size() == 1 && map.containsKey("Ref")) {
            return ref(String.valueOf(map.get("Ref")));
        }
        if (map.size() == 1 && map.containsKey("Fn::GetAtt")) {
            Object target = map.get("Fn::GetAtt");
            return getAtt(target instanceof List<?> l ? l.get(0) + "." + l.get(1) : String.valueOf(target));
        }
        if (map.size() == 1 && map.containsKey("Fn::Sub")) {
            return sub(map.get("Fn::Sub"));
        }
        if (map.size() == 1 && map.containsKey("Fn::If")) {
            List<?> branches = (List<?>) map.get("Fn::If");
            return resolve(condition(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith("Fn::")) {
                throw new IllegalStateException(key + " is not resolved here; teach DeployedStack what it means");
            }
            Object resolved = resolve(e.getValue());
            if (resolved != NO_VALUE) {
                out.put(key, resolved);
            }
        }
        return out;
    }

    /** Whether the template's named condition holds for this stack's parameters. */
    boolean condition(String name) {
        Object definition = template.section("Conditions").get(name);
        if (definition == null) {
            throw new IllegalStateException("no condition " + name + " in the template");
        }
        return holds(definition);
    }

    private boolean holds(Object condition) {
        Map<?, ?> map = (Map<?, ?>) condition;
        if (map.containsKey("Condition")) {
            return condition(String.valueOf(map.get("Condition")));
        }
        String function = String.valueOf(map.keySet().iterator().next());
        List<?> args = (List<?>) map.get(function);
        return switch (function) {
            case "Fn::Not" -> !holds(args.get(0));
            case "Fn::And" -> args.stream().allMatch(this::holds);
            case "Fn::Or" -> args.stream().anyMatch(this::holds);
            case "Fn::Equals" -> String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
            default -> throw new IllegalStateException("condition function " + function + " is not evaluated here");
        };
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (PSEUDO_PARAMETERS.containsKey(name)) {
            return PSEUDO_PARAMETERS.get(name);
        }
        Map<String, Object> declared = parameter(name);
        if (declared != null) {
            return parameters.getOrDefault(name, String.valueOf(declared.get("Default")));
        }
        if (name.endsWith(".Alias")) {
            return functionArn(name.substring(0, name.length() - ".Alias".length()) + ":" + ALIAS);
        }
        return switch (type(name)) {
            case "AWS::DynamoDB::Table" -> tableName;
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + name;
            default -> name;
        };
    }

    private String getAtt(String target) {
        String resource = target.substring(0, target.indexOf('.'));
        String attribute = target.substring(target.indexOf('.') + 1);
        String type = type(resource);
        return switch (type + "." + attribute) {
            case "AWS::DynamoDB::Table.Arn" -> tableArn(tableName);
            case "AWS::SQS::Queue.Arn" -> queueArn(resource);
            default -> throw new IllegalStateException("!GetAtt " + target + " (" + type + ") is not resolved here");
        };
    }

    private String sub(Object sub) {
        String text = sub instanceof List<?> list ? String.valueOf(list.get(0)) : String.valueOf(sub);
        Map<?, ?> variables = sub instanceof List<?> list && list.size() > 1 ? (Map<?, ?>) list.get(1) : Map.of();
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String variable = m.group(1);
            Object value = variables.containsKey(variable) ? resolve(variables.get(variable))
                    : variable.contains(".") && !variable.startsWith("AWS::") ? getAtt(variable) : ref(variable);
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parameter(String name) {
        return (Map<String, Object>) template.section("Parameters").get(name);
    }

    private String type(String resource) {
        Map<String, Object> declared = template.resources().get(resource);
        if (declared == null) {
            throw new IllegalStateException("no resource or parameter " + resource + " in the template");
        }
        return String.valueOf(declared.get("Type"));
    }
}
