package dev.compactor.local.bench;

import dev.compactor.compaction.CompactionMode;
import dev.compactor.compaction.CompactionSettings;
import dev.compactor.compaction.Compactor;
import dev.compactor.compaction.MessageTokens;
import dev.compactor.compaction.Plan;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.conversation.ToolReturn;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.local.command.Args;
import dev.compactor.tokens.BpeTokenCounter;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code bench-plan}: times the plan step — what a compaction does before its model call, and all
 * a dry run does — on synthetic coding-agent conversations of growing length, and prints µs per
 * message, which stays flat when planning is linear.
 *
 * <p>The plan step reads the per-message token counts the store keeps, runs the mode's cutoff
 * search (sliding window: suffix sums, at most ten 10% steps) and checks tool integrity. Counting
 * a message for the first time (done once, when it is appended) is timed separately, and so is
 * the exact byte-pair count used for OpenAI-family agents (cached per message after its first use).
 */
public final class BenchPlanCommand {
    static final List<Integer> DEFAULT_SIZES = List.of(1_000, 10_000, 100_000);
    private static final ModelHandle AGENT = new ModelHandle("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    private static final ModelHandle OPENAI_AGENT = new ModelHandle("openai", "gpt-5");

    private BenchPlanCommand() {}

    public static int run(Args args, PrintStream stdout) {
        List<Integer> sizes = sizes(args.get("--sizes", null));
        int runs = args.integer("--runs", 15);
        if (runs < 1) {
            throw new Args.UsageException("--runs must be at least 1");
        }
        stdout.printf(Locale.ROOT, "plan step on synthetic conversations (median of %d runs after warm-up; %s, Java %s, %d cores)%n",
                runs, System.getProperty("os.arch"), Runtime.version().feature(), Runtime.getRuntime().availableProcessors());
        stdout.printf(Locale.ROOT, "%-28s %10s %14s %12s%n", "what", "messages", "total", "µs/message");
        long loadStart = System.nanoTime();
        BpeTokenCounter.O200K.count("warm up");
        stdout.printf(Locale.ROOT, "o200k_base vocabulary load (once per container, first OpenAI-family count): %.0f ms%n",
                (System.nanoTime() - loadStart) / 1e6);
        MessageTokens tokens = MessageTokens.approximate();
        Compactor compactor = new Compactor(h -> {
            throw new LlmException(LlmException.Kind.PROVIDER_ERROR, null, "the plan step calls no model");
        }, tokens, Clock.systemUTC());
        for (int size : sizes) {
            List<Message> raw = conversation(size);
            List<Message> stored = new ArrayList<>(raw.size());
            for (Message m : raw) {
                stored.add(m.withTokens(tokens.estimate(m)));
            }
            long total = stored.stream().mapToLong(Message::tokens).sum();
            int window = (int) Math.min(Integer.MAX_VALUE, total);
            for (CompactionMode mode : List.of(CompactionMode.SLIDING_WINDOW, CompactionMode.ALL)) {
                Compactor.Input input = input(stored, mode, AGENT, window);
                Plan[] plan = new Plan[1];
                double ns = median(runs, () -> plan[0] = compactor.preview(input).plan());
                row(stdout, "plan " + mode.wire() + " (cut " + plan[0].keptFrom() + ")", size, ns);
            }
            row(stdout, "first count (approximate)", size, median(runs, () -> {
                for (Message m : raw) {
                    tokens.estimate(m);
                }
            }));
            MessageTokens bpe = MessageTokens.approximate();
            Compactor.Input openai = input(raw, CompactionMode.SLIDING_WINDOW, OPENAI_AGENT, window);
            Compactor bpeCompactor = new Compactor(h -> null, bpe, Clock.systemUTC());
            long firstStart = System.nanoTime();
            bpeCompactor.preview(openai);
            row(stdout, "plan, OpenAI agent, 1st BPE", size, System.nanoTime() - firstStart);
            row(stdout, "plan, OpenAI agent, cached", size, median(runs, () -> bpeCompactor.preview(openai)));
        }
        return 0;
    }

    private static Compactor.Input input(List<Message> context, CompactionMode mode, ModelHandle agent, int window) {
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings settings = new CompactionSettings(null, null, null, false, d.clipChars(), mode,
                d.slidingWindowPercentage(), Set.of("mode"));
        return new Compactor.Input(context, settings, new ModelHandle("local", "extractive"), agent, window, "UTC", "manual",
                Instant.now().plusSeconds(60));
    }

    private static void row(PrintStream out, String what, int size, double nanos) {
        out.printf(Locale.ROOT, "%-28s %10d %11.2f ms %12.3f%n", what, size, nanos / 1e6, nanos / 1e3 / size);
    }

    /** Median wall time of {@code runs} runs, after as many warm-up runs. */
    private static double median(int runs, Runnable task) {
        for (int i = 0; i < runs; i++) {
            task.run();
        }
        long[] times = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            task.run();
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[runs / 2];
    }

    private static List<Integer> sizes(String value) {
        if (value == null) {
            return DEFAULT_SIZES;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                int n = Integer.parseInt(part.strip());
                if (n < 2) {
                    throw new NumberFormatException();
                }
                out.add(n);
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--sizes must be a comma-separated list of message counts >= 2, got '" + value + "'");
            }
        }
        return out;
    }

    /**
     * A coding-agent session of {@code size} messages: a system prompt, then rounds of a user
     * request, an assistant tool call, its result, and the assistant's answer.
     */
    static List<Message> conversation(int size) {
        List<Message> out = new ArrayList<>(size);
        out.add(message(0, Role.SYSTEM, "You are a coding agent working in the repository at /work/app.", List.of(), List.of()));
        while (out.size() < size) {
            int seq = out.size();
            int round = (seq + 3) / 4;
            String call = "call_" + round;
            switch (seq % 4) {
                case 1 -> out.add(message(seq, Role.USER, "Please look at src/main/java/app/Service" + round
                        + ".java and fix the failing test ACME-" + round + "; the CI run is https://ci.example.com/r/" + round,
                        List.of(), List.of()));
                case 2 -> out.add(message(seq, Role.ASSISTANT, "Reading the file first.",
                        List.of(new ToolCall(call, "read_file", "{\"path\": \"src/main/java/app/Service" + round + ".java\"}")),
                        List.of()));
                case 3 -> out.add(message(seq, Role.TOOL, null, List.of(), List.of(new ToolReturn(call, "success",
                        "public final class Service" + round + " { int retries = " + round + "; /* … 40 more lines … */ }",
                        null, null))));
                default -> out.add(message(seq, Role.ASSISTANT, "The retry count was off by one; I changed it and the test "
                        + "passes now.", List.of(), List.of()));
            }
        }
        return out;
    }

    private static Message message(int seq, Role role, String text, List<ToolCall> calls, List<ToolReturn> returns) {
        List<ContentPart> content = text == null ? List.of() : List.of(new ContentPart.Text(text));
        String id = String.format(Locale.ROOT, "message-%08x-0000-4000-8000-%012x", seq, (long) seq);
        String step = "step-" + (seq / 4);
        return new Message(id, seq, role, content, calls, null, returns, step, null, null, null, null, null, null);
    }
}
