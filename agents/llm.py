"""One client for every LLM agent: any OpenAI-compatible server, structured and resilient.

- Configuration from the environment (or CLI flags that set it): ``CIRCUITSMITH_LLM_BASE_URL``,
  ``CIRCUITSMITH_LLM_API_KEY`` (or ``OPENAI_API_KEY``), ``CIRCUITSMITH_LLM_MODEL``, per-agent
  overrides ``CIRCUITSMITH_LLM_MODEL_<AGENT>`` (e.g. a cheap model for IDENTIFY, a strong one for
  PLAN and JUDGE), ``CIRCUITSMITH_LLM_TIMEOUT`` (s), ``CIRCUITSMITH_LLM_RETRIES``,
  ``CIRCUITSMITH_LLM_CACHE`` (1 to reuse answers from an SQLite cache), ``CIRCUITSMITH_LLM_MAX_TOKENS``,
  ``CIRCUITSMITH_LLM_AGENTS`` (e.g. ``identify,plan``: only these agents use the model).
- Structured output: the JSON-schema response format where the server supports it, JSON mode with
  the schema attached otherwise (llama.cpp), always validated by pydantic; one repair retry that
  shows the model its validation error; then :class:`LLMError`, and the caller hands the step to
  its rules implementation and records that it did.
- Resilience: timeouts, exponential backoff with jitter on 429/5xx/connection errors, respect for
  ``Retry-After``, and a circuit breaker so a dead server does not cost every agent its full
  retry budget.
- Bounded time: every request has a wall-clock deadline (``timeout``, covering a body that
  trickles in a byte at a time, not only a silent socket); a caller may also set a total budget
  (:meth:`LLMClient.within`, e.g. one design's ``--llm-budget``) that caps every request, every
  retry and every ``Retry-After``; once it is spent each call raises :class:`LLMBudgetSpent` at once
  and the caller's rules take over.
- Accounting: calls, tokens, latency, retries and fallbacks per agent (:class:`Usage`).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from knowledge import lazy_imports

T = TypeVar("T", bound=BaseModel)

__all__ = [
    "LLMConfig", "LLMClient", "LLMError", "LLMBudgetSpent", "Usage", "AgentUsage", "CircuitBreaker", "ResponseCache",
    "data_block", "llm_configured",
]


class LLMError(RuntimeError):
    """The model could not give a usable answer; the caller falls back to its rules."""


class LLMBudgetSpent(LLMError):
    """The caller's LLM time budget is spent: no request is started (or waited for) past it."""


def llm_configured() -> bool:
    return bool(os.environ.get("CIRCUITSMITH_LLM_BASE_URL") or os.environ.get("OPENAI_API_KEY"))


@dataclass
class LLMConfig:
    base_url: str | None = None
    api_key: str = "not-needed"
    model: str = "gpt-4o-mini"
    agent_models: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    cache: bool = False
    cache_path: Path | None = None
    breaker_threshold: int = 3
    breaker_cooldown: float = 30.0
    temperature: float = 0.0
    max_tokens: int = 1024
    agents: frozenset[str] | None = None  # the agents that use the model (None: all); the others run on rules

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "LLMConfig | None":
        env = dict(os.environ if env is None else env)
        base_url = env.get("CIRCUITSMITH_LLM_BASE_URL") or None
        api_key = env.get("CIRCUITSMITH_LLM_API_KEY") or env.get("OPENAI_API_KEY") or ""
        if not base_url and not api_key:
            return None
        prefix = "CIRCUITSMITH_LLM_MODEL_"
        agent_models = {k[len(prefix):].lower(): v for k, v in env.items() if k.startswith(prefix) and v}
        home = Path(env.get("CIRCUITSMITH_HOME", Path.home() / ".local" / "share" / "circuitsmith"))
        return cls(
            base_url=base_url,
            api_key=api_key or "not-needed",
            model=env.get("CIRCUITSMITH_LLM_MODEL", "gpt-4o-mini"),
            agent_models=agent_models,
            timeout=float(env.get("CIRCUITSMITH_LLM_TIMEOUT", 60)),
            max_retries=int(env.get("CIRCUITSMITH_LLM_RETRIES", 3)),
            cache=env.get("CIRCUITSMITH_LLM_CACHE", "0").lower() in ("1", "true", "yes", "on"),
            cache_path=home / "llm-cache.sqlite",
            max_tokens=int(env.get("CIRCUITSMITH_LLM_MAX_TOKENS", 1024)),
            agents=frozenset(a.strip().lower() for a in env["CIRCUITSMITH_LLM_AGENTS"].split(",") if a.strip())
            if (env.get("CIRCUITSMITH_LLM_AGENTS") or "").strip() else None,
        )

    def serves(self, agent: str) -> bool:
        return self.agents is None or agent.lower() in self.agents

    def model_for(self, agent: str) -> str:
        return self.agent_models.get(agent.lower(), self.model)


# ---------------------------------------------------------------------------- accounting
@dataclass
class AgentUsage:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    repairs: int = 0
    failures: int = 0
    cache_hits: int = 0
    latencies: list[float] = field(default_factory=list)
    schema_valid: int = 0
    events: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        lat = sorted(self.latencies)
        p50 = lat[len(lat) // 2] if lat else None
        return {
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "retries": self.retries,
            "repairs": self.repairs,
            "failures": self.failures,
            "cache_hits": self.cache_hits,
            "schema_valid": self.schema_valid,
            "p50_latency_s": round(p50, 3) if p50 is not None else None,
            "events": list(self.events[-10:]),
        }


class Usage:
    """Per-agent accounting for one client (one run)."""

    def __init__(self) -> None:
        self.by_agent: dict[str, AgentUsage] = {}
        self._lock = threading.Lock()

    def agent(self, name: str) -> AgentUsage:
        with self._lock:
            return self.by_agent.setdefault(name, AgentUsage())

    @property
    def total_tokens(self) -> int:
        return sum(a.prompt_tokens + a.completion_tokens for a in self.by_agent.values())

    def as_dict(self) -> dict:
        return {name: a.as_dict() for name, a in self.by_agent.items()}


# ---------------------------------------------------------------------------- breaker
class CircuitBreaker:
    """Opens after ``threshold`` consecutive failed calls; while open, calls fail at once.
    After ``cooldown`` seconds one trial call is let through (half-open)."""

    def __init__(self, threshold: int = 3, cooldown: float = 30.0, clock=time.monotonic):
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        if self.clock() - self.opened_at >= self.cooldown:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        return self.state != "open"

    def success(self) -> None:
        with self._lock:
            self.failures = 0
            self.opened_at = None

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self.failures >= self.threshold or self.opened_at is not None:
                self.opened_at = self.clock()


# ---------------------------------------------------------------------------- cache
class ResponseCache:
    """SQLite cache of answers keyed by model, messages and schema."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, content TEXT, created REAL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    @staticmethod
    def key(model: str, messages: list[dict], schema: dict | None) -> str:
        blob = json.dumps({"m": model, "msg": messages, "s": schema}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def get(self, key: str) -> str | None:
        with self._lock, self._connect() as db:
            row = db.execute("SELECT content FROM answers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, content: str) -> None:
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, content, time.time()))


# ---------------------------------------------------------------------------- helpers
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def data_block(label: str, text: str) -> str:
    """Wrap untrusted text (a user's request, a PDF snippet) as data for a user message.

    The delimiters cannot be closed from inside: any ``</label>`` in the text is neutralised.
    System prompts tell the model that such blocks are data, never instructions."""
    tag = re.sub(r"[^a-z_]", "", label.lower()) or "data"
    safe = str(text).replace(f"</{tag}>", f"<\\/{tag}>").replace(f"<{tag}>", f"<\\{tag}>")
    return f"<{tag}>\n{safe}\n</{tag}>"


def _extract_json(content: str) -> Any:
    text = content.strip()
    m = _FENCE.match(text)
    if m:
        text = m.group(1)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # a model that wraps JSON in prose: take the outermost object
        start, end = text.find("{"), text.rfind("}")
        if start != -1 and end > start:
            return json.loads(text[start:end + 1])
        raise


def _schema_of(model: type[BaseModel]) -> dict:
    return model.model_json_schema()


class _WrongShape(ValueError):
    """Valid JSON that answers some other question: none of the schema's fields is in it."""


def _expected_shape(data: Any, json_schema: dict) -> Any:
    # Models whose fields all have defaults validate *any* object (extra keys are ignored), so
    # {"design": ...} or {} would pass as an empty answer. An answer must use the schema's fields.
    props = set((json_schema.get("properties") or {}).keys())
    if props and isinstance(data, dict) and not (set(data) & props):
        got = ", ".join(sorted(map(str, data))[:3]) or "none"
        want = [k for k in (json_schema.get("required") or [])] or sorted(props)
        raise _WrongShape(f"wrong fields ({got[:40]}); expected {', '.join(want[:3])}")
    return data


class _Transient(Exception):
    def __init__(self, msg: str, retry_after: float | None = None, rate_limited: bool = False):
        super().__init__(msg)
        self.retry_after = retry_after
        self.rate_limited = rate_limited  # a 429: the server is alive, it asks us to wait


# ---------------------------------------------------------------------------- client
class LLMClient:
    """A resilient, accounted client over the ``openai`` package."""

    def __init__(self, config: LLMConfig, *, sleep=time.sleep):
        self.config = config
        self._openai = self._new_transport()
        self._local = threading.local()  # this thread's budget deadline (time.time()), see within()
        self.usage = Usage()
        self.breaker = CircuitBreaker(config.breaker_threshold, config.breaker_cooldown)
        self.cache = ResponseCache(config.cache_path) if config.cache and config.cache_path else None
        # "json_schema" until the server refuses it, then "json_object" with the schema attached.
        self.response_mode = "json_schema"
        self._sleep = sleep

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "LLMClient | None":
        cfg = LLMConfig.from_env(env)
        return cls(cfg) if cfg else None

    def _new_transport(self):
        c = self.config
        return lazy_imports.openai().OpenAI(base_url=c.base_url, api_key=c.api_key, timeout=c.timeout, max_retries=0)

    # ---- time budget -------------------------------------------------------------------
    @contextmanager
    def within(self, deadline: float | None):
        """Calls on this thread inside the block end by ``deadline`` (a ``time.time()`` instant; None: no budget)."""
        before = getattr(self._local, "deadline", None)
        self._local.deadline = deadline if before is None or deadline is None else min(before, deadline)
        try:
            yield self
        finally:
            self._local.deadline = before

    def remaining(self) -> float | None:
        """Seconds left of this thread's budget (None: no budget set)."""
        deadline = getattr(self._local, "deadline", None)
        return None if deadline is None else deadline - time.time()

    def _call_with_deadline(self, fn, seconds: float):
        """Run one HTTP exchange on a helper thread and wait at most ``seconds`` for all of it: a
        server that trickles its body a byte at a time cannot hold the caller past the deadline.
        On time-out the transport is closed (ending the exchange) and replaced for the next call."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                box["value"] = fn(self._openai)
            except BaseException as e:  # handed to the caller's thread
                box["error"] = e
            finally:
                done.set()

        threading.Thread(target=run, daemon=True, name="llm-request").start()
        if not done.wait(max(0.0, seconds)):
            old, self._openai = self._openai, self._new_transport()
            try:
                old.close()
            except Exception:
                pass
            raise _Transient(f"Timeout: no complete answer within {seconds:.1f} s")
        if "error" in box:
            raise box["error"]
        return box["value"]

    def serves(self, agent: str) -> bool:
        """Does this agent use the model (``CIRCUITSMITH_LLM_AGENTS``), or run on its rules?"""
        return self.config.serves(agent)

    @property
    def label(self) -> str:
        return f"llm:{self.config.model}"

    # ---- public API --------------------------------------------------------------------
    def structured(self, agent: str, messages: list[dict], schema: type[T]) -> T:
        """Ask for an answer matching ``schema``; returns a validated instance or raises LLMError."""
        stats = self.usage.agent(agent)
        json_schema = _schema_of(schema)
        model = self.config.model_for(agent)
        msgs = [dict(m) for m in messages]
        cache_key = ResponseCache.key(model, msgs, json_schema) if self.cache else None
        if cache_key:
            hit = self.cache.get(cache_key)
            if hit is not None:
                try:
                    obj = schema.model_validate(_extract_json(hit))
                    stats.cache_hits += 1
                    stats.schema_valid += 1
                    return obj
                except (ValueError, ValidationError):
                    pass
        last_error = ""
        for attempt in range(2):  # the answer, then one repair
            content = self._complete(agent, model, msgs, json_schema, schema.__name__)
            try:
                obj = schema.model_validate(_expected_shape(_extract_json(content), json_schema))
            except (ValueError, ValidationError) as e:
                last_error = _short_validation_error(e)
                stats.events.append(f"invalid answer: {last_error}")
                if attempt == 0:
                    stats.repairs += 1
                    msgs = msgs + [
                        {"role": "assistant", "content": content[:4000]},
                        {
                            "role": "user",
                            "content": "Your answer did not match the required JSON schema: "
                            f"{last_error}. Reply again with only a JSON object that matches the schema.",
                        },
                    ]
                    continue
                stats.failures += 1
                raise LLMError(f"{agent}: the model's answer did not match the schema after a repair ({last_error})")
            stats.schema_valid += 1
            if cache_key:
                self.cache.put(cache_key, content)
            return obj
        raise LLMError(f"{agent}: no valid answer ({last_error})")  # pragma: no cover

    def text(self, agent: str, messages: list[dict]) -> str:
        """A free-text answer (used for explanations)."""
        return self._complete(agent, self.config.model_for(agent), messages, None, None)

    # ---- transport ---------------------------------------------------------------------
    def _complete(self, agent: str, model: str, messages: list[dict], json_schema: dict | None, name: str | None) -> str:
        stats = self.usage.agent(agent)
        if not self.breaker.allow():
            stats.failures += 1
            stats.events.append("circuit breaker open: skipped")
            raise LLMError(f"{agent}: the LLM server is failing (circuit breaker open); using rules")
        attempt = 0
        while True:
            left = self.remaining()
            if left is not None and left <= 0:
                stats.failures += 1
                stats.events.append("LLM time budget spent: skipped")
                raise LLMBudgetSpent(f"{agent}: the LLM time budget is spent; using rules")
            seconds = self.config.timeout if left is None else min(self.config.timeout, left)
            t0 = time.perf_counter()
            try:
                content = self._request(stats, model, messages, json_schema, name, seconds)
            except _Transient as e:
                stats.latencies.append(time.perf_counter() - t0)
                attempt += 1
                if not e.rate_limited:  # each failed attempt counts: a dead server opens the breaker within one call
                    self.breaker.failure()
                if attempt > self.config.max_retries or not self.breaker.allow():
                    stats.failures += 1
                    why = "" if self.breaker.allow() else "; circuit breaker open"
                    stats.events.append(f"gave up: {e}{why}")
                    raise LLMError(f"{agent}: LLM server unavailable after {attempt} tries ({e}{why})") from None
                stats.retries += 1
                delay = e.retry_after
                if delay is None:
                    delay = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
                    delay = delay * (0.5 + random.random() / 2)  # jitter
                delay = min(delay, self.config.backoff_cap * 4)
                left = self.remaining()
                if left is not None and delay >= left:  # Retry-After past the budget: do not wait for it
                    stats.failures += 1
                    stats.events.append(f"gave up: {e}; waiting {delay:.0f} s would pass the LLM time budget")
                    raise LLMBudgetSpent(f"{agent}: LLM server unavailable ({e}); waiting {delay:.0f} s more "
                                         f"would pass the LLM time budget ({max(left, 0):.0f} s left)") from None
                stats.events.append(f"retry {attempt} in {delay:.2f}s: {e}")
                self._sleep(delay)
                continue
            stats.latencies.append(time.perf_counter() - t0)
            self.breaker.success()
            return content

    def _request(self, stats: AgentUsage, model: str, messages: list[dict], json_schema: dict | None, name: str | None,
                 seconds: float | None = None) -> str:
        openai = lazy_imports.openai()
        seconds = self.config.timeout if seconds is None else seconds
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
        }
        if json_schema is not None:
            if self.response_mode == "prompt":
                kwargs["messages"] = list(messages) + [{
                    "role": "system",
                    "content": "Answer with one JSON object that matches this JSON schema, and nothing else:\n"
                    + json.dumps(json_schema, separators=(",", ":")),
                }]
            else:
                kwargs["response_format"] = self._response_format(json_schema, name or "answer")
        stats.calls += 1
        try:
            resp = self._call_with_deadline(lambda api: api.chat.completions.create(**kwargs, timeout=seconds), seconds)
        except openai.RateLimitError as e:
            raise _Transient("HTTP 429 rate limited", _retry_after(e), rate_limited=True) from None
        except openai.APIStatusError as e:
            body = str(getattr(e, "body", "") or e.message or "")
            mentions_format = any(w in body.lower() for w in ("response_format", "json_schema", "schema", "grammar"))
            if json_schema is not None and self.response_mode != "prompt" and mentions_format and e.status_code in (
                400, 422, 500, 501
            ):
                # The server does not take this response format (llama.cpp answers 500 to json_schema):
                # step down json_schema -> json_object (schema attached) -> schema in the prompt.
                old_mode = self.response_mode
                self.response_mode = "json_object" if old_mode == "json_schema" else "prompt"
                stats.events.append(f"server refused {old_mode} (HTTP {e.status_code}); using {self.response_mode}")
                return self._request(stats, model, messages, json_schema, name, seconds)
            if e.status_code >= 500 or e.status_code in (408, 409):
                raise _Transient(f"HTTP {e.status_code}", _retry_after(e)) from None
            stats.failures += 1  # not worth retrying (bad key, prompt too long for the context ...): say why
            stats.events.append(f"refused: HTTP {e.status_code} {body[:160]}")
            raise LLMError(f"LLM server refused the request: HTTP {e.status_code} {body[:200]}") from None
        except (openai.APITimeoutError, openai.APIConnectionError) as e:
            raise _Transient(type(e).__name__.replace("API", "").replace("Error", " error").strip()) from None
        except (openai.APIResponseValidationError, ValueError) as e:  # a 200 whose body is not JSON
            raise _Transient(f"malformed response ({type(e).__name__})") from None
        usage = getattr(resp, "usage", None)
        if usage is not None:
            stats.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            stats.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
        try:
            content = resp.choices[0].message.content or ""
        except (AttributeError, IndexError, TypeError):
            raise _Transient("malformed response (no choices)") from None
        return content

    def _response_format(self, json_schema: dict, name: str) -> dict:
        if self.response_mode == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64], "schema": json_schema, "strict": False},
            }
        return {"type": "json_object", "schema": json_schema}


def _retry_after(e: Exception) -> float | None:
    resp = getattr(e, "response", None)
    headers = getattr(resp, "headers", None) or {}
    value = headers.get("retry-after") if hasattr(headers, "get") else None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _short_validation_error(e: Exception) -> str:
    if isinstance(e, _WrongShape):
        return str(e)
    if isinstance(e, ValidationError):
        errs = e.errors()[:4]
        return "; ".join(f"{'.'.join(str(x) for x in err['loc']) or '(root)'}: {err['msg']}" for err in errs)
    return f"not JSON ({str(e)[:120]})"
