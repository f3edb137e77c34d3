"""Conversations with Claude about a project's documents.

    conv = open_conversation(project)            # the project's main thread
    turn = conv.ask("What is ambiguous in the login requirements?")
    turn.citations[0].label                       # 'themas.pdf, p. 12'

Each question streams its answer into the notebook (or the terminal), is
stored with its tokens and cost, and is reloaded in a new kernel.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ptah_kernel.chat._answer import AnswerCollector, status_of
from ptah_kernel.chat._citations import CitationIndex
from ptah_kernel.chat._display import LiveAnswer
from ptah_kernel.chat._prices import check_prices, cost_of
from ptah_kernel.chat.turns import Totals, Turn
from ptah_kernel.errors import ClaudeUnavailable

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.chat._context import Context
    from ptah_kernel.chat.proposals import Classification, OpenQuestions, WBSProposal
    from ptah_kernel.projects import Document, Project

logger = logging.getLogger(__name__)

__all__ = ["Conversation", "conversations_frame", "open_conversation"]

DEFAULT_TITLE = "main"
ANSWER_MAX_TOKENS = 16_000
HISTORY_TURNS = 20
DocumentChoice = Sequence["Document | str | int"] | None


def open_conversation(
    project: Project, title: str | None = None, *, id: int | None = None
) -> Conversation:
    """Open the conversation with this title (or id), creating it if needed.

    Without a title, the project's main conversation, which `%%claude` and
    `ptah ask` use too.
    """
    from sqlalchemy import select

    from ptah_kernel.chat._client import warm_up
    from ptah_kernel.store.models import ConversationRow

    warm_up()
    query = select(ConversationRow).where(ConversationRow.project_id == project.id)
    if id is not None:
        query = query.where(ConversationRow.id == id)
    else:
        query = query.where(ConversationRow.title == (title or DEFAULT_TITLE))
    with project.workspace.session() as session:
        row = session.scalar(query)
    if row is None and id is not None:
        raise _no_conversation(project, id)
    return Conversation(project, row or _create(project, title or DEFAULT_TITLE))


def _create(project: Project, title: str) -> Any:
    from sqlalchemy.exc import IntegrityError

    from ptah_kernel.store.models import ConversationRow

    row = ConversationRow(project_id=project.id, title=title)
    try:
        with project.workspace.session() as session:
            session.add(row)
            row.organization_id, row.created_by = _owner(project)
    except IntegrityError:  # another kernel created it first
        return open_conversation(project, title)._row
    return row


def _owner(project: Project) -> tuple[int, str]:
    owned = project.workspace.owned()
    return owned["organization_id"], owned["created_by"]


def _no_conversation(project: Project, id: int) -> Exception:
    from ptah_kernel.errors import WorkspaceError

    return WorkspaceError(
        f"Project '{project.code}' has no conversation {id}. "
        f"Run `ptah conversations {project.code}` to list them."
    )


def conversations_frame(project: Project) -> pd.DataFrame:
    """One row per conversation: id, title, turns, tokens, cost, last use."""
    import pandas as pd
    from sqlalchemy import select

    from ptah_kernel.store.models import ConversationRow

    query = (
        select(ConversationRow)
        .where(ConversationRow.project_id == project.id)
        .order_by(ConversationRow.id)
    )
    with project.workspace.session() as session:
        rows = list(session.scalars(query))
    records = [_conversation_record(project, row) for row in rows]
    columns = ["id", "title", "turns", "input", "output", "cache_write"]
    columns += ["cache_read", "cost", "updated"]
    return pd.DataFrame(records, columns=columns)


def _conversation_record(project: Project, row: Any) -> dict[str, Any]:
    totals = totals_of(project, conversation_id=row.id)
    return {
        "id": row.id,
        "title": row.title,
        "turns": totals.turns,
        "input": totals.input_tokens,
        "output": totals.output_tokens,
        "cache_write": totals.cache_write_tokens,
        "cache_read": totals.cache_read_tokens,
        "cost": totals.cost_text(),
        "updated": row.updated_at,
    }


def totals_of(project: Project, conversation_id: int | None = None) -> Totals:
    """Tokens and cost over one conversation, or over the whole project."""
    from sqlalchemy import func, select

    from ptah_kernel.store.models import ConversationRow, TurnRow

    query = select(
        func.count(TurnRow.id),
        func.coalesce(func.sum(TurnRow.input_tokens), 0),
        func.coalesce(func.sum(TurnRow.output_tokens), 0),
        func.coalesce(func.sum(TurnRow.cache_write_tokens), 0),
        func.coalesce(func.sum(TurnRow.cache_read_tokens), 0),
        func.coalesce(func.sum(TurnRow.cost), 0.0),
        func.count(TurnRow.id) - func.count(TurnRow.cost),
    ).join(ConversationRow, TurnRow.conversation_id == ConversationRow.id)
    query = query.where(ConversationRow.project_id == project.id)
    if conversation_id is not None:
        query = query.where(ConversationRow.id == conversation_id)
    with project.workspace.session() as session:
        turns, given, taken, written, read, cost, unpriced = session.execute(
            query
        ).one()
    return Totals(
        turns=int(turns),
        input_tokens=int(given),
        output_tokens=int(taken),
        cache_write_tokens=int(written),
        cache_read_tokens=int(read),
        cost=float(cost or 0.0),
        unpriced=int(unpriced),
    )


class Conversation:
    """A thread of questions to Claude about one project, kept in the workspace."""

    def __init__(self, project: Project, row: Any) -> None:
        self.project = project
        self.id = row.id
        self.title = row.title
        self._row = row

    def __repr__(self) -> str:
        return f"<Conversation {self.id} {self.title!r} of {self.project.code!r}>"

    @property
    def model(self) -> str:
        """The model new turns use (`c.Ptah.model`)."""
        return self.project.workspace.settings.model

    @property
    def turns(self) -> list[Turn]:
        """Every stored turn, oldest first."""
        from sqlalchemy import select

        from ptah_kernel.store.models import TurnRow

        query = (
            select(TurnRow)
            .where(TurnRow.conversation_id == self.id)
            .order_by(TurnRow.position)
        )
        with self.project.workspace.session() as session:
            rows = list(session.scalars(query))
        return [Turn.from_row(row) for row in rows]

    def totals(self) -> Totals:
        """Tokens and cost of this conversation so far."""
        return totals_of(self.project, conversation_id=self.id)

    # Asking

    def ask(
        self,
        text: str,
        documents: DocumentChoice = None,
        include: Sequence[str] = ("annotations", "wbs"),
        *,
        model: str | None = None,
        show: bool = True,
    ) -> Turn:
        """Ask Claude about the documents; stream, store and return the answer.

        `documents` are names, ids or Documents (default: every current
        document of the project; `[]` for none). `include` adds the
        project's WBS and annotations. An interrupt keeps the partial answer,
        marked interrupted, then raises as usual.
        """
        from ptah_kernel.chat._client import sync_client

        client = sync_client()
        request = self._request(client, text, documents, include, model)
        collector = AnswerCollector(request.index, LiveAnswer(show))
        failure = _stream(client, request.params, collector)
        return self._conclude(text, "ask", request, collector, failure)

    async def ask_async(
        self,
        text: str,
        documents: DocumentChoice = None,
        include: Sequence[str] = ("annotations", "wbs"),
        *,
        model: str | None = None,
        show: bool = True,
    ) -> Turn:
        """`ask` for `await` in a notebook cell; a cancelled cell keeps the partial."""
        from ptah_kernel.chat._client import async_client, sync_client

        request = self._request(sync_client(), text, documents, include, model)
        collector = AnswerCollector(request.index, LiveAnswer(show))
        failure = await _stream_async(async_client(), request.params, collector)
        return self._conclude(text, "ask", request, collector, failure)

    def _request(
        self,
        client: Any,
        text: str,
        documents: DocumentChoice,
        include: Sequence[str],
        model: str | None,
    ) -> Request:
        from ptah_kernel.chat._context import build_context, rebuild_documents
        from ptah_kernel.chat._fitting import fit_documents

        if not text or not text.strip():
            raise ValueError("Ask a question: the text is empty.")
        model = model or self.model
        check_prices(self.project.workspace.settings.prices, model)
        chosen = self.choose_documents(documents)
        context = build_context(self.project, chosen, include=include, citations=True)
        before = len(context.left_out)
        fit_documents(context, text, client, model, ANSWER_MAX_TOKENS)
        if len(context.left_out) > before:
            rebuild_documents(context, citations=True)
        params = {
            "model": model,
            "max_tokens": ANSWER_MAX_TOKENS,
            "system": context.system,
            "messages": context.messages(self._history(), text),
        }
        return Request(params, context, CitationIndex(context.documents))

    def choose_documents(self, documents: DocumentChoice) -> list[Document]:
        """The project's documents named by `documents` (all when None)."""
        if documents is None:
            return self.project.documents
        from ptah_kernel.projects import Document

        if isinstance(documents, str | int):
            documents = [documents]
        return [
            d if isinstance(d, Document) else self.project.document(d)
            for d in documents
        ]

    def _history(self) -> list[tuple[str, str]]:
        """The last questions and answers (structured turns are left out)."""
        from sqlalchemy import select

        from ptah_kernel.store.models import TurnRow

        query = (
            select(TurnRow.question, TurnRow.answer)
            .where(TurnRow.conversation_id == self.id, TurnRow.kind == "ask")
            .where(TurnRow.answer != "")
            .order_by(TurnRow.position.desc())
            .limit(HISTORY_TURNS)
        )
        with self.project.workspace.session() as session:
            rows = session.execute(query).all()
        return [(question, answer) for question, answer in reversed(rows)]

    def _conclude(
        self,
        question: str,
        kind: str,
        request: Request,
        collector: AnswerCollector,
        failure: BaseException | None,
        result: dict[str, Any] | None = None,
        status: str | None = None,
    ) -> Turn:
        status = status or _status(collector, failure)
        turn = None
        if collector.started:
            turn = self._store(question, kind, request, collector, status, result)
            turn.notes = list(request.context.notes)
            collector.live.finish(turn)
        if failure is not None:
            _raise_for(failure, collector)
        if turn is None:
            raise ClaudeUnavailable(
                "Claude's answer arrived empty (no message at all); ask again."
            )
        return turn

    def _store(
        self,
        question: str,
        kind: str,
        request: Request,
        collector: AnswerCollector,
        status: str,
        result: dict[str, Any] | None,
    ) -> Turn:
        from sqlalchemy import func, select

        from ptah_kernel.store.models import ConversationRow, TurnRow, now

        model = collector.model or request.params["model"]
        usage = collector.usage
        prices = self.project.workspace.settings.prices
        context = request.context
        row = TurnRow(
            conversation_id=self.id,
            kind=kind,
            question=question,
            answer=collector.text,
            status=status,
            stop_reason=collector.stop_reason,
            model=model,
            documents=[sent.describe() for sent in context.documents],
            citations=[c.to_dict() for c in request.index.citations],
            left_out=context.left_out,
            result=result,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_write_tokens=usage.cache_write_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            cost=cost_of(usage, model, prices),
        )
        with self.project.workspace.session() as session:
            last = session.scalar(
                select(func.max(TurnRow.position)).where(
                    TurnRow.conversation_id == self.id
                )
            )
            row.position = (last or 0) + 1
            row.organization_id, row.created_by = _owner(self.project)
            session.add(row)
            session.get_one(ConversationRow, self.id).updated_at = now()
        turn = Turn.from_row(row)
        turn.conversation_totals = self.totals()
        turn.project_totals = totals_of(self.project)
        return turn

    # Structured answers

    def propose_wbs(
        self, documents: DocumentChoice = (), **options: Any
    ) -> WBSProposal:
        """Ask Claude for a WBS; see `ptah_kernel.chat.structured.propose_wbs`."""
        from ptah_kernel.chat.structured import propose_wbs

        return propose_wbs(self, documents, **options)

    def open_questions(
        self, documents: DocumentChoice = (), **options: Any
    ) -> OpenQuestions:
        """Ask Claude what to ask the client; see `structured.open_questions`."""
        from ptah_kernel.chat.structured import open_questions

        return open_questions(self, documents, **options)

    def classify_requirements(self, **options: Any) -> Classification:
        """Ask Claude for each requirement's kind; see `structured`."""
        from ptah_kernel.chat.structured import classify_requirements

        return classify_requirements(self, **options)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{t.position}</td><td>{html.escape(t.question[:120])}</td>"
            f"<td>{t.status}</td><td>{t.usage.prompt_tokens:,}</td></tr>"
            for t in self.turns
        )
        head = (
            f"<p><b>{html.escape(self.title)}</b> · {self.project.code} · "
            f"{self.totals().cost_text()}</p>"
        )
        columns = "<tr><th>#</th><th>question</th><th>status</th><th>prompt</th></tr>"
        return f"{head}<table>{columns}{rows}</table>"


class Request:
    """The parameters of one Messages call and what maps its answer back."""

    def __init__(
        self, params: dict[str, Any], context: Context, index: CitationIndex
    ) -> None:
        self.params = params
        self.context = context
        self.index = index


def _stream(client: Any, params: dict[str, Any], collector: AnswerCollector) -> Any:
    import anthropic

    started, failure = time.monotonic(), None
    try:
        with client.messages.stream(**params) as stream:
            for event in stream:
                collector.feed(event)
    except (KeyboardInterrupt, anthropic.APIError) as exc:
        failure = exc
    _log(params, collector, failure, started)
    return failure


async def _stream_async(
    client: Any, params: dict[str, Any], collector: AnswerCollector
) -> Any:
    import asyncio

    import anthropic

    started, failure = time.monotonic(), None
    try:
        async with client.messages.stream(**params) as stream:
            async for event in stream:
                collector.feed(event)
    except (KeyboardInterrupt, asyncio.CancelledError, anthropic.APIError) as exc:
        failure = exc
    _log(params, collector, failure, started)
    return failure


def _is_interrupt(failure: BaseException | None) -> bool:
    """Kernel > Interrupt: KeyboardInterrupt, or CancelledError under `await`."""
    if isinstance(failure, KeyboardInterrupt):
        return True
    asyncio = sys.modules.get("asyncio")  # no loop ran: no cancellation either
    return asyncio is not None and isinstance(failure, asyncio.CancelledError)


def _status(collector: AnswerCollector, failure: BaseException | None) -> str:
    if _is_interrupt(failure):
        return "interrupted"
    if failure is not None:
        return "failed"
    return status_of(collector.stop_reason)


def _raise_for(failure: BaseException, collector: AnswerCollector) -> None:
    from ptah_kernel.chat._client import explain

    if _is_interrupt(failure):
        raise failure
    raise explain(failure, partial=bool(collector.text)) from failure


def _log(
    params: dict[str, Any],
    collector: AnswerCollector,
    failure: BaseException | None,
    started: float,
) -> None:
    status = getattr(failure, "status_code", None) or (
        type(failure).__name__ if failure else 200
    )
    u = collector.usage
    logger.info(
        "POST /v1/messages %s %s %.2fs in=%d out=%d cache_write=%d cache_read=%d",
        collector.model or params["model"],
        status,
        time.monotonic() - started,
        u.input_tokens,
        u.output_tokens,
        u.cache_write_tokens,
        u.cache_read_tokens,
    )
