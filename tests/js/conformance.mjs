// Google's own JavaScript SDK (@google/genai) against a running `gkr simulator`: the simulator must be
// indistinguishable from the Gemini API for everything checked here. Usage: node conformance.mjs BASE_URL
import { GoogleGenAI } from '@google/genai';

const base = process.argv[2];
const model = 'gemini-2.5-flash';
const client = (key) => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: base } });
const ok = client('conf-ok-key-0000000000001');
let passed = 0;
let failed = 0;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

async function expectApiError(key, status, word) {
  try {
    await client(key).models.generateContent({ model, contents: 'hello' });
  } catch (e) {
    assert(e.status === status, `status ${e.status}, expected ${status}: ${e.message}`);
    assert(String(e.message).includes(word), `message lacks ${word}: ${e.message}`);
    assert(e.constructor.name === 'ApiError', `error type ${e.constructor.name}`);
    return;
  }
  throw new Error('no error was thrown');
}

await check('generateContent: text, finish reason and usage', async () => {
  const r = await ok.models.generateContent({ model, contents: 'hello simulator' });
  assert(r.text.startsWith('Answer ') && r.text.includes('hello simulator'), r.text);
  assert(r.candidates[0].finishReason === 'STOP', r.candidates[0].finishReason);
  assert(r.usageMetadata.totalTokenCount > 0, JSON.stringify(r.usageMetadata));
});

await check('generateContent: system instruction', async () => {
  const r = await ok.models.generateContent({ model, contents: 'hello', config: { systemInstruction: 'Be terse.' } });
  assert(r.text.includes('(system: Be terse.)'), r.text);
});

await check('generateContent: JSON mode', async () => {
  const r = await ok.models.generateContent({ model, contents: 'two words', config: { responseMimeType: 'application/json' } });
  const v = JSON.parse(r.text);
  assert(v.words === 2, r.text);
});

await check('generateContentStream: chunks add up to the answer', async () => {
  const stream = await ok.models.generateContentStream({ model, contents: 'stream me please' });
  let text = '';
  let chunks = 0;
  let last;
  for await (const c of stream) {
    text += c.text ?? '';
    chunks++;
    last = c;
  }
  const whole = await ok.models.generateContent({ model, contents: 'stream me please' });
  assert(chunks >= 2, `only ${chunks} chunk(s)`);
  assert(text === whole.text, `${text} != ${whole.text}`);
  assert(last.candidates[0].finishReason === 'STOP' && last.usageMetadata.totalTokenCount > 0, JSON.stringify(last));
});

await check('countTokens', async () => {
  const r = await ok.models.countTokens({ model, contents: 'count these tokens please' });
  assert(r.totalTokens > 0, JSON.stringify(r));
});

await check('models.get', async () => {
  const m = await ok.models.get({ model });
  assert(m.name === `models/${model}`, m.name);
  assert(m.inputTokenLimit > 0, JSON.stringify(m));
});

await check('generation settings: maxOutputTokens cuts the answer, thinking tokens are reported', async () => {
  const r = await ok.models.generateContent({ model, contents: 'a fairly long question about tides and the moon',
    config: { maxOutputTokens: 40, thinkingConfig: { thinkingBudget: 30 }, stopSequences: ['NEVER'], seed: 5 } });
  assert(r.candidates[0].finishReason === 'MAX_TOKENS', r.candidates[0].finishReason);
  assert(r.usageMetadata.thoughtsTokenCount === 30, JSON.stringify(r.usageMetadata));
  assert((r.text ?? '').length <= 40, r.text);
});

await check('thinkingBudget with thinkingLevel: 400 INVALID_ARGUMENT', async () => {
  try {
    await ok.models.generateContent({ model, contents: 'hello', config: { thinkingConfig: { thinkingBudget: 10, thinkingLevel: 'LOW' } } });
  } catch (e) {
    assert(e.status === 400 && String(e.message).includes('INVALID_ARGUMENT'), e.message);
    return;
  }
  throw new Error('no error was thrown');
});

await check('files.upload (resumable) and the file used in generateContent', async () => {
  const body = 'gkr conformance file\n'.repeat(100);
  const file = await ok.files.upload({ file: new Blob([body], { type: 'text/plain' }), config: { mimeType: 'text/plain', displayName: 'conf.txt' } });
  assert(file.name.startsWith('files/') && file.uri, JSON.stringify(file));
  assert(Number(file.sizeBytes) === body.length, JSON.stringify(file));
  const again = await ok.files.get({ name: file.name });
  assert(again.uri === file.uri, JSON.stringify(again));
  const r = await ok.models.generateContent({ model, contents: [{ role: 'user', parts: [
    { fileData: { fileUri: file.uri, mimeType: 'text/plain' } }, { text: 'Summarise the file' }] }] });
  assert(r.text.includes('[files: text/plain ' + body.length + ' B]'), r.text);
  assert(r.usageMetadata.promptTokenCount > body.length / 4, JSON.stringify(r.usageMetadata));
  await ok.files.delete({ name: file.name });
});

// Batch Mode (issue 19): create, poll until done, read the results, inline and through a results file.
async function pollBatch(name) {
  for (let i = 0; i < 100; i++) {
    const job = await ok.batches.get({ name });
    if (!['JOB_STATE_PENDING', 'JOB_STATE_RUNNING'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`batch ${name} never finished`);
}

await check('batches: inline job created, polled to SUCCEEDED, results by key with a per-request error', async () => {
  const job = await ok.batches.create({ model, src: [
    { contents: [{ role: 'user', parts: [{ text: 'batch hello' }] }], metadata: { key: 'one' } },
    { contents: [{ role: 'user', parts: [{ text: 'batch bad [[sim:bad-request]]' }] }], metadata: { key: 'two' } }],
    config: { displayName: 'conformance-inline' } });
  assert(job.name.startsWith('batches/') && job.state === 'JOB_STATE_PENDING', JSON.stringify(job));
  const done = await pollBatch(job.name);
  assert(done.state === 'JOB_STATE_SUCCEEDED', done.state);
  const rs = done.dest.inlinedResponses;
  assert(rs.length === 2 && rs[0].metadata.key === 'one' && rs[1].metadata.key === 'two', JSON.stringify(rs));
  const whole = await ok.models.generateContent({ model, contents: 'batch hello' });
  assert(rs[0].response.candidates[0].content.parts[0].text === whole.text, JSON.stringify(rs[0]));
  assert(rs[1].error.code === 400, JSON.stringify(rs[1]));
  const listed = [];
  for await (const j of await ok.batches.list()) listed.push(j.name);
  assert(listed.includes(job.name), JSON.stringify(listed));
});

await check('batches: JSONL file job, results downloaded from its responses file; cancel and delete', async () => {
  const lines = ['{"key":"a","request":{"contents":[{"parts":[{"text":"file batch one"}]}]}}',
    '{"key":"b","request":{"contents":[{"parts":[{"text":"file batch two"}]}]}}'].join('\n') + '\n';
  const file = await ok.files.upload({ file: new Blob([lines], { type: 'application/jsonl' }), config: { mimeType: 'application/jsonl' } });
  const job = await ok.batches.create({ model, src: file.name });
  const done = await pollBatch(job.name);
  assert(done.state === 'JOB_STATE_SUCCEEDED' && done.dest.fileName, JSON.stringify(done));
  const fs = await import('node:fs/promises');
  const path = `${process.env.TMPDIR ?? '/tmp'}/gkr-conformance-${process.pid}.jsonl`;
  await ok.files.download({ file: done.dest.fileName, downloadPath: path });
  let text = '';
  for (let i = 0; i < 50 && !text; i++) { // the SDK writes the file without waiting for the write to end
    text = await fs.readFile(path, 'utf8').catch(() => '');
    if (!text) await new Promise((r) => setTimeout(r, 50));
  }
  const out = text.trim().split('\n').map((l) => JSON.parse(l));
  assert(out.length === 2 && out[0].key === 'a' && out[0].response.candidates[0].content.parts[0].text, text);
  const slow = await ok.batches.create({ model, src: [{ contents: [{ role: 'user', parts: [{ text: 'cancel me' }] }] }] });
  await ok.batches.cancel({ name: slow.name });
  const cancelled = await ok.batches.get({ name: slow.name });
  assert(cancelled.state === 'JOB_STATE_CANCELLED', cancelled.state);
  await ok.batches.delete({ name: slow.name });
  try {
    await ok.batches.get({ name: slow.name });
  } catch (e) {
    assert(e.status === 404, e.message);
    return;
  }
  throw new Error('a deleted batch was still there');
});

await check('embedContent: one vector per text, outputDimensionality, the same text the same vector', async () => {
  const r = await ok.models.embedContent({ model: 'gemini-embedding-001', contents: ['alpha', 'beta', 'alpha'],
    config: { outputDimensionality: 768, taskType: 'RETRIEVAL_DOCUMENT' } });
  assert(r.embeddings.length === 3, `${r.embeddings.length} embeddings`);
  assert(r.embeddings.every((e) => e.values.length === 768), 'not 768 values');
  assert(JSON.stringify(r.embeddings[0].values) === JSON.stringify(r.embeddings[2].values), 'alpha twice, two vectors');
  const one = await ok.models.embedContent({ model: 'gemini-embedding-001', contents: 'alpha' });
  assert(one.embeddings[0].values.length === 3072, `${one.embeddings[0].values.length} native values`);
});

await check('batches.createEmbeddings: inline job polled to SUCCEEDED, one vector per text in order', async () => {
  const job = await ok.batches.createEmbeddings({ model: 'gemini-embedding-001',
    src: { inlinedRequests: { contents: ['alpha', 'beta'], config: { outputDimensionality: 16 } } } });
  assert(job.name.startsWith('batches/'), JSON.stringify(job));
  const done = await pollBatch(job.name);
  assert(done.state === 'JOB_STATE_SUCCEEDED', done.state);
  const rs = done.dest.inlinedEmbedContentResponses;
  const sync = await ok.models.embedContent({ model: 'gemini-embedding-001', contents: ['alpha', 'beta'],
    config: { outputDimensionality: 16 } });
  assert(JSON.stringify(rs.map((r) => r.response.embedding.values)) === JSON.stringify(sync.embeddings.map((e) => e.values)),
    JSON.stringify(rs));
});

await check('embedContent: more than 100 texts is a 400 ApiError', async () => {
  try {
    await ok.models.embedContent({ model: 'gemini-embedding-001', contents: Array.from({ length: 101 }, (_, i) => `t${i}`) });
  } catch (e) {
    assert(e.status === 400, `status ${e.status}: ${e.message}`);
    return;
  }
  throw new Error('101 texts were accepted');
});

await check('invalid key: 400 ApiError with API_KEY_INVALID', () => expectApiError('conf-invalid-key-00000001', 400, 'API_KEY_INVALID'));
await check('suspended key: 403 ApiError with CONSUMER_SUSPENDED', () => expectApiError('conf-suspended-key-000002', 403, 'CONSUMER_SUSPENDED'));
await check('per-minute quota: 429 ApiError with RESOURCE_EXHAUSTED and RetryInfo', () => expectApiError('conf-limited-key-00000003', 429, 'RetryInfo'));

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
