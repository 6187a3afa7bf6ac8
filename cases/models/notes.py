from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case


class CoordinationNote(models.Model):
    """A short, non-clinical note any team member of the case may write."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="coordination_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coordination note")
        verbose_name_plural = _("coordination notes")

    def __str__(self) -> str:
        return self.text[:50]
