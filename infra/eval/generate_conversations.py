#!/usr/bin/env python3
"""Generates the evaluation sets of `eval` (see README, "Evaluating summarizers").

Two template families, so that a summarizer tuned on one is measured on conversations it has not
seen: family "a" (conversations.jsonl) and family "b" (heldout.jsonl) share no template, no phrasing
of corrections or plan changes, and no log format. Output is deterministic for a seed.

    python3 generate_conversations.py --family a --seed 1 > conversations.jsonl
    python3 generate_conversations.py --family b --seed 2 > heldout.jsonl
"""
import argparse
import json
import random


def msg(role, content, **extra):
    m = {"role": role, "content": content}
    m.update(extra)
    return m


def call(cid, name, args):
    return {"id": cid, "name": name, "arguments": json.dumps(args)}


def tool(cid, content, status="success"):
    return {"role": "tool", "tool_call_id": cid, "content": content, "status": status}


def ts(r, h, m, s):
    return "2026-03-14 %02d:%02d:%02d" % (h % 24, m % 60, s % 60)


def pad_log(r, lines, target_bytes, make_line):
    """Routine lines around the salient ones until the log reaches target_bytes."""
    out = []
    i = 0
    while sum(len(x) + 1 for x in out) < target_bytes:
        out.append(make_line(i))
        i += 1
    for pos, line in lines:
        out.insert(min(len(out), int(len(out) * pos)), line)
    return "\n".join(out)


def chatter(r):
    return r.choice(["Thanks!", "ok", "Great, thanks.", "Sounds good.", "Perfect 👍", "got it"])


def with_filler(messages, extra):
    """Side work inserted after the opening request, so the conversation has the length of a real session."""
    return messages[:2] + extra + messages[2:]


def a_filler(r, topic):
    """Family a: a side question answered from documentation."""
    comp = "%s_%s" % (topic, r.choice(["worker", "scheduler", "gateway", "exporter"]))
    ver = "v%d.%d.%d" % (r.randint(1, 4), r.randint(0, 20), r.randint(0, 9))
    doc = "\n".join(["# %s %s" % (comp, ver), "", "## Configuration", ""] +
                     ["- `%s.%s` (default %d): %s" % (comp, key, r.randint(1, 500), r.choice([
                         "how many items are handled per batch before a checkpoint is written",
                         "seconds to wait before a retry after a transient failure",
                         "upper bound of concurrent requests to the upstream service",
                         "size of the in-memory buffer, flushed when full or on shutdown"]))
                      for key in r.sample(["batch_size", "retry_after", "max_inflight", "buffer_kb", "flush_interval",
                                           "queue_depth", "timeout_ms", "shard_count"], 6)] +
                     ["", "## Operations", "", "Restart with `systemctl restart %s`; health at /internal/%s/health." % (comp, topic),
                      "Dashboards: https://grafana.internal/d/%s-%d." % (topic, r.randint(100, 999))] +
                     ["", "## Changelog", ""] + ["- %s.%d: %s" % (ver.rsplit(".", 1)[0], i, r.choice(["fixed a race on shutdown",
                                                                                                      "faster startup", "new metrics",
                                                                                                      "dependency updates"]))
                                                for i in range(r.randint(4, 9))])
    return [msg("user", "While you're at it, what does %s do exactly? I keep forgetting how it fits in." % comp),
            msg("assistant", "Let me check its documentation.", tool_calls=[call("d%d" % r.randint(100, 999), "read_docs",
                                                                                  {"component": comp})]),
            None,
            msg("assistant", "%s (%s) batches work for the %s pipeline and checkpoints after every batch; its settings live under the "
                "`%s.` prefix and the dashboard is linked in the docs. Nothing in it looks related to the current problem." % (
                    comp, ver, topic, comp)),
            msg("user", chatter(r))], doc


def a_side(r, topic):
    m, doc = a_filler(r, topic)
    m[2] = tool(m[1]["tool_calls"][0]["id"], doc)
    return m


def b_side(r, thing):
    """Family b: a side lookup whose records are routine."""
    cid = "h%d" % r.randint(1000, 9999)
    records = [{"id": "%s-%05d" % (thing[:3].upper(), r.randint(0, 99999)), "at": "2026-03-%02dT%02d:%02d:00Z" % (
        r.randint(1, 13), r.randint(0, 23), r.randint(0, 59)), "status": "ok", "by": r.choice(["system", "api", "ops"])}
               for _ in range(r.randint(12, 30))]
    return [msg("user", "Quick aside - can you pull the %s history for the last two weeks?" % thing),
            msg("assistant", "", tool_calls=[call(cid, "history", {"of": thing, "days": 14})]),
            tool(cid, json.dumps(records, indent=1)),
            msg("assistant", "Nothing unusual in the %s history: %d entries, all with status ok, the latest %s." % (
                thing, len(records), records[-1]["id"])),
            msg("user", "alright")]


# ---------------------------------------------------------------- family a (tuning set)

def a_coding(r, n):
    test = "test_partial_refund_%d" % r.randint(10, 99)
    ticket = "PAY-%d" % r.randint(1000, 9999)
    sha = "%07x" % r.randint(0, 16 ** 7)
    passed = r.randint(150, 400)
    lines = [(0.7, "FAILED tests/payments/test_refunds.py::%s - AssertionError: expected 1842 cents, got 1824" % test),
             (0.72, "E       assert refund.amount_cents == 1842")]
    log = pad_log(r, lines, r.randint(5000, 9000),
                  lambda i: "tests/payments/test_%s.py::test_case_%d PASSED [%3d%%]" % (r.choice(["ledger", "invoices", "cards"]), i, i % 100))
    log += "\n==== 1 failed, %d passed in 41.%02ds ====" % (passed, r.randint(0, 99))
    msgs = [msg("system", "You are a coding agent working in the repository payments-service."),
            msg("user", "CI is red on main since commit %s. Ticket %s. Can you find out why?" % (sha, ticket)),
            msg("assistant", "I will run the payment tests first.", tool_calls=[call("c1", "run_tests", {"path": "tests/payments"})]),
            tool("c1", log),
            msg("assistant", "One test fails: %s in tests/payments/test_refunds.py. The refund is off by 18 cents because "
                "round_half_even is applied before the currency conversion in src/payments/refunds.py." % test),
            msg("user", chatter(r)),
            msg("assistant", "I will move the rounding after convert_currency() and keep round_half_even.",
                tool_calls=[call("c2", "edit_file", {"path": "src/payments/refunds.py", "line": 212})]),
            tool("c2", "Edited src/payments/refunds.py: 3 lines changed."),
            msg("user", "Actually, use round_half_up instead, finance confirmed that in %s." % ticket),
            msg("assistant", "Changed to round_half_up in src/payments/refunds.py; the %s test passes now, %d passed in total." % (test, passed + 1)),
            msg("user", "Open a PR against main and link %s." % ticket)]
    msgs = with_filler(msgs, a_side(r, "payments") + a_side(r, "payments"))
    return msgs, {"current": ["round_half_up"], "superseded": []}


def a_support(r, n):
    order = "ORD-%d-%d" % (r.randint(2024, 2026), r.randint(10000, 99999))
    case = "RE-2026-%05d" % r.randint(1, 99999)
    email = r.choice(["dana.ruiz", "lee.chen", "sam.okafor"]) + "@northwind-labs.io"
    wrong, right = "€712.00", "€684.20"
    msgs = [msg("system", "You are a customer support agent for an online shop."),
            msg("user", "Hi, my order %s arrived damaged. I want a refund. My email is %s." % (order, email)),
            msg("assistant", "Sorry about that. I will look up the order.", tool_calls=[call("s1", "lookup_order", {"order": order})]),
            tool("s1", json.dumps({"order": order, "total": "712.00 EUR", "items": 3, "status": "delivered", "carrier": "DHL",
                                   "tracking": "JD0146%08d" % r.randint(0, 10 ** 8)})),
            msg("assistant", "I opened refund case %s for %s, the full order total." % (case, wrong)),
            msg("user", "Wait, one item (the mug) was fine, I keep it. Refund only the damaged ones."),
            msg("assistant", "Correction: the refund for case %s is %s, not %s, since the mug (€27.80) stays with you." % (case, right, wrong)),
            msg("user", chatter(r)),
            msg("user", "How long until the money is back on my card?"),
            msg("assistant", "Refunds reach the card within 5-7 business days; you will get a confirmation at %s." % email),
            msg("user", "Can you also send me a return label?")]
    msgs = with_filler(msgs, a_side(r, "orders") + a_side(r, "orders"))
    return msgs, {"current": [right, case], "superseded": [wrong]}


def a_analyst(r, n):
    q = "Q%d" % r.randint(1, 4)
    wrong, right = "€1,240,000", "€1,420,000"
    rows = "\n".join("%s | %s | %d" % (r.choice(["DE", "FR", "IT", "ES", "NL"]), "2026-0%d" % r.randint(1, 9), r.randint(100, 999))
                     for _ in range(r.randint(60, 140)))
    msgs = [msg("system", "You are a data analyst with read access to the warehouse."),
            msg("user", "What was %s revenue for the EU region? Use staging.stg_refunds for refunds." % q),
            msg("assistant", "Querying the warehouse.", tool_calls=[call("q1", "run_sql", {"sql": "select region, month, revenue from "
                                                                                           "finance.revenue_monthly join staging.stg_refunds using (order_id)"})]),
            tool("q1", "region | month | revenue\n" + rows + "\n(%d rows, 1,382 ms)" % rows.count("\n")),
            msg("assistant", "%s revenue for the EU region was %s after refunds from staging.stg_refunds." % (q, wrong)),
            msg("user", "That looks low. I think refunds were subtracted twice because the join duplicates rows."),
            msg("assistant", "You were right. %s revenue for the EU region is %s once refunds are subtracted once; the join "
                "on order_id duplicated 4,870 rows." % (q, right)),
            msg("user", chatter(r)),
            msg("user", "Put that figure in the board deck and note the query in analytics/notes/revenue.md.")]
    msgs = with_filler(msgs, a_side(r, "warehouse") + a_side(r, "warehouse"))
    return msgs, {"current": [right], "superseded": [wrong]}


def a_sre(r, n):
    inc = "INC-%d" % r.randint(1000, 9999)
    host = "db-%02d.prod.internal" % r.randint(1, 20)

    def routine(i):
        return "%s INFO GET /healthz 200 %dms host=%s" % (ts(r, 3, 10 + i // 60, i), r.randint(1, 9), host) if i % 3 else \
            "%s INFO checked replication lag on %s: no cause there" % (ts(r, 3, 10 + i // 60, i), host)
    log = pad_log(r, [(0.55, "%s WARN disk usage on %s at 97.3%% (pg_wal)" % (ts(r, 4, 2, 11), host)),
                      (0.56, "%s ERROR could not write to WAL: No space left on device" % ts(r, 4, 2, 40))],
                  r.randint(9000, 15000), routine)
    msgs = [msg("system", "You are an SRE assistant with shell access to the production bastion."),
            msg("user", "%s: checkout latency p99 is 4,870 ms since 03:58 UTC. What's going on with %s?" % (inc, host)),
            msg("assistant", "Reading the database host's log.", tool_calls=[call("l1", "tail_log", {"host": host, "lines": 2000})]),
            tool("l1", log),
            msg("assistant", "Root cause: the replication slot analytics_cdc_slot is inactive and retained WAL until the disk on %s "
                "reached 97.3%%; writes failed after that." % host),
            msg("user", "Drop the slot?"),
            msg("assistant", "I will drop analytics_cdc_slot and page the analytics team.",
                tool_calls=[call("l2", "psql", {"host": host, "sql": "select pg_drop_replication_slot('analytics_cdc_slot')"})]),
            tool("l2", "pg_drop_replication_slot\n-------------------------\n\n(1 row)"),
            msg("assistant", "Mitigated at 04:31 UTC: disk usage is back to 41%% and p99 is 180 ms. %s stays open for the postmortem." % inc),
            msg("user", chatter(r)),
            msg("user", "Write the timeline for %s." % inc)]
    msgs = with_filler(msgs, a_side(r, "checkout") + a_side(r, "checkout"))
    return msgs, {"current": ["analytics_cdc_slot", "97.3%"], "superseded": []}


def a_travel(r, n):
    flight, train, car = "LH %d" % r.randint(1000, 2999), "ICE %d" % r.randint(500, 1999), "KC-TRV-%d" % r.randint(1000, 9999)
    msgs = [msg("system", "You are a travel booking assistant."),
            msg("user", "Book the 07:40 flight %s to Munich for Friday, budget €400." % flight),
            msg("assistant", "I will book flight %s for Friday." % flight, tool_calls=[call("t1", "search_flights", {"flight": flight})]),
            tool("t1", json.dumps({"flight": flight, "fare": "312.40 EUR", "seats": 4})),
            msg("assistant", "Booked flight %s for Friday at €312.40." % flight),
            msg("user", "Change of plan: take the train %s instead of the flight, I want to work on the way." % train),
            msg("assistant", "Okay, I cancelled the flight and will book the train %s instead, seat reservation included." % train),
            msg("user", chatter(r)),
            msg("user", "Cancel the train too; we now drive with rental car booking %s." % car),
            msg("assistant", "Booked rental car %s from Munich Hbf, €189.00 for three days; the train %s is cancelled." % (car, train)),
            msg("user", "Which documents do I need at the rental desk?")]
    msgs = with_filler(msgs, a_side(r, "booking") + a_side(r, "booking"))
    return msgs, {"current": [car], "superseded": [flight, train]}


def a_research(r, n):
    dois = ["10.48550/arXiv.2503.%05d" % r.randint(10000, 19999), "10.1145/3581784.%07d" % r.randint(0, 9999999)]
    results = "\n".join("%d. %s — doi:%s — cited %d" % (i + 1, r.choice(["Sparse attention", "Summarization faithfulness",
                                                                          "Long-context eval"]), "10.%d/x.%d" % (r.randint(1000, 9999), i),
                                                        r.randint(1, 900)) for i in range(r.randint(30, 60)))
    msgs = [msg("system", "You are a research assistant."),
            msg("user", "Find papers on faithfulness of long-context summarization, 2024 or later."),
            msg("assistant", "Searching.", tool_calls=[call("p1", "search_papers", {"q": "summarization faithfulness long context"})]),
            tool("p1", results),
            msg("assistant", "The two most relevant are %s (arXiv) and %s (SC'23); the arXiv one is at https://arxiv.org/abs/%s." %
                (dois[0], dois[1], dois[0].split("arXiv.")[1])),
            msg("user", "Summarize the first one's method."),
            msg("assistant", "It scores each summary sentence against source spans with an NLI model and reports 0.83 agreement with "
                "annotators."),
            msg("user", chatter(r)),
            msg("user", "Add both to the reading list in notes/reading-list.md.")]
    msgs = with_filler(msgs, a_side(r, "library") + a_side(r, "library"))
    return msgs, {"current": dois, "superseded": []}


def a_multilingual(r, n):
    booking = "KC-TRV-%d" % r.randint(1000, 9999)
    msgs = [msg("system", "You are a multilingual booking assistant."),
            msg("user", "Bonjour, je voudrais modifier la réservation %s : arrivée le 12 mai au lieu du 10 mai." % booking),
            msg("assistant", "D'accord. J'ai modifié la réservation %s : arrivée le 12 mai, départ le 15 mai, total €684.20." % booking),
            msg("user", "请把发票发到 li.wei@example.cn，谢谢。"),
            msg("assistant", "好的，发票将发送到 li.wei@example.cn，预订号 %s。" % booking),
            msg("user", "Danke! Können Sie auch ein Zimmer für Frau Ortiz buchen, Buchung RE-2026-00417?"),
            msg("assistant", "Ich habe das Zimmer für Frau Ortiz unter RE-2026-00417 gebucht: 12.–15. Mai, €512.00. 🏨"),
            msg("user", chatter(r)),
            msg("user", "Est-ce que le petit-déjeuner est inclus ?")]
    msgs = with_filler(msgs, a_side(r, "hotel") + a_side(r, "hotel"))
    return msgs, {"current": [booking, "€684.20", "RE-2026-00417"], "superseded": []}


def a_batch_log(r, n):
    job = "job-%06x" % r.randint(0, 16 ** 6)
    shard = "s-%04d" % r.randint(100, 999)

    def routine(i):
        return "%s INFO merged segment %d of shard s-%04d in %d ms" % (ts(r, 2, i // 60, i), i % 7, r.randint(100, 999), r.randint(20, 900))
    log = "%s INFO starting compaction %s on 48 shards\n" % (ts(r, 1, 58, 0), job)
    log += pad_log(r, [(0.63, "%s ERROR java.lang.OutOfMemoryError: Java heap space while merging shard %s" % (ts(r, 2, 29, 38), shard)),
                       (0.631, "\tat dev.store.Merger.merge(Merger.java:212)"),
                       (0.632, "\tat dev.store.Compactor.run(Compactor.java:88)")], r.randint(12000, 19000), routine)
    log += "\n%s INFO %s finished with status FAILED (47/48 shards)" % (ts(r, 2, 59, 59), job)
    msgs = [msg("system", "You are an operations assistant for the storage cluster."),
            msg("user", "Why did last night's compaction job fail?"),
            msg("assistant", "Reading the job log.", tool_calls=[call("b1", "read_log", {"job": job})]),
            tool("b1", log),
            msg("assistant", "The job %s ran out of heap while merging shard %s; the other 47 shards finished." % (job, shard)),
            msg("user", "Rerun only that shard with 8 GB heap."),
            msg("assistant", "I will rerun shard %s with -Xmx8g." % shard, tool_calls=[call("b2", "rerun", {"job": job, "shard": shard,
                                                                                                         "heap": "8g"})]),
            tool("b2", "Submitted %s-retry-1 for shard %s (heap 8g)." % (job, shard)),
            msg("user", chatter(r)),
            msg("user", "Tell me when it's done.")]
    msgs = with_filler(msgs, a_side(r, "storage") + a_side(r, "storage"))
    return msgs, {"current": [job, shard], "superseded": []}


# ---------------------------------------------------------------- family b (held out)

def b_mobile_crash(r, n):
    build = "4.%d.%d (%d)" % (r.randint(1, 20), r.randint(0, 9), r.randint(1000, 9999))
    crash = "CRASH-%d" % r.randint(100000, 999999)

    def routine(i):
        return "03-14 09:%02d:%02d.%03d  %d  %d I ActivityManager: Displayed com.fernway.app/.ui.Feed: +%dms" % (
            i // 60 % 60, i % 60, r.randint(0, 999), 1200 + i % 40, 1300 + i % 40, r.randint(100, 900))
    log = pad_log(r, [(0.4, "03-14 09:12:44.201  1342  1342 E AndroidRuntime: FATAL EXCEPTION: main"),
                      (0.401, "03-14 09:12:44.201  1342  1342 E AndroidRuntime: java.lang.IllegalStateException: "
                              "Fragment FeedFragment not attached to a context."),
                      (0.402, "03-14 09:12:44.202  1342  1342 E AndroidRuntime:     at com.fernway.app.ui.FeedFragment.onRefresh(FeedFragment.kt:118)")],
                  r.randint(6000, 12000), routine)
    msgs = [msg("system", "You help the mobile team triage crashes."),
            msg("user", "Crashlytics shows %s spiking on build %s. Here's the logcat, what do you see?" % (crash, build)),
            msg("assistant", "Let me pull the device log.", tool_calls=[call("m1", "fetch_logcat", {"crash": crash})]),
            tool("m1", log),
            msg("assistant", "FeedFragment.onRefresh (FeedFragment.kt:118) touches the context after the fragment was detached; "
                "that throws IllegalStateException on pull-to-refresh."),
            msg("user", "Let's guard it with isAdded() and ship a hotfix as 4.%d.%d." % (r.randint(21, 30), r.randint(0, 9))),
            msg("assistant", "Guarding with isAdded() in FeedFragment.kt and cutting the hotfix branch hotfix/%s." % crash.lower()),
            msg("user", "ty"),
            msg("user", "What's the rollout plan?")]
    msgs = with_filler(msgs, b_side(r, "release") + b_side(r, "release"))
    return msgs, {"current": ["isAdded()"], "superseded": []}


def b_order_change(r, n):
    order = "#%d" % r.randint(100000, 999999)
    old_addr, new_addr = "Rua Augusta 41, Lisboa", "Calle Mayor 12, Madrid"
    msgs = [msg("system", "You are an e-commerce order assistant."),
            msg("user", "Ship order %s to %s please, express." % (order, old_addr)),
            msg("assistant", "Order %s will ship express to %s, arriving Tuesday, shipping $18.50." % (order, old_addr)),
            msg("user", "Hmm, I'm travelling. Send it to %s rather than Lisbon." % new_addr),
            msg("assistant", "Updated: order %s now goes to %s; the Lisbon address is no longer used." % (order, new_addr)),
            msg("user", "On second thought, hold the shipment until March 20, 2026."),
            msg("assistant", "Order %s is on hold until 2026-03-20 and will then ship to %s." % (order, new_addr)),
            msg("user", "Is express still included?")]
    msgs = with_filler(msgs, b_side(r, "shipment") + b_side(r, "shipment"))
    return msgs, {"current": ["2026-03-20"], "superseded": []}


def b_finance(r, n):
    inv = "INV-%d-%04d" % (r.randint(2025, 2026), r.randint(1, 9999))
    wrong, right = "$48,210.55", "$45,810.55"
    ledger = "\n".join("%s,%s,%d.%02d" % ("2026-02-%02d" % r.randint(1, 28), "acct_%d" % r.randint(1000, 1099), r.randint(10, 9999),
                                          r.randint(0, 99)) for _ in range(r.randint(80, 160)))
    msgs = [msg("system", "You reconcile accounts payable."),
            msg("user", "Reconcile vendor invoice %s against the February ledger." % inv),
            msg("assistant", "Pulling the ledger export.", tool_calls=[call("f1", "export_ledger", {"month": "2026-02"})]),
            tool("f1", "date,account,amount\n" + ledger),
            msg("assistant", "Invoice %s totals %s and matches 37 ledger lines." % (inv, wrong)),
            msg("user", "The vendor says there's a $2,400.00 credit note CN-7781 we forgot."),
            msg("assistant", "My mistake: with credit note CN-7781 applied, %s comes to %s, and it matches 38 lines." % (inv, right)),
            msg("user", "Approve the payment then.")]
    msgs = with_filler(msgs, b_side(r, "payment") + b_side(r, "payment"))
    return msgs, {"current": [right, "CN-7781"], "superseded": [wrong]}


def b_k8s(r, n):
    pod = "checkout-api-%s-%s" % ("".join(r.choice("abcdef0123456789") for _ in range(10)), "".join(r.choice("bcdfghjklmnpqrstvwxz") for _ in range(5)))

    def routine(i):
        return "  Normal   Pulled     %dm (x%d over 2h)  kubelet  Container image \"registry.acme.io/checkout:1.%d.%d\" already present" % (
            i % 59 + 1, i % 9 + 1, r.randint(10, 40), r.randint(0, 9))
    events = pad_log(r, [(0.5, "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137"),
                         (0.51, "  Warning  BackOff    3m (x41 over 2h)  kubelet  Back-off restarting failed container checkout in pod %s" % pod)],
                     r.randint(5000, 10000), routine)
    msgs = [msg("system", "You are a Kubernetes operations assistant."),
            msg("user", "checkout is in CrashLoopBackOff in namespace shop-prod, why?"),
            msg("assistant", "Describing the pod.", tool_calls=[call("k1", "kubectl", {"args": "describe pod %s -n shop-prod" % pod})]),
            tool("k1", events),
            msg("assistant", "The container is OOMKilled (exit code 137): its memory limit is 512Mi while the JVM heap is set to 600m."),
            msg("user", "Raise the limit to 1Gi."),
            msg("assistant", "Raised the memory limit of checkout to 1Gi in deploy/checkout/values-prod.yaml; rollout 1.%d is in progress." % r.randint(41, 60)),
            msg("user", "Watch it for ten minutes.")]
    msgs = with_filler(msgs, b_side(r, "deployment") + b_side(r, "deployment"))
    return msgs, {"current": ["1Gi"], "superseded": []}


def b_event(r, n):
    venue1, venue2 = "Hall Aurora (capacity 120)", "Kesselhaus Berlin"
    quote = "Q-%d" % r.randint(10000, 99999)
    msgs = [msg("system", "You organise company events."),
            msg("user", "Reserve %s for the offsite on June 4 for 90 people." % venue1),
            msg("assistant", "Reserved %s for June 4, quote %s at €6,300." % (venue1, quote)),
            msg("user", "Scratch that, the team grew to 140. Find something bigger."),
            msg("assistant", "Released %s. %s fits 200; quote Q-%d at €9,150 for June 4." % (venue1, venue2, r.randint(10000, 99999))),
            msg("user", "Go with the Kesselhaus and add catering for 140."),
            msg("assistant", "Confirmed %s for June 4 with catering for 140; deposit due by May 1." % venue2),
            msg("user", "Who do I send the deposit to?")]
    msgs = with_filler(msgs, b_side(r, "venue") + b_side(r, "venue"))
    return msgs, {"current": [venue2], "superseded": [quote]}


def b_legal(r, n):
    case = "C-%d/%d" % (r.randint(100, 999), r.randint(19, 24))
    ecli = "ECLI:EU:C:20%d:%d" % (r.randint(19, 24), r.randint(100, 999))
    hits = "\n".join("[%d] %s v %s, %s, para %d" % (i, r.choice(["Meta", "Schrems", "Planet49", "Google"]), r.choice(["Bundeskartellamt",
                     "DPC", "CNIL"]), "C-%d/%d" % (r.randint(100, 999), r.randint(10, 24)), r.randint(1, 140)) for i in range(r.randint(40, 80)))
    msgs = [msg("system", "You are a legal research assistant."),
            msg("user", "Find CJEU case law on consent for tracking cookies."),
            msg("assistant", "Searching the curia database.", tool_calls=[call("g1", "search_curia", {"q": "cookie consent"})]),
            tool("g1", hits),
            msg("assistant", "The leading case is %s (%s): pre-ticked boxes are not valid consent under Art. 6(1)(a) GDPR." % (case, ecli)),
            msg("user", "Draft a two-paragraph memo citing it."),
            msg("assistant", "Drafted memo-cookies-v1.docx citing %s and %s." % (case, ecli)),
            msg("user", "Send it to counsel@lexfirm.eu.")]
    msgs = with_filler(msgs, b_side(r, "search") + b_side(r, "search"))
    return msgs, {"current": [case], "superseded": []}


def b_multilingual(r, n):
    ticket = "SUP-%d" % r.randint(10000, 99999)
    msgs = [msg("system", "Eres un asistente de soporte multilingüe."),
            msg("user", "Hola, el pedido %s llegó sin el cargador. Mi correo es ana.souza@correo.br." % ticket),
            msg("assistant", "Lo siento. He abierto la incidencia %s y enviaremos el cargador sin coste." % ticket),
            msg("user", "Obrigada! Pode enviar para a Rua das Flores 88, São Paulo?"),
            msg("assistant", "Claro: o carregador do pedido %s vai para Rua das Flores 88, São Paulo, prazo 3 dias úteis." % ticket),
            msg("user", "배송 추적 번호를 알려주세요."),
            msg("assistant", "추적 번호는 BR%09dKR 입니다. 🙂" % r.randint(0, 10 ** 9)),
            msg("user", "¿Y si no llega a tiempo?")]
    msgs = with_filler(msgs, b_side(r, "ticket") + b_side(r, "ticket"))
    return msgs, {"current": [ticket, "ana.souza@correo.br"], "superseded": []}


def b_ci(r, n):
    run = "run #%d" % r.randint(1000, 9999)
    step = "integration-tests (shard 3/4)"

    def routine(i):
        return "[%02d:%02d:%02d] ✓ suite %s > case %d (%d ms)" % (10, i // 60 % 60, i % 60, r.choice(["orders", "users", "search"]), i, r.randint(5, 400))
    log = pad_log(r, [(0.8, "[10:41:07] ✗ suite search > case reindex_large_catalog: Timeout of 30000ms exceeded"),
                      (0.801, "[10:41:07]   Error: connect ECONNREFUSED 127.0.0.1:9200 (elasticsearch not ready)")],
                  r.randint(8000, 16000), routine)
    msgs = [msg("system", "You are a CI assistant."),
            msg("user", "Pipeline %s failed at %s. Why?" % (run, step)),
            msg("assistant", "Fetching the job log.", tool_calls=[call("ci1", "job_log", {"run": run, "step": step})]),
            tool("ci1", log, "error"),
            msg("assistant", "reindex_large_catalog timed out because Elasticsearch on 127.0.0.1:9200 was not ready; the service "
                "container has no health check."),
            msg("user", "Add a health check with 60 s start period."),
            msg("assistant", "Added a health check (start_period 60s) to .github/workflows/ci.yml and re-ran %s." % run),
            msg("user", "Did it pass?")]
    msgs = with_filler(msgs, b_side(r, "pipeline") + b_side(r, "pipeline"))
    return msgs, {"current": ["ECONNREFUSED"], "superseded": []}


FAMILIES = {
    "a": [("coding", a_coding), ("support", a_support), ("analytics", a_analyst), ("sre", a_sre), ("travel", a_travel),
          ("research", a_research), ("multilingual", a_multilingual), ("batch-log", a_batch_log)],
    "b": [("mobile", b_mobile_crash), ("orders", b_order_change), ("finance", b_finance), ("kubernetes", b_k8s),
          ("events", b_event), ("legal", b_legal), ("multilingual", b_multilingual), ("ci", b_ci)],
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--family", choices=sorted(FAMILIES), required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--per-domain", type=int, default=2)
    a = p.parse_args()
    r = random.Random(a.seed)
    for k in range(a.per_domain):
        for domain, make in FAMILIES[a.family]:
            messages, expect = make(r, k)
            line = {"id": "%s-%s-%d" % (a.family, domain, k + 1), "domain": domain, "messages": messages, "expect": expect}
            print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
