// Letta's agent routes around compaction, driven with Letta's official TypeScript client, unchanged:
// agents.messages.compact (POST /v1/agents/{id}/summarize) over the agent's default conversation,
// agents.messages.list (GET /v1/agents/{id}/messages) with its paging and include_return_message_types,
// and an unknown route raising the SDK's NotFoundError. LETTA_BASE_URL points at
// `compaction-local.jar start-api`. Exit status 0 means every check held.
import assert from 'node:assert/strict';
import Letta, { NotFoundError, UnprocessableEntityError } from '@letta-ai/letta-client';

const baseURL = process.env.LETTA_BASE_URL;
assert.ok(baseURL, 'LETTA_BASE_URL must point at the API');
const apiKey = process.env.LETTA_API_KEY;
assert.ok(apiKey, 'LETTA_API_KEY must hold a key the API knows');
const client = new Letta({ baseURL, apiKey, maxRetries: 0 });

async function collect(page) {
  const out = [];
  for await (const message of page) {
    out.push(message);
  }
  return out;
}

const agent = await client.agents.create({
  name: 'sdk-agents', model: 'local/extractive', system: 'You help with a billing migration.',
});

// The agent's default conversation (Letta's agent-direct mode) has the agent's id; appending is ours.
const turns = [];
for (let i = 1; i <= 5; i++) {
  turns.push({ role: 'user', content: `Migrate invoice shard ${i} (ticket BILL-${200 + i}).` });
  turns.push({ role: 'assistant', content: `Shard ${i} moved: ${500 * i} rows.` });
}
const appended = await fetch(`${baseURL}/v1/conversations/${agent.id}/messages/append`, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
  body: JSON.stringify({ messages: turns }),
});
assert.equal(appended.status, 200, await appended.text());

const compacted = await client.agents.messages.compact(agent.id, { compaction_settings: { mode: 'all' } });
assert.equal(compacted.num_messages_before, 11);
assert.equal(compacted.num_messages_after, 2);
assert.ok(compacted.summary.length > 0, 'summary is empty');

// Only the system message and the summary remain: Letta answers that summary, compacting nothing.
const again = await client.agents.messages.compact(agent.id);
assert.equal(again.num_messages_before, 2);
assert.equal(again.num_messages_after, 2);
assert.ok(again.summary.startsWith('Note: '), again.summary);
assert.ok(again.summary.endsWith(compacted.summary), 'the early answer carries the stored summary');

const history = await collect(client.agents.messages.list(agent.id, { conversation_id: 'default', order: 'asc', limit: 100 }));
assert.deepEqual(history.map((m) => m.message_type), ['system_message', ...turns.map((t) => `${t.role}_message`), 'user_message']);
const alert = JSON.parse(history.at(-1).content);
assert.equal(alert.type, 'system_alert', 'the summary is listed as Letta lists it: a user_message holding the packed alert');
assert.ok(!history.some((m) => m.message_type === 'summary_message'));

// Auto-pagination with small pages walks the same history, newest first.
const paged = await collect(client.agents.messages.list(agent.id, { conversation_id: 'default', limit: 3 }));
assert.deepEqual(paged.map((m) => m.id), history.map((m) => m.id).reverse());

const filtered = await collect(client.agents.messages.list(agent.id,
  { conversation_id: 'default', include_return_message_types: ['assistant_message', 'system_message'], limit: 100 }));
assert.deepEqual(new Set(filtered.map((m) => m.message_type)), new Set(['assistant_message', 'system_message']));
assert.equal(filtered.length, 6);
await assert.rejects(collect(client.agents.messages.list(agent.id, { include_return_message_types: ['robot_message'] })),
  (e) => e instanceof UnprocessableEntityError);

await assert.rejects(client.agents.messages.compact('agent-00000000-0000-4000-8000-000000000000'),
  (e) => e instanceof NotFoundError);
await assert.rejects(client.get('/v1/nowhere'),
  (e) => e instanceof NotFoundError && e.status === 404 && e.error?.detail === 'Not Found');
await assert.rejects(client.put('/v1/usage'), (e) => e.status === 405 && e.error?.detail === 'Method Not Allowed');
console.log(`letta-client ${(await import('@letta-ai/letta-client/version')).VERSION}: agent routes checked`);
