// Drives the API with Letta's official TypeScript client, unchanged, the way an agent platform
// would: create an agent and a conversation, list messages, compact, and check Letta's errors.
// LETTA_BASE_URL points at `compaction-local.jar start-api`. Exit status 0 means every check held.
import assert from 'node:assert/strict';
import Letta from '@letta-ai/letta-client';

const baseURL = process.env.LETTA_BASE_URL;
assert.ok(baseURL, 'LETTA_BASE_URL must point at the API');
const apiKey = process.env.LETTA_API_KEY;
assert.ok(apiKey, 'LETTA_API_KEY must hold a key the API knows');
const client = new Letta({ baseURL, apiKey, maxRetries: 0 });

async function expectStatus(promise, status, what) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.status, status, `${what}: expected ${status}, got ${e.status} ${e.message}`);
    return e;
  }
  assert.fail(`${what}: expected ${status}, got success`);
}

const agent = await client.agents.create({
  name: 'sdk-acceptance',
  model: 'local/extractive',
  system: 'You are a careful assistant helping with a billing migration.',
  context_window_limit: 200000,
  compaction_settings: { mode: 'sliding_window', sliding_window_percentage: 0.3 },
});
assert.match(agent.id, /^agent-[0-9a-f-]{36}$/);
assert.equal((await client.agents.retrieve(agent.id)).id, agent.id);

const conversation = await client.conversations.create({ agent_id: agent.id });
assert.match(conversation.id, /^conv-[0-9a-f-]{36}$/);
assert.equal((await client.conversations.retrieve(conversation.id)).id, conversation.id);

// Appending is ours (Letta's send-message route runs the agent); the SDK has no method for it.
const turns = [];
for (let i = 1; i <= 6; i++) {
  turns.push({ role: 'user', content: `Step ${i}: migrate invoice table shard ${i} (ticket BILL-${100 + i}).` });
  turns.push({ role: 'assistant', content: `Checking shard ${i}.`, tool_calls: [{ id: `call_${i}`, type: 'function',
    function: { name: 'run_sql', arguments: JSON.stringify({ shard: i }) } }] });
  turns.push({ role: 'tool', tool_call_id: `call_${i}`, content: `shard ${i}: ${1000 * i} rows copied` });
  turns.push({ role: 'assistant', content: `Shard ${i} is done; ${1000 * i} rows moved.` });
}
const appended = await fetch(`${baseURL}/v1/conversations/${conversation.id}/messages/append`, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
  body: JSON.stringify({ messages: turns }),
});
assert.equal(appended.status, 200, await appended.text());

const listed = [];
for await (const message of client.conversations.messages.list(conversation.id, { limit: 100 })) {
  listed.push(message);
}
const types = new Set(listed.map((m) => m.message_type));
for (const type of ['system_message', 'user_message', 'assistant_message', 'tool_call_message', 'tool_return_message']) {
  assert.ok(types.has(type), `message list lacks ${type}: ${[...types]}`);
}

const compacted = await client.conversations.messages.compact(conversation.id, { compaction_settings: { mode: 'all' } });
assert.equal(typeof compacted.summary, 'string');
assert.ok(compacted.summary.length > 0, 'summary is empty');
assert.equal(compacted.num_messages_before, 25);
assert.equal(compacted.num_messages_after, 2);

const again = await expectStatus(client.conversations.messages.compact(conversation.id,
  { compaction_settings: { mode: 'all' } }), 400, 'second compaction');
assert.match(again.message, /Summarization failed to reduce the number of messages/);

await expectStatus(client.conversations.messages.compact('conv-00000000-0000-0000-0000-000000000000'), 422,
  'id outside Letta\'s pattern');
await expectStatus(client.conversations.messages.compact(conversation.id,
  { compaction_settings: { mode: 'fastest' } }), 422, 'unknown mode');
await expectStatus(client.conversations.messages.compact('default', { agent_id: agent.id }), 400,
  'agent-direct on a conversation holding only the system message');

// A key this deployment does not know gets API Gateway's 401 before reaching the API.
const stranger = new Letta({ baseURL, apiKey: 'not-a-key-of-this-deployment-000', maxRetries: 0 });
await expectStatus(stranger.conversations.retrieve(conversation.id), 401, 'an unknown key');

const after = [];
for await (const message of client.conversations.messages.list(conversation.id, { limit: 100 })) {
  after.push(message);
}
assert.ok(after.some((m) => m.message_type === 'user_message' && m.content.includes('"type": "system_alert"')),
  'the summary is listed as Letta lists it');
console.log(`letta-client ${(await import('@letta-ai/letta-client/version')).VERSION}: all checks passed`);
