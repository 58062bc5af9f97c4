r"""Status events as the ledger writes them: the text a recording appends.

    2026-07-01 custom "ar-dispute" "INV-1" "Hours \"disputed\""
    2026-07-01 custom "ar-dunning" "INV-1" 2
    2026-07-01 custom "ar-promise" "INV-1" 2026-07-15

`event_text(date, kind, invoice, detail)` makes one such line. What a command
or a Fava form records is made here and read back by Beancount's own parser
before anything is written (`parse_problems`), so what is appended always
parses as the entry that was meant.
"""

from __future__ import annotations

import datetime

from beancount.parser import parser

from beancount_ar.core.events import EVENT_KINDS


def quoted(text: str) -> str:
    r"""`text` as a Beancount string: in double quotes, `"` and `\` escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def event_text(
    date: datetime.date, kind: str, invoice: str, detail: str | int | datetime.date | None = None,
) -> str:
    """One status event directive (`ar-dispute`, `ar-dunning`, ...), ending in a newline.

    `detail` is the event's second value: a dispute's reason or an escalation's
    kind (text), a letter's level (a whole number), a promise's day (a date).
    """
    if kind not in EVENT_KINDS:
        message = f"{kind!r} is no status event"
        raise ValueError(message)
    words = [date.isoformat(), "custom", quoted(kind), quoted(invoice)]
    if isinstance(detail, str):
        words.append(quoted(detail))
    elif isinstance(detail, (int, datetime.date)):
        words.append(str(detail.isoformat() if isinstance(detail, datetime.date) else detail))
    return " ".join(words) + "\n"


def parse_problems(text: str) -> list[str]:
    """What Beancount's parser finds wrong with `text` on its own; empty when it parses."""
    _, errors, _ = parser.parse_string(text)
    return [str(error.message) for error in errors]
