"""One Anthropic client per kernel, and Claude's failures as Ptah errors.

The SDK reads its usual environment: `ANTHROPIC_API_KEY` (or
`ANTHROPIC_AUTH_TOKEN`, or a profile) for the credential and
`ANTHROPIC_BASE_URL` for a company gateway. The key stays inside the SDK:
Ptah only fingerprints it to know when to build a new client, and scrubs it
from every message it composes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import weakref
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ptah_kernel.errors import ClaudeError, ClaudeUnavailable, MissingAPIKey

if TYPE_CHECKING:
    import anthropic

logger = logging.getLogger(__name__)

__all__ = ["async_client", "explain", "scrub", "sync_client", "warm_up"]

SECRET_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
_clients: dict[tuple[str, ...], Any] = {}
# A client made on a loop that has ended cannot be reused; one per live loop.
_async_clients: weakref.WeakKeyDictionary[Any, tuple[tuple[str, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def warm_up() -> None:
    """Import the SDK in the background, so the first question does not wait.

    Importing `anthropic` takes one to several seconds; a conversation
    opened (or `%ptah use`) is a sign a question will follow.
    """
    import sys
    import threading

    if "anthropic" in sys.modules:
        return
    threading.Thread(
        target=_import_sdk, name="ptah-import-anthropic", daemon=True
    ).start()


def _import_sdk() -> None:
    import importlib

    importlib.import_module("anthropic")


def sync_client() -> anthropic.Anthropic:
    """The kernel's client for the current key and base URL."""
    import anthropic

    key = ("sync", *_environment())
    if key not in _clients:
        for stale in [k for k in _clients if k[0] == "sync"]:
            _clients.pop(stale).close()  # the key or gateway changed
        _clients[key] = _checked(anthropic.Anthropic)
    client: anthropic.Anthropic = _clients[key]
    return client


def async_client() -> anthropic.AsyncAnthropic:
    """An async client for the running event loop (a client is bound to one)."""
    import asyncio

    import anthropic

    loop = asyncio.get_running_loop()
    environment = _environment()
    kept = _async_clients.get(loop)
    if kept is None or kept[0] != environment:
        kept = (environment, _checked(anthropic.AsyncAnthropic))
        _async_clients[loop] = kept
    client: anthropic.AsyncAnthropic = kept[1]
    return client


def _environment() -> tuple[str, ...]:
    secrets = "".join(os.environ.get(name, "") for name in SECRET_VARIABLES)
    fingerprint = hashlib.sha256(secrets.encode()).hexdigest()
    return fingerprint, os.environ.get("ANTHROPIC_BASE_URL", "")


def _checked(make: Any) -> Any:
    import anthropic

    try:
        client = make()
    except anthropic.CredentialsError as exc:  # a broken profile, no key
        raise MissingAPIKey() from exc
    credentials = (client.api_key, client.auth_token, client.credentials)
    if all(value is None for value in credentials):
        raise MissingAPIKey()
    return client


def scrub(text: str) -> str:
    """`text` with any credential of the environment replaced by `***`."""
    for name in SECRET_VARIABLES:
        secret = os.environ.get(name)
        if secret:
            text = text.replace(secret, "***")
    return text


def explain(exc: BaseException, *, partial: bool = False) -> ClaudeError:
    """A Ptah error with one sentence for an SDK exception.

    `partial` says the answer had begun, so the message can say it was kept.
    """
    import anthropic

    kept = " The partial answer is kept." if partial else ""
    if isinstance(exc, anthropic.APIStatusError):
        message = _status_sentence(exc) + kept
        return ClaudeUnavailable(scrub(message), status=exc.status_code)
    if isinstance(exc, anthropic.APITimeoutError):
        message = "Claude did not answer in time; ask again, or ask a shorter question."
        return ClaudeUnavailable(message + kept)
    if isinstance(exc, anthropic.APIConnectionError):
        message = (
            f"Cannot reach Claude at {_host()}; check the network, a proxy "
            "(HTTPS_PROXY, NO_PROXY) or ANTHROPIC_BASE_URL, then ask again."
        )
        return ClaudeUnavailable(scrub(message + kept))
    return ClaudeUnavailable(scrub(f"Claude's answer failed: {type(exc).__name__}."))


def _status_sentence(exc: Any) -> str:
    status, kind = exc.status_code, getattr(exc, "type", None) or "error"
    if status == 401:
        return (
            "Claude refused the API key (401); set a valid key in "
            "ANTHROPIC_API_KEY and ask again."
        )
    if status == 429:
        return (
            "Claude is rate limiting this key (429) even after the SDK's retries; "
            "wait a minute and ask again."
        )
    if status == 200 or status >= 500:
        when = "in the middle of the answer" if status == 200 else "after retries"
        return f"Claude was unavailable {when} ({kind}); ask again in a minute."
    detail = getattr(exc, "api_message", None) or kind
    return (
        f"Claude rejected the request ({status} {kind}: {detail}); check "
        "c.Ptah.model and the documents chosen, then ask again."
    )


def _host() -> str:
    url = os.environ.get("ANTHROPIC_BASE_URL") or "https://api.anthropic.com"
    parts = urlsplit(url)
    return parts.hostname or "the configured address"
