"""The fake Messages API itself, checked with the SDK's strict validation."""

from __future__ import annotations

import anthropic
import pytest

from tests.fake_claude import API_KEY, Answer, Cite, FakeClaude, Json

TEXT = "Intro. The system shall export reports as PDF. " * 120
DOCUMENT = {
    "type": "document",
    "source": {"type": "text", "media_type": "text/plain", "data": TEXT},
    "title": "spec.txt",
    "citations": {"enabled": True},
    "cache_control": {"type": "ephemeral"},
}


@pytest.fixture
def fake():
    with FakeClaude() as server:
        yield server


@pytest.fixture
def client(fake):
    with anthropic.Anthropic(
        api_key=API_KEY,
        base_url=fake.url,
        max_retries=0,
        _strict_response_validation=True,
    ) as sdk:
        yield sdk


def ask(question):
    return [{"role": "user", "content": [DOCUMENT, {"type": "text", "text": question}]}]


def test_fake_stream_validates_with_citations(fake, client):
    fake.script(Answer("It ", Cite("exports PDF", quote="The system shall export")))

    with client.messages.stream(model="m", max_tokens=50, messages=ask("Q?")) as s:
        message = s.get_final_message()

    assert message.content[1].citations[0].start_char_index == TEXT.index("The")
    assert message.stop_reason == "end_turn"


def test_fake_cache_writes_then_reads_the_same_prefix(client):
    first = client.messages.create(model="m", max_tokens=50, messages=ask("Q1?"))
    second = client.messages.create(model="m", max_tokens=50, messages=ask("Q2?"))

    assert first.usage.cache_creation_input_tokens > 0
    assert second.usage.cache_read_input_tokens == (
        first.usage.cache_creation_input_tokens
    )


def test_fake_refuses_citations_with_structured_output(fake, client):
    fake.script(Json({"a": 1}))
    schema = {"type": "json_schema", "schema": {"type": "object"}}

    with pytest.raises(anthropic.BadRequestError, match="Citations"):
        client.messages.create(
            model="m",
            max_tokens=50,
            messages=ask("Q?"),
            output_config={"format": schema},
        )


def test_fake_refuses_a_request_without_a_key(fake):
    import httpx

    response = httpx.post(f"{fake.url}/v1/messages", json={"model": "m"})

    assert response.status_code == 401
    assert response.json()["error"]["type"] == "authentication_error"
