// Letta's official TypeScript client with its DEFAULT retries (no maxRetries option) against the
// API, for SdkRetriesIT: which answers the client retries on its own. Prints one JSON line with
// each call's outcome. LETTA_BASE_URL and LETTA_API_KEY as for acceptance.mjs; CONVERSATION is
// the conversation to compact; argv[2] is `race` (two concurrent compactions) or `once`.
import Letta from '@letta-ai/letta-client';

const client = new Letta({ baseURL: process.env.LETTA_BASE_URL, apiKey: process.env.LETTA_API_KEY });
const conversation = process.env.CONVERSATION;

function outcome(promise) {
  return promise.then(
    (r) => ({ status: 200, num_messages_before: r.num_messages_before, num_messages_after: r.num_messages_after }),
    (e) => ({ status: e.status ?? null, message: String(e.message).slice(0, 300) }));
}

const calls = process.argv[2] === 'race' ? 2 : 1;
const results = await Promise.all(Array.from({ length: calls },
  () => outcome(client.conversations.messages.compact(conversation, {}))));
console.log(JSON.stringify(results));
