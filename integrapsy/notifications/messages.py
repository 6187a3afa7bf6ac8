"""What a message says, by template key: the apps register their messages at start-up.

Subject and body are lazy translations rendered with ``%`` on the stored context, in the
recipient's language, when the message is delivered. ``prepare(context)`` may turn stored
values (a status code, an ISO date) into their text in that language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    label: Promise | str  # what the message is about, shown in the list of undelivered messages
    subject: Promise | str
    body: Promise | str
    prepare: Callable[[dict], dict] | None = None

    def render(self, context: dict) -> tuple[str, str]:
        """Subject and body in the active language."""
        values = dict(context)
        if self.prepare is not None:
            values = self.prepare(values)
        return str(self.subject) % values, str(self.body) % values


MESSAGE_TEMPLATES: dict[str, MessageTemplate] = {}


def register_message_templates(*templates: MessageTemplate) -> None:
    for template in templates:
        MESSAGE_TEMPLATES.setdefault(template.key, template)


def message_template(key: str) -> MessageTemplate:
    try:
        return MESSAGE_TEMPLATES[key]
    except KeyError:
        raise LookupError(f"no message template {key!r}") from None
