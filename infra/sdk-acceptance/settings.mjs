// Compaction settings through Letta's official TypeScript client, unchanged: what an agent stores
// at creation, how a PATCH (`agents.update`) merges them, and that settings Letta accepts are
// accepted here and can always be compacted. LETTA_BASE_URL points at `compaction-local.jar
// start-api` (its default summarizer is local/extractive). Exit status 0 means every check held.
import assert from 'node:assert/strict';
import Letta from '@letta-ai/letta-client';

const baseURL = process.env.LETTA_BASE_URL;
assert.ok(baseURL, 'LETTA_BASE_URL must point at the API');
const apiKey = process.env.LETTA_API_KEY;
assert.ok(apiKey, 'LETTA_API_KEY must hold a key the API knows');
const client = new Letta({ baseURL, apiKey, maxRetries: 0 });

// Defaults stored at creation: the summarizer that will be used, and the mode's prompt (Letta's CLI
// reads agent.compaction_settings.model for its /compact).
const plain = await client.agents.create({ model: 'local/extractive' });
assert.equal(plain.compaction_settings.model, 'local/extractive');
assert.equal(plain.compaction_settings.mode, 'sliding_window');
assert.ok(plain.compaction_settings.prompt.length > 0, 'no default prompt stored');
assert.deepEqual((await client.agents.retrieve(plain.id)).compaction_settings, plain.compaction_settings);

// A PATCH merges per field; null leaves the settings; a mode change resets the prompt.
const agent = await client.agents.create({ model: 'local/extractive',
  compaction_settings: { mode: 'all', prompt: 'P', clip_chars: 40 } });
const clipped = await client.agents.update(agent.id, { compaction_settings: { clip_chars: 100 } });
assert.equal(clipped.compaction_settings.mode, 'all');
assert.equal(clipped.compaction_settings.prompt, 'P');
assert.equal(clipped.compaction_settings.clip_chars, 100);
const kept = await client.agents.update(agent.id, { compaction_settings: null, name: 'renamed' });
assert.deepEqual(kept.compaction_settings, clipped.compaction_settings);
const sliding = await client.agents.update(agent.id, { compaction_settings: { mode: 'sliding_window' } });
assert.equal(sliding.compaction_settings.prompt, plain.compaction_settings.prompt);

// What Letta accepts is accepted: its own reasoning-model case, unknown fields, another provider's
// model_settings. A field the summarizer cannot take is named in the compact answer.
const lettas = await client.agents.create({ model: 'openai/gpt-4o-mini', compaction_settings: {
  model: 'local/extractive', not_a_field: true,
  model_settings: { provider_type: 'openai', temperature: 0.05, reasoning: { reasoning_effort: 'high' }, extra: 1 } } });
assert.deepEqual(lettas.compaction_settings.model_settings,
  { provider_type: 'openai', temperature: 0.05, reasoning: { reasoning_effort: 'high' } });
const turns = [];
for (let i = 1; i <= 8; i++) {
  turns.push({ role: 'user', content: `Check invoice INV-${i}.` });
  turns.push({ role: 'assistant', content: `Invoice INV-${i} is paid.` });
}
const appended = await fetch(`${baseURL}/v1/conversations/default/messages/append`, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
  body: JSON.stringify({ agent_id: lettas.id, messages: turns }),
});
assert.equal(appended.status, 200, await appended.text());
const compacted = await client.conversations.messages.compact('default', { agent_id: lettas.id });
assert.equal(compacted.num_messages_before, 17);
assert.ok(compacted.num_messages_after < 17);
assert.deepEqual(compacted.compaction.settings_not_applied, ['model_settings.temperature', 'model_settings.reasoning']);

// Real type errors stay 422s, and nothing is stored.
try {
  await client.agents.update(agent.id, { compaction_settings: { mode: 'fastest' } });
  assert.fail('an unknown mode was accepted');
} catch (e) {
  assert.equal(e.status, 422, e.message);
}
assert.equal((await client.agents.retrieve(agent.id)).compaction_settings.mode, 'sliding_window');

console.log(`letta-client ${(await import('@letta-ai/letta-client/version')).VERSION}: settings checks passed`);
