"""What a turn cost: its token counts priced by the table in jupyter_config.py.

Prices are configuration, never code (`c.Ptah.prices`), in USD per million
tokens. Cache writes are billed at `cache_write` (the 5-minute rate) unless
the answer says they went to the one-hour cache and the table has
`cache_write_1h`; reads at `cache_read`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ptah_kernel.errors import SettingsError

__all__ = ["Usage", "check_prices", "cost_of", "format_cost"]

RATES = ("input", "output", "cache_write", "cache_read")
PER_TOKEN = 1 / 1_000_000


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens one Claude request was billed for."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_1h_tokens: int = 0

    @classmethod
    def from_api(cls, usage: Any) -> Usage:
        """Read the SDK's `usage` object; absent fields count as zero."""
        if usage is None:
            return cls()
        creation = getattr(usage, "cache_creation", None)
        one_hour = getattr(creation, "ephemeral_1h_input_tokens", 0) or 0
        return cls(
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cache_write_tokens=usage.cache_creation_input_tokens or 0,
            cache_read_tokens=usage.cache_read_input_tokens or 0,
            cache_write_1h_tokens=one_hour,
        )

    @property
    def prompt_tokens(self) -> int:
        """Every token of the prompt, cached or not."""
        return self.input_tokens + self.cache_write_tokens + self.cache_read_tokens


def cost_of(
    usage: Usage, model: str, prices: Mapping[str, Mapping[str, float]]
) -> float | None:
    """The cost in USD, or None when the table has no price for `model`."""
    rates = prices.get(model)
    if rates is None:
        return None

    one_hour = rates.get("cache_write_1h", rates["cache_write"])
    five_minutes = usage.cache_write_tokens - usage.cache_write_1h_tokens
    total = (
        usage.input_tokens * rates["input"]
        + usage.output_tokens * rates["output"]
        + five_minutes * rates["cache_write"]
        + usage.cache_write_1h_tokens * one_hour
        + usage.cache_read_tokens * rates["cache_read"]
    )
    return total * PER_TOKEN


def check_prices(prices: Mapping[str, Any], model: str) -> None:
    """Raise SettingsError, before anything is asked, if `model`'s rates are wrong."""
    rates = prices.get(model)
    if rates is None:
        return
    if not isinstance(rates, Mapping):
        raise SettingsError(
            f"c.Ptah.prices[{model!r}] is {rates!r}; give a dict of "
            f"{', '.join(RATES)} in USD per million tokens."
        )
    missing = [name for name in RATES if name not in rates]
    if missing:
        raise SettingsError(
            f"c.Ptah.prices[{model!r}] has no {missing[0]!r} rate; give "
            f"{', '.join(RATES)} in USD per million tokens."
        )
    wrong = [k for k, v in rates.items() if not isinstance(v, int | float) or v < 0]
    if wrong:
        raise SettingsError(
            f"c.Ptah.prices[{model!r}][{wrong[0]!r}] is {rates[wrong[0]]!r}; "
            "write a number of USD per million tokens, zero or more."
        )


def format_cost(cost: float | None) -> str:
    """`$0.0421`, or `cost unknown` when no price was set."""
    if cost is None:
        return "cost unknown"
    return f"${cost:,.4f}" if cost < 1 else f"${cost:,.2f}"
