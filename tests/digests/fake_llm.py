"""A fake OpenAI-compatible chat server on 127.0.0.1, scriptable per test.

It is a real HTTP server (so the official `openai` client, its timeouts and its
error handling are exercised for real), bound to the loopback interface on an
ephemeral port. A test queues the answers it wants, in order, then asserts on the
requests the server recorded:

    with FakeLLMServer() as server:
        server.push_json({"tldr": ...})
        server.push_rate_limit(retry_after=1)
        summarizer = LLMSummarizer(base_url=server.base_url, model="fake-model")
        ...
        assert server.requests[0].response_format["type"] == "json_schema"

Rules (callables tried before the queue) script answers that depend on the
request, such as "reject every json_schema response_format". When neither a rule
nor the queue answers, the server replies with `default` (a 500 unless changed),
so a test that under-scripts fails loudly instead of hanging.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHAT_PATH = "/v1/chat/completions"


@dataclass(slots=True)
class RecordedRequest:
    """One request the server received, decoded."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    received_at: float

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    @property
    def response_format(self) -> dict[str, Any] | None:
        return self.body.get("response_format")

    @property
    def response_format_type(self) -> str | None:
        fmt = self.response_format
        return fmt.get("type") if isinstance(fmt, dict) else None

    def message_text(self, role: str) -> str:
        """All the text of the messages with this role, joined."""
        return "\n".join(str(m.get("content") or "") for m in self.messages if m["role"] == role)

    @property
    def system(self) -> str:
        return self.message_text("system")

    @property
    def user(self) -> str:
        return self.message_text("user")


@dataclass(slots=True)
class FakeResponse:
    """What the server answers to one request."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (to provoke client timeouts)

    @classmethod
    def completion(
        cls,
        content: str | None,
        *,
        prompt_tokens: int = 100,
        completion_tokens: int = 50,
        finish_reason: str = "stop",
        model: str = "fake-model",
        usage: bool = True,
        delay: float = 0.0,
    ) -> FakeResponse:
        payload: dict[str, Any] = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                }
            ],
        }
        if usage:
            payload["usage"] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            }
        return cls.raw_json(payload, delay=delay)

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "error",
        *,
        type_: str = "server_error",
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> FakeResponse:
        payload = {"error": {"message": message, "type": type_, "code": code, "param": param}}
        response = cls.raw_json(payload, status=status)
        response.headers.update(headers or {})
        return response

    @classmethod
    def raw_json(cls, payload: Any, *, status: int = 200, delay: float = 0.0) -> FakeResponse:
        return cls(
            status=status,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            delay=delay,
        )


Rule = Callable[[RecordedRequest], FakeResponse | None]


def response_format_rejection(kind: str) -> FakeResponse:
    """The 400 a server without the `kind` response_format mode answers.

    The message mimics what real servers say, so the client's fallback is tested
    against a realistic error rather than a magic string.
    """
    return FakeResponse.error(
        400,
        f"Invalid parameter: 'response_format' of type '{kind}' is not supported with this model.",
        type_="invalid_request_error",
        param="response_format",
    )


def reject_response_format(*types: str) -> Rule:
    """A rule answering 400 to any request whose response_format type is one of `types`."""

    def rule(request: RecordedRequest) -> FakeResponse | None:
        kind = request.response_format_type
        return response_format_rejection(kind) if kind in types else None

    return rule


class FakeLLMServer:
    """A threaded HTTP server speaking just enough of the OpenAI chat API."""

    def __init__(self, *, model: str = "fake-model") -> None:
        self.model = model
        self.requests: list[RecordedRequest] = []
        self.rules: list[Rule] = []
        self.default: FakeResponse = FakeResponse.error(
            500, "fake LLM server: no scripted response left"
        )
        self._queue: deque[FakeResponse] = deque()
        self._lock = threading.Lock()
        # Set on stop, so that a handler sleeping to provoke a timeout wakes at once.
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle --------------------------------------------------------
    def start(self) -> FakeLLMServer:
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- scripting --------------------------------------------------------
    def push(self, *responses: FakeResponse) -> FakeLLMServer:
        with self._lock:
            self._queue.extend(responses)
        return self

    def push_content(self, content: str | None, **kwargs: Any) -> FakeLLMServer:
        """A 200 answer whose message content is exactly `content` (valid JSON or not)."""
        return self.push(FakeResponse.completion(content, model=self.model, **kwargs))

    def push_json(self, obj: Any, **kwargs: Any) -> FakeLLMServer:
        """A 200 answer whose message content is `obj` serialised as JSON."""
        return self.push_content(json.dumps(obj, ensure_ascii=False), **kwargs)

    def push_rate_limit(self, retry_after: float | str | None = 1) -> FakeLLMServer:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        return self.push(
            FakeResponse.error(429, "Rate limit reached", type_="rate_limit_error", headers=headers)
        )

    def push_server_error(self, status: int = 500) -> FakeLLMServer:
        return self.push(FakeResponse.error(status, f"upstream failure ({status})"))

    def push_slow(self, delay: float, content: str = "{}") -> FakeLLMServer:
        """An answer that arrives only after `delay` seconds (or never, if the test ends)."""
        return self.push(FakeResponse.completion(content, model=self.model, delay=delay))

    def push_reject_response_format(self, kind: str = "json_schema") -> FakeLLMServer:
        """One 400 that rejects a response_format, as servers without that mode do."""
        return self.push(response_format_rejection(kind))

    def add_rule(self, rule: Rule) -> FakeLLMServer:
        self.rules.append(rule)
        return self

    @property
    def pending(self) -> int:
        """How many queued answers were not used."""
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == CHAT_PATH]

    # --- serving ----------------------------------------------------------
    def _answer(self, request: RecordedRequest) -> FakeResponse:
        with self._lock:
            self.requests.append(request)
            for rule in self.rules:
                scripted = rule(request)
                if scripted is not None:
                    return scripted
            if self._queue:
                return self._queue.popleft()
            return self.default


def _make_handler(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so nothing lingers after stop().
        protocol_version = "HTTP/1.0"

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_unparsed": raw.decode("utf-8", "replace")}
            request = RecordedRequest(
                method="POST",
                path=self.path.split("?", 1)[0],
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body if isinstance(body, dict) else {"_body": body},
                received_at=time.monotonic(),
            )
            if request.path != CHAT_PATH:
                server.requests.append(request)
                self._send(FakeResponse.error(404, f"no route {request.path}", type_="not_found"))
                return
            self._send(server._answer(request))

        def do_GET(self) -> None:  # noqa: N802
            self._send(FakeResponse.error(404, "only POST /v1/chat/completions is faked"))

        def _send(self, response: FakeResponse) -> None:
            if response.delay and server._stopping.wait(response.delay):
                return  # the test is over: drop the connection without answering
            try:
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing to answer to

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output quiet

    return Handler
