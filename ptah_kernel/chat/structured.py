"""Structured answers: a proposed WBS, open questions, requirement kinds.

Each is asked through structured output (a JSON schema in
`output_config.format`). The API refuses citations and structured output in
one request, so documents go without citations and every item is tied to
requirement ids (and anchors) from the requirement list Ptah sends. An
answer is used only when Claude finished it (`end_turn`): one cut off at
`max_tokens` or refused is stored with its cost, reported, and never
applied, not even in part.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from ptah_kernel.chat._answer import AnswerCollector
from ptah_kernel.chat._display import LiveAnswer
from ptah_kernel.chat.conversation import Request, _status, _stream
from ptah_kernel.errors import StructuredAnswerError
from ptah_kernel.requirements import KINDS

if TYPE_CHECKING:
    from ptah_kernel.chat.conversation import Conversation, DocumentChoice
    from ptah_kernel.chat.proposals import Classification, OpenQuestions, WBSProposal

__all__ = ["classify_requirements", "open_questions", "propose_wbs"]

STRUCTURED_MAX_TOKENS = 32_000
# Claude answers in the offline guess's categories, so the two compare.
REQUIREMENT_KINDS = KINDS
_STRING = {"type": "string"}
_IDS = {"type": "array", "items": _STRING}
STOPPED = {
    "truncated": "was cut off at the answer length limit",
    "refused": "was refused",
    "incomplete": "stopped before it was finished",
}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _list_of(name: str, item: dict[str, Any]) -> dict[str, Any]:
    return _object({name: {"type": "array", "items": _object(item)}})


WBS_SCHEMA = _list_of(
    "items",
    {
        "code": {**_STRING, "description": "outline number: 1, 1.2, 1.2.3"},
        "name": _STRING,
        "kind": {"type": "string", "enum": ["phase", "deliverable", "work package"]},
        "requirements": {**_IDS, "description": "requirement ids it covers"},
        "description": _STRING,
        "role": {**_STRING, "description": "who does it, or empty"},
    },
)
QUESTIONS_SCHEMA = _list_of(
    "questions",
    {
        "question": _STRING,
        "why": _STRING,
        "requirements": {**_IDS, "description": "requirement ids it is about"},
        "document": {**_STRING, "description": "file name of the passage"},
        "anchor": {**_STRING, "description": "anchor of the passage, as listed"},
        "quote": {**_STRING, "description": "a few exact words of the passage"},
    },
)
KINDS_SCHEMA = _list_of(
    "requirements",
    {
        "id": _STRING,
        "kind": {"type": "string", "enum": list(REQUIREMENT_KINDS)},
        "reason": _STRING,
    },
)

WBS_TASK = """\
Propose a work breakdown structure for the whole project as JSON. Use \
phases, deliverables and work packages with outline codes (1, 1.1, 1.1.1); \
every parent code must exist. Tie each work package to the ids of the \
requirements it covers, from the requirement list, so that every \
requirement is covered. Do not estimate hours: the analyst does that."""
QUESTIONS_TASK = """\
List the questions the team should ask the client before estimating: what \
is missing, ambiguous or contradictory. Tie each question to the ids of the \
requirements it is about and to the document and anchor of the passage, \
exactly as the requirement list writes them, with a few exact words of it."""
KINDS_TASK = """\
Classify every requirement of the list as functional or as one \
non-functional category, with a short reason. Use each requirement's id \
exactly as listed and classify each one once."""


def propose_wbs(
    conv: Conversation, documents: DocumentChoice = (), **options: Any
) -> WBSProposal:
    """Ask for a WBS; validate it; return a proposal to review and `apply()`."""
    from ptah_kernel.chat.proposals import make_wbs_proposal

    version = conv.project.wbs.version
    proposal = _ask_structured(
        conv,
        "Propose a WBS",
        WBS_TASK,
        WBS_SCHEMA,
        documents,
        lambda data: make_wbs_proposal(conv.project, data, version),
        **options,
    )
    return cast("WBSProposal", proposal)


def open_questions(
    conv: Conversation, documents: DocumentChoice = (), **options: Any
) -> OpenQuestions:
    """Ask for questions to put to the client, each tied to an anchor."""
    from ptah_kernel.chat.proposals import make_open_questions

    questions = _ask_structured(
        conv,
        "Open questions for the client",
        QUESTIONS_TASK,
        QUESTIONS_SCHEMA,
        documents,
        lambda data: make_open_questions(conv.project, data),
        **options,
    )
    return cast("OpenQuestions", questions)


def classify_requirements(conv: Conversation, **options: Any) -> Classification:
    """Ask for each requirement's kind, compared with the offline guess."""
    from ptah_kernel.chat.proposals import make_classification

    kinds = _ask_structured(
        conv,
        "Classify the requirements",
        KINDS_TASK,
        KINDS_SCHEMA,
        (),
        lambda data: make_classification(conv.project, data),
        **options,
    )
    return cast("Classification", kinds)


def _ask_structured(
    conv: Conversation,
    label: str,
    task: str,
    schema: dict[str, Any],
    documents: DocumentChoice,
    build: Callable[[dict[str, Any]], Any],
    *,
    model: str | None = None,
    max_tokens: int = STRUCTURED_MAX_TOKENS,
) -> Any:
    from ptah_kernel.chat._client import sync_client

    client = sync_client()
    request = _structured_request(conv, task, schema, documents, model, max_tokens)
    collector = AnswerCollector(None, LiveAnswer(show=False))
    failure = _stream(client, request.params, collector)
    status = _status(collector, failure)

    built, problem, stored = None, None, None
    if failure is None and status == "complete":
        built, problem = _build(collector.text, build)
        stored = json.loads(collector.text) if built is not None else None
    elif failure is None:
        problem = f"Claude's answer to {label.lower()!r} {STOPPED[status]}"
    turn = conv._conclude(
        label,
        "structured",
        request,
        collector,
        failure,
        result=stored,
        status=("invalid" if problem and status == "complete" else None),
    )
    if problem or built is None:
        raise StructuredAnswerError(
            f"{problem}; nothing was applied. Ask again, or with fewer documents "
            "or requirements."
        )
    built.turn = turn
    return built


def _build(text: str, build: Callable[[dict[str, Any]], Any]) -> tuple[Any, str | None]:
    from ptah_kernel.errors import PtahError

    try:
        data = json.loads(text)
    except ValueError:
        return None, "Claude's structured answer is not valid JSON"
    if not isinstance(data, dict):
        return None, "Claude's structured answer is not a JSON object"
    try:
        return build(data), None
    except (PtahError, KeyError, TypeError, ValueError) as exc:
        return None, f"Claude's structured answer does not fit: {exc}".rstrip(".")


def _structured_request(
    conv: Conversation,
    task: str,
    schema: dict[str, Any],
    documents: DocumentChoice,
    model: str | None,
    max_tokens: int,
) -> Request:
    from ptah_kernel.chat._citations import CitationIndex
    from ptah_kernel.chat._context import build_context
    from ptah_kernel.chat._prices import check_prices

    model = model or conv.model
    check_prices(conv.project.workspace.settings.prices, model)
    chosen = conv.choose_documents(documents)
    context = build_context(conv.project, chosen, include=("wbs",), citations=False)
    context.project_text = (
        requirements_text(conv.project) + "\n\n" + context.project_text
    )
    params = {
        "model": model,
        "max_tokens": max_tokens,
        "system": context.system,
        "messages": context.messages([], task),
        "output_config": {"format": {"type": "json_schema", "schema": schema}},
    }
    return Request(params, context, CitationIndex(context.documents))


def requirements_text(project: Any) -> str:
    """The requirement list Claude ties structured items to."""
    frame = project.requirements
    if frame.empty:
        return "The project has no requirements found yet."
    lines = [
        f"{r.id} | {r.kind} | {r.document} {r.anchor} | {' '.join(str(r.text).split())}"
        for r in frame.itertuples()
    ]
    return "Requirements (id | kind | document anchor | text):\n" + "\n".join(lines)
