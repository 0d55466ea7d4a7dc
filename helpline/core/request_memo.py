"""Rows read at most once per request: configuration that one request may need many times (the active
webhooks, once for each thread entry it writes).

``RequestMemoMiddleware`` scopes the memo to one request: nothing is carried over to the next, so a change
shows on the next request of every server process. Outside a request (tasks, commands) every call reads
afresh, as a long-running worker must."""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

_memo: ContextVar[dict[str, Any] | None] = ContextVar("request_memo", default=None)


def once_per_request[T](key: str, load: Callable[[], T]) -> T:
    """``load()``, or what it returned earlier in this request under ``key``. Keep what it returns
    unchanged: the callers of the rest of the request share it."""
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def forget(key: str) -> None:
    """After a change of what ``key`` holds: the rest of this request reads it again."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    """A fresh memo for each request (each server thread has its own context), dropped at its end."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
