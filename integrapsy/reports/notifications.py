"""The message a user gets when a file prepared in the background is ready."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from integrapsy.notifications.messages import MessageTemplate, register_message_templates


def _prepare(context: dict) -> dict:
    from integrapsy.reports.exports import EXPORTS
    from integrapsy.reports.models import ReportJob

    spec = EXPORTS.get(context.get("what") or "")
    if context.get("kind") == ReportJob.Kind.INDICATORS or spec is None:
        context["what"] = str(_("Funder indicators"))
    else:
        context["what"] = str(spec.title)
    until = timezone.localtime(datetime.fromisoformat(context["until"]))
    context["until"] = date_format(until, "SHORT_DATETIME_FORMAT")
    context["url"] = context.get("url") or ""
    return context


register_message_templates(
    MessageTemplate(
        "report.ready",
        _("File ready to download"),
        _("IntegraPsy: your file is ready (%(what)s)"),
        _("The file you asked for (%(what)s) is ready. Sign in to IntegraPsy to download it until %(until)s:\n%(url)s"),
        prepare=_prepare,
    ),
)
