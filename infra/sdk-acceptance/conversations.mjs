// Letta's official TypeScript client, unchanged, managing conversations and agents: list (with the
// SDK's own paging), update, fork, delete, and a conversation whose own context_window_limit makes
// its compaction harder than its agent's window would. LETTA_BASE_URL points at
// `compaction-local.jar start-api`. Exit status 0 means every check held.
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

// Appending is ours (Letta's send-message route runs the agent); the SDK has no method for it.
async function append(conversationId, count) {
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ role: i % 2 === 0 ? 'user' : 'assistant',
      content: `Step ${i}: ${'copy invoice shard rows and verify the checksums '.repeat(8)}` });
  }
  const response = await fetch(`${baseURL}/v1/conversations/${conversationId}/messages/append`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ messages }),
  });
  assert.equal(response.status, 200, await response.text());
}

const agent = await client.agents.create({
  name: 'sdk-listing',
  model: 'local/extractive',
  system: 'You help migrate the billing database.',
  context_window_limit: 200000,
  compaction_settings: { mode: 'sliding_window', sliding_window_percentage: 0.3, clip_chars: 200 },
});
const other = await client.agents.create({ name: 'sdk-listing-other', model: 'local/extractive' });

// agents.list pages with the SDK's own `after` cursor: one agent a page, newest first.
const agentIds = [];
for await (const listed of client.agents.list({ limit: 1 })) {
  agentIds.push(listed.id);
}
assert.deepEqual(agentIds, [other.id, agent.id]);

const first = await client.conversations.create({ agent_id: agent.id });
const own = await client.conversations.create({ agent_id: agent.id, context_window_limit: 2000 });
assert.equal(own.context_window_limit, 2000);
assert.equal((await client.conversations.retrieve(own.id)).context_window_limit, 2000);

assert.deepEqual((await client.conversations.list({ agent_id: agent.id })).map((c) => c.id), [own.id, first.id]);
assert.deepEqual((await client.conversations.list({ agent_id: agent.id, order: 'asc', limit: 1 })).map((c) => c.id), [first.id]);
assert.deepEqual((await client.conversations.list({ agent_id: agent.id, order: 'asc', after: first.id })).map((c) => c.id),
  [own.id]);
assert.deepEqual(await client.conversations.list({ agent_id: other.id }), []);

// The same messages compact harder under the conversation's own 2,000-token window.
await append(first.id, 20);
await append(own.id, 20);
const underAgentWindow = await client.conversations.messages.compact(first.id, {});
const underOwnWindow = await client.conversations.messages.compact(own.id, {});
assert.ok(underOwnWindow.num_messages_after < underAgentWindow.num_messages_after,
  `own window kept ${underOwnWindow.num_messages_after}, agent's kept ${underAgentWindow.num_messages_after}`);

const updated = await client.conversations.update(first.id, { summary: 'Invoice shard migration', archived: true,
  context_window_limit: 64000 });
assert.equal(updated.summary, 'Invoice shard migration');
assert.equal(updated.archived, true);
assert.equal(updated.context_window_limit, 64000);
assert.deepEqual((await client.conversations.list({ agent_id: agent.id })).map((c) => c.id), [own.id]);
assert.deepEqual((await client.conversations.list({ archive_status: 'all', summary_search: 'shard' })).map((c) => c.id),
  [first.id]);

const source = await client.conversations.retrieve(first.id);
const fork = await client.conversations.fork(first.id);
assert.equal(fork.agent_id, agent.id);
assert.notEqual(fork.id, first.id);
assert.equal(fork.context_window_limit, 64000);
assert.notEqual(fork.in_context_message_ids[0], source.in_context_message_ids[0]);
assert.deepEqual(fork.in_context_message_ids.slice(1), source.in_context_message_ids.slice(1));
assert.ok(source.in_context_message_ids.length > 2, 'the source has a summary and kept messages');

await client.conversations.delete(fork.id);
await expectStatus(client.conversations.retrieve(fork.id), 404, 'a deleted conversation');
await expectStatus(client.conversations.delete(fork.id), 404, 'deleting it again');
assert.ok(!(await client.conversations.list({ archive_status: 'all' })).some((c) => c.id === fork.id));

const deleted = await client.agents.delete(agent.id);
assert.deepEqual(deleted, { message: `Agent id=${agent.id} successfully deleted` });
await expectStatus(client.agents.retrieve(agent.id), 404, 'a deleted agent');
await expectStatus(client.conversations.retrieve(own.id), 404, 'a deleted agent\'s conversation');
const remaining = [];
for await (const listed of client.agents.list()) {
  remaining.push(listed.id);
}
assert.deepEqual(remaining, [other.id]);
assert.deepEqual(await client.conversations.list({ archive_status: 'all' }), []);

console.log('all checks passed');
