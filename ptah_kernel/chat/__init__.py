"""Conversations with Claude about a project's documents.

    from ptah_kernel.chat import open_conversation
    conv = open_conversation(project)
    conv.ask("What does the client mean by 'real time'?")
    proposal = conv.propose_wbs()     # a diff to review
    proposal.apply()

Nothing heavy loads on import: `anthropic` loads on the first question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Conversation",
    "Totals",
    "Turn",
    "conversations_frame",
    "open_conversation",
    "totals_of",
]

if TYPE_CHECKING:
    from ptah_kernel.chat.conversation import (
        Conversation,
        conversations_frame,
        open_conversation,
        totals_of,
    )
    from ptah_kernel.chat.turns import Totals, Turn

_LAZY = {
    "Conversation": "ptah_kernel.chat.conversation",
    "conversations_frame": "ptah_kernel.chat.conversation",
    "open_conversation": "ptah_kernel.chat.conversation",
    "totals_of": "ptah_kernel.chat.conversation",
    "Totals": "ptah_kernel.chat.turns",
    "Turn": "ptah_kernel.chat.turns",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ptah_kernel.chat' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
