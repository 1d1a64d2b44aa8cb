from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from education.rendering import render_markdown

# Slugs that would clash with the guide's own URLs under /learn/.
RESERVED_SLUGS = {"search"}


@cache
def _section_prefix():
    """/learn/, reversed once: section links are on every guide page."""
    return reverse("education:guide")


class SectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Section(models.Model):
    """One section of the patient guide, written in Markdown by staff in admin."""

    title = models.CharField(max_length=200, help_text="The heading patients see, in plain words.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The section's address: /learn/<slug>/. Changing it breaks links to the old address.",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences shown in the guide's contents."
    )
    body = models.TextField(
        help_text="The section's text in Markdown: blank line between paragraphs, '## ' for a "
        "sub-heading, '- ' for a list item. HTML such as scripts is removed."
    )
    body_html = models.TextField(editable=False, default="")
    order = models.PositiveIntegerField(default=0, help_text="Sections are shown from the lowest number up.")
    is_published = models.BooleanField(
        "published", default=False, help_text="Unpublished sections are visible to staff only, as a preview."
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When a clinician last checked this section was right."
    )
    reviewed_by = models.CharField(
        max_length=200, blank=True, help_text="Who checked it, for example 'Dr A. Khan, consultant neurologist'."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html", "updated_at"])

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The HTML is derived from the Markdown on every save (restoring a version included),
        # so what is stored is always what was sanitized.
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return _section_prefix() + self.slug + "/"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": ValidationError("This address is used by the guide itself.", code="reserved")}
            )
