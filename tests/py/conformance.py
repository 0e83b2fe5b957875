"""Google's own Python SDK (google-genai) against a running `gkr simulator`, beside tests/js/conformance.mjs.

The simulator must be indistinguishable from the Gemini API for everything checked here: generate, stream,
countTokens, the SDK's errors, resumable uploads of several chunks (sent without the API key, as this SDK
does), and Batch Mode jobs inline and from an uploaded JSONL file. Usage: python conformance.py BASE_URL
"""

import sys
import tempfile
import time
import traceback
import warnings

from google import genai
from google.genai import _api_client, errors, types

# batches.create_embeddings() is marked experimental by the SDK; the check uses it on purpose.
warnings.filterwarnings("ignore", message=r".*is experimental and may change without notice")

BASE = sys.argv[1]
MODEL = "gemini-2.5-flash"
passed = 0
failed = 0


def client(key):
    return genai.Client(api_key=key, http_options=types.HttpOptions(base_url=BASE))


ok = client("conf-ok-key-0000000000001")


def check(name):
    def run(fn):
        global passed, failed
        try:
            fn()
            passed += 1
            print(f"ok    {name}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL  {name}: {traceback.format_exc()}", flush=True)

    return run


def expect_api_error(key, status, word):
    c = client(key)  # held: a Client closes its HTTP client when it is collected
    try:
        c.models.generate_content(model=MODEL, contents="hello")
    except errors.APIError as e:
        assert e.code == status, f"status {e.code}, expected {status}: {e}"
        assert word in str(e), f"message lacks {word}: {e}"
        assert isinstance(e, errors.ClientError), type(e).__name__
        return
    raise AssertionError("no error was thrown")


@check("generate_content: text, finish reason and usage")
def _():
    r = ok.models.generate_content(model=MODEL, contents="hello simulator")
    assert r.text.startswith("Answer ") and "hello simulator" in r.text, r.text
    assert r.candidates[0].finish_reason == types.FinishReason.STOP, r.candidates[0].finish_reason
    assert r.usage_metadata.total_token_count > 0, r.usage_metadata


@check("generate_content: system instruction and snake_case thinking settings")
def _():
    r = ok.models.generate_content(
        model=MODEL,
        contents="a fairly long question about tides and the moon",
        config=types.GenerateContentConfig(
            system_instruction="Be terse.",
            max_output_tokens=40,
            thinking_config=types.ThinkingConfig(thinking_budget=30),
        ),
    )
    assert r.candidates[0].finish_reason == types.FinishReason.MAX_TOKENS, r.candidates[0].finish_reason
    assert r.usage_metadata.thoughts_token_count == 30, r.usage_metadata


@check("generate_content_stream: chunks add up to the answer")
def _():
    chunks = list(ok.models.generate_content_stream(model=MODEL, contents="stream me please"))
    text = "".join(c.text or "" for c in chunks)
    whole = ok.models.generate_content(model=MODEL, contents="stream me please")
    assert len(chunks) >= 2, f"only {len(chunks)} chunk(s)"
    assert text == whole.text, f"{text} != {whole.text}"
    assert chunks[-1].usage_metadata.total_token_count > 0, chunks[-1]


@check("count_tokens")
def _():
    r = ok.models.count_tokens(model=MODEL, contents="count these tokens please")
    assert r.total_tokens > 0, r


@check("invalid key: 400 ClientError with API_KEY_INVALID")
def _():
    expect_api_error("conf-invalid-key-00000001", 400, "API_KEY_INVALID")


@check("suspended key: 403 ClientError with CONSUMER_SUSPENDED")
def _():
    expect_api_error("conf-suspended-key-000002", 403, "CONSUMER_SUSPENDED")


@check("per-minute quota: 429 ClientError with RESOURCE_EXHAUSTED")
def _():
    expect_api_error("conf-limited-key-00000003", 429, "RESOURCE_EXHAUSTED")


@check("files.upload in several chunks (without the key) and the file used in generate_content")
def _():
    # The SDK sends 8 MiB chunks; a smaller chunk size makes several chunks of a small file.
    _api_client.CHUNK_SIZE = 64 * 1024
    body = b"gkr conformance file\n" * 10_000  # 210,000 bytes: four chunks
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(body)
        f.flush()
        file = ok.files.upload(
            file=f.name, config=types.UploadFileConfig(mime_type="text/plain", display_name="conf.txt")
        )
    assert file.name.startswith("files/") and file.uri, file
    assert file.size_bytes == len(body), file
    assert ok.files.get(name=file.name).uri == file.uri
    r = ok.models.generate_content(
        model=MODEL,
        contents=[types.Part.from_uri(file_uri=file.uri, mime_type="text/plain"), "Summarise the file"],
    )
    assert f"[files: text/plain {len(body)} B]" in r.text, r.text
    ok.files.delete(name=file.name)


def poll(name):
    for _ in range(100):
        job = ok.batches.get(name=name)
        if job.state not in (types.JobState.JOB_STATE_PENDING, types.JobState.JOB_STATE_RUNNING):
            return job
        time.sleep(0.1)
    raise AssertionError(f"batch {name} never finished")


@check("batches: inline job polled to SUCCEEDED, results in order with a per-request error")
def _():
    job = ok.batches.create(
        model=MODEL,
        src=[
            {"contents": [{"role": "user", "parts": [{"text": "batch hello"}]}], "metadata": {"key": "one"}},
            {
                "contents": [{"role": "user", "parts": [{"text": "batch bad [[sim:bad-request]]"}]}],
                "metadata": {"key": "two"},
            },
        ],
        config={"display_name": "conformance-inline-python"},
    )
    assert job.name.startswith("batches/"), job
    done = poll(job.name)
    assert done.state == types.JobState.JOB_STATE_SUCCEEDED, done.state
    rs = done.dest.inlined_responses
    whole = ok.models.generate_content(model=MODEL, contents="batch hello")
    assert len(rs) == 2 and rs[0].response.text == whole.text, rs
    assert rs[1].error is not None and rs[1].error.code == 400, rs[1]


@check("batches: job from an uploaded JSONL file, results downloaded from its responses file")
def _():
    lines = (
        '{"key":"a","request":{"contents":[{"parts":[{"text":"file batch one"}]}]}}\n'
        '{"key":"b","request":{"contents":[{"parts":[{"text":"file batch two"}]}]}}\n'
    )
    with tempfile.NamedTemporaryFile(suffix=".jsonl", mode="w") as f:
        f.write(lines)
        f.flush()
        src = ok.files.upload(file=f.name, config=types.UploadFileConfig(mime_type="application/jsonl"))
    done = poll(ok.batches.create(model=MODEL, src=src.name).name)
    assert done.state == types.JobState.JOB_STATE_SUCCEEDED and done.dest.file_name, done
    import json

    out = [json.loads(l) for l in ok.files.download(file=done.dest.file_name).decode().splitlines() if l]
    assert [o["key"] for o in out] == ["a", "b"], out
    assert out[0]["response"]["candidates"][0]["content"]["parts"][0]["text"], out[0]


@check("embed_content: one vector per text, output_dimensionality, the same text the same vector")
def _():
    r = ok.models.embed_content(
        model="gemini-embedding-001",
        contents=["alpha", "beta", "alpha"],
        config=types.EmbedContentConfig(output_dimensionality=768, task_type="RETRIEVAL_DOCUMENT"),
    )
    assert len(r.embeddings) == 3, r
    assert all(len(e.values) == 768 for e in r.embeddings), [len(e.values) for e in r.embeddings]
    assert r.embeddings[0].values == r.embeddings[2].values, "alpha twice, two vectors"


@check("batches.create_embeddings: inline job polled to SUCCEEDED, one vector per text in order")
def _():
    job = ok.batches.create_embeddings(
        model="gemini-embedding-001",
        src={"inlined_requests": {"contents": ["alpha", "beta"], "config": {"output_dimensionality": 16}}},
        config={"display_name": "conformance-embed-python"},
    )
    assert job.name.startswith("batches/"), job
    done = poll(job.name)
    assert done.state == types.JobState.JOB_STATE_SUCCEEDED, done.state
    rs = done.dest.inlined_embed_content_responses
    sync = ok.models.embed_content(
        model="gemini-embedding-001",
        contents=["alpha", "beta"],
        config=types.EmbedContentConfig(output_dimensionality=16),
    )
    assert [r.response.embedding.values for r in rs] == [e.values for e in sync.embeddings], rs


@check("embed_content: more than 100 texts is a 400 ClientError")
def _():
    try:
        ok.models.embed_content(model="gemini-embedding-001", contents=[f"t{i}" for i in range(101)])
    except errors.APIError as e:
        assert e.code == 400, e
        return
    raise AssertionError("101 texts were accepted")


@check("caches: create, get, list, update ttl, use in generate_content, delete (issue 28)")
def _():
    manual = "The pump must be primed before each start. " * 220
    cache = ok.caches.create(
        model=MODEL,
        config=types.CreateCachedContentConfig(
            contents=[types.Content(role="user", parts=[types.Part(text=manual)])],
            system_instruction="Answer in one sentence.",
            display_name="conformance",
            ttl="600s",
        ),
    )
    assert cache.name.startswith("cachedContents/"), cache.name
    tokens = cache.usage_metadata.total_token_count
    assert tokens > 1024, tokens
    assert ok.caches.get(name=cache.name).name == cache.name
    assert cache.name in [c.name for c in ok.caches.list()]
    ok.caches.update(name=cache.name, config=types.UpdateCachedContentConfig(ttl="1200s"))
    r = ok.models.generate_content(
        model=MODEL,
        contents="How do I start?",
        config=types.GenerateContentConfig(cached_content=cache.name),
    )
    assert r.usage_metadata.cached_content_token_count == tokens, r.usage_metadata
    try:
        ok.models.generate_content(
            model=MODEL,
            contents="Hi",
            config=types.GenerateContentConfig(cached_content=cache.name, system_instruction="Be brief."),
        )
        raise AssertionError("a cache plus a system instruction must be a 400")
    except errors.ClientError as e:
        assert e.code == 400, e
    ok.caches.delete(name=cache.name)
    try:
        ok.caches.get(name=cache.name)
        raise AssertionError("a deleted cache must be gone")
    except errors.ClientError as e:
        assert e.code == 403, e


print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
