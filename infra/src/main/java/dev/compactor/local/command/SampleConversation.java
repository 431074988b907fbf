package dev.compactor.local.command;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic agent session for the demo and the local store: a developer and a coding agent
 * chasing a failing checkout test, with tool calls and their results, identifiers worth keeping,
 * an error, a decision, and a fix.
 */
public final class SampleConversation {
    public static final String SYSTEM_PROMPT = """
            You are Ferris, a senior software engineer pairing with the user on the acme-shop monorepo. \
            You can read files, search code, run commands and open pull requests through your tools. \
            Prefer small, verified changes; explain what you did and why.""";

    private final List<Message> messages = new ArrayList<>();
    private final String callPrefix;
    private int calls;
    private int steps;

    private SampleConversation(String callPrefix) {
        this.callPrefix = callPrefix;
    }

    public static List<Message> messages() {
        return messages("call_");
    }

    /**
     * The session with tool-call ids starting with {@code callPrefix}, so that several copies can
     * follow one another in one conversation without two calls sharing an id.
     */
    public static List<Message> messages(String callPrefix) {
        SampleConversation c = new SampleConversation(callPrefix);
        c.user("The checkout tests started failing on main after yesterday's merge. CI run "
                + "https://ci.acme.dev/runs/88412 is red. Can you find out why?");
        c.assistant("I'll start with the CI log for run 88412.", "fetch_ci_log", "{\"run_id\": 88412}",
                "FAILED services/checkout/tests/test_totals.py::test_discount_rounding - AssertionError: "
                        + "expected 19.99, got 20.0\n1 failed, 412 passed in 63.2s");
        c.assistant("One test fails: test_discount_rounding expects 19.99 but gets 20.0. Let me look at the test.",
                "read_file", "{\"path\": \"services/checkout/tests/test_totals.py\", \"lines\": \"40-72\"}",
                "def test_discount_rounding():\n    cart = Cart(items=[Item(sku='SKU-1042', price=Decimal('24.99'))])\n"
                        + "    cart.apply(Discount(percent=20))\n    assert cart.total() == Decimal('19.99')");
        c.assistant("The test applies a 20% discount to 24.99. Now the totals code.", "search_code",
                "{\"query\": \"def total\", \"path\": \"services/checkout\"}",
                "services/checkout/cart.py:118: def total(self) -> Decimal:\n"
                        + "services/checkout/legacy/cart_v1.py:77: def total(self):");
        c.assistant(null, "read_file", "{\"path\": \"services/checkout/cart.py\", \"lines\": \"110-140\"}",
                "    def total(self) -> Decimal:\n        subtotal = sum(i.price for i in self.items)\n"
                        + "        discounted = subtotal * (1 - self.discount.fraction)\n"
                        + "        return discounted.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)");
        c.assistant("Found it: total() quantizes to Decimal('0.1') (one decimal place) instead of Decimal('0.01'). "
                + "24.99 × 0.8 = 19.992, which rounds to 20.0 at one place. Let me check when that changed.",
                "git_log", "{\"path\": \"services/checkout/cart.py\", \"max_count\": 3}",
                "a41c9e2 2026-11-20 Priya Nair  Simplify rounding in Cart.total (#2291)\n"
                        + "77d0b13 2026-10-02 Sam Ortiz   Add multi-currency support (#2204)");
        c.user("Ah, that's Priya's refactor from PR #2291. Why did she change it?");
        c.assistant("Let me read the PR description.", "get_pull_request", "{\"number\": 2291}",
                "#2291 Simplify rounding in Cart.total — 'Use one quantize call for all currencies. JPY has no "
                        + "minor unit, so the old per-currency table was wrong for it.' Linked: ACME-5817.");
        c.assistant("PR #2291 replaced the per-currency exponent table with a single quantize to fix JPY (ticket "
                + "ACME-5817), but picked 0.1 instead of taking the exponent from the currency. So USD lost a digit.",
                null, null, null);
        c.user("Makes sense. I don't want to break JPY again. What do you suggest?");
        c.assistant("I decided to quantize with the currency's own minor unit: Decimal(1).scaleb(-currency.exponent), "
                + "which is 0.01 for USD/EUR and 1 for JPY. Let me check the currency model has the exponent.",
                "read_file", "{\"path\": \"services/checkout/money.py\", \"lines\": \"1-40\"}",
                "@dataclass(frozen=True)\nclass Currency:\n    code: str\n    exponent: int  # ISO 4217 minor unit\n"
                        + "USD = Currency('USD', 2)\nEUR = Currency('EUR', 2)\nJPY = Currency('JPY', 0)");
        c.assistant("The exponent is there. Applying the change.", "apply_patch",
                "{\"path\": \"services/checkout/cart.py\", \"diff\": \"-        return discounted.quantize(Decimal('0.1'), "
                        + "rounding=ROUND_HALF_UP)\\n+        unit = Decimal(1).scaleb(-self.currency.exponent)\\n"
                        + "+        return discounted.quantize(unit, rounding=ROUND_HALF_UP)\"}",
                "Patched services/checkout/cart.py (1 hunk, +2 -1)");
        c.assistant("Running the checkout suite.", "run_command", "{\"cmd\": \"pytest services/checkout -q\"}",
                "ERROR services/checkout/tests/test_totals.py - AttributeError: 'Cart' object has no attribute "
                        + "'currency'\n1 error in 4.1s");
        c.assistant("Cart has no currency attribute; the currency lives on each Item. I'll use the first item's "
                + "currency and keep a guard for empty carts.", "apply_patch",
                "{\"path\": \"services/checkout/cart.py\", \"diff\": \"-        unit = Decimal(1).scaleb(-self.currency.exponent)\\n"
                        + "+        currency = self.items[0].currency if self.items else USD\\n"
                        + "+        unit = Decimal(1).scaleb(-currency.exponent)\"}",
                "Patched services/checkout/cart.py (1 hunk, +2 -1)");
        c.assistant(null, "run_command", "{\"cmd\": \"pytest services/checkout -q\"}", "413 passed in 61.8s");
        c.user("Nice. Add a JPY test too so this doesn't regress, then open a PR against main.");
        c.assistant("Adding test_discount_rounding_jpy: 1000 JPY with 15% off must total 850.", "apply_patch",
                "{\"path\": \"services/checkout/tests/test_totals.py\", \"diff\": \"+def test_discount_rounding_jpy():\\n"
                        + "+    cart = Cart(items=[Item(sku='SKU-2210', price=Decimal('1000'), currency=JPY)])\\n"
                        + "+    cart.apply(Discount(percent=15))\\n+    assert cart.total() == Decimal('850')\"}",
                "Patched services/checkout/tests/test_totals.py (1 hunk, +5 -0)");
        c.assistant(null, "run_command", "{\"cmd\": \"pytest services/checkout -q\"}", "414 passed in 62.4s");
        c.assistant("All 414 tests pass. Opening the pull request.", "create_pull_request",
                "{\"title\": \"Fix Cart.total rounding to the currency's minor unit\", \"base\": \"main\", "
                        + "\"head\": \"fix/cart-rounding\", \"body\": \"Fixes the regression from #2291 (ACME-5817).\"}",
                "Created https://git.acme.dev/acme-shop/pull/2307");
        c.assistant("Opened https://git.acme.dev/acme-shop/pull/2307: Cart.total now quantizes to the currency's "
                + "minor unit (0.01 for USD, 1 for JPY), with a new JPY test. CI run 88412's failure is fixed locally; "
                + "413 + 1 tests pass.", null, null, null);
        c.user("Thanks. Can you also check whether legacy/cart_v1.py has the same bug?");
        c.assistant("Checking the legacy implementation.", "read_file",
                "{\"path\": \"services/checkout/legacy/cart_v1.py\", \"lines\": \"70-95\"}",
                "    def total(self):\n        return round(sum(p for p in self.prices) * (1 - self.discount), 2)");
        c.assistant("legacy/cart_v1.py uses round(..., 2) on floats, so it always keeps two decimals: right for USD, "
                + "wrong for JPY, but it is only used by the v1 export job. I suggest a separate ticket rather than "
                + "widening PR #2307.", null, null, null);
        c.user("Agreed, file a ticket for it and link it to ACME-5817.");
        c.assistant("Filing the ticket.", "create_ticket",
                "{\"project\": \"ACME\", \"title\": \"cart_v1.total rounds JPY to 2 decimals\", \"links\": [\"ACME-5817\"]}",
                "Created ACME-5862");
        c.assistant("Filed ACME-5862 (linked to ACME-5817) for the legacy rounding. Anything else?", null, null, null);
        return c.messages;
    }

    private void user(String text) {
        messages.add(Message.text(Role.USER, text));
    }

    /** An assistant turn, optionally calling one tool whose result follows. */
    private void assistant(String text, String tool, String arguments, String result) {
        String step = "step-" + (++steps);
        List<ContentPart> content = text == null ? List.of() : List.of(new ContentPart.Text(text));
        List<ToolCall> toolCalls = tool == null ? List.of() : List.of(new ToolCall(callPrefix + (++calls), tool, arguments));
        messages.add(new Message(null, 0, Role.ASSISTANT, content, toolCalls, null, null, step, null, null, null, null, null, null));
        if (tool != null) {
            messages.add(new Message(null, 0, Role.TOOL, List.of(new ContentPart.Text(result)), null, callPrefix + calls, null,
                    step, tool, null, null, null, null, null));
        }
    }
}
