"""The progress page's figures come ready to print (diary.presentation): the same strings the
templates' filters gave, and SVG coordinates that no locale changes."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, translation

from clinic.models import Share
from diary import presentation, progress_cache
from diary.progress_views import progress_context
from tests.diary.conftest import NOW
from tests.diary.factories import attack, headache_free, session
from tests.diary.test_progress_views import make_diary

# Halves (rounded up, as floatformat's Decimal does, where f"{x:.1f}" would round 0.25 down), zeros, and
# values like the chart's: sevenths, and y of each whole number of days.
COORDINATES = [0, 0.0, -0.0, -0.04, -0.05, 0.05, 0.25, 0.35, 2.45, 16, 16.04999, 16.05, 117.45, 235.95, 1234.56]
COORDINATES += [i / 7 for i in range(-3, 300)] + [236 - 220 * i / 28 for i in range(29)]


def test_svg_number_is_floatformat_1_without_localizing():
    with translation.override("en-gb"):
        for value in COORDINATES:
            assert presentation.svg_number(value) == floatformat(value, "1u") == floatformat(value, 1), value


def test_svg_number_is_not_localized():
    with translation.override("de"):
        assert floatformat(2.5, 1) == "2,5"  # the filter would write a decimal comma
        assert presentation.svg_number(2.5) == "2.5"


@pytest.mark.parametrize("language", ["en-gb", "de", "fr"])
def test_long_date_is_the_date_filter_s_j_F_Y(language):
    days = [dt.date(2026, month, day) for month in range(1, 13) for day in (1, 9, 28)] + [dt.date(987, 3, 4)]
    with translation.override(language):
        for day in days:
            assert presentation.long_date(day) == dateformat.format(day, "j F Y")
        assert presentation.date_range(dt.date(2026, 6, 17), dt.date(2026, 9, 8)) == (
            f"{dateformat.format(dt.date(2026, 6, 17), 'j F')} – {dateformat.format(dt.date(2026, 9, 8), 'j F Y')}"
        )


def _week(week, headache_days, days_recorded, days):
    return {"week": week, "headache_days": headache_days, "days_recorded": days_recorded, "days": days}


def test_week_rows_are_the_table_s_texts():
    period = SimpleNamespace(
        number=3, weeks=[_week(1, 2, 7, 7), _week(2, 1, 3, 7), _week(3, 0, 0, 1), _week(4, 0, 0, 0)]
    )
    (row,) = presentation.week_rows([period])
    assert row["number"] == "3"
    assert row["cells"] == [
        {"css": "week-cell week-2", "text": "2", "recorded": ""},
        {
            "css": "week-cell week-1 partial",
            "title": "Week 2: 1 headache day, 3 of 7 days recorded",
            "text": "1",
            "recorded": "3 of 7 days recorded",
        },
        {
            "css": "week-cell week-0 partial",
            "title": "Week 3: 0 headache days, 0 of 1 day recorded",
            "text": "0",
            "recorded": "0 of 1 day recorded",
        },
        {"css": "text-body-secondary", "text": "·", "recorded": ""},
    ]


def test_the_week_table_draws_each_kind_of_cell(patient_client, patient):
    session(patient, "2026-10-01")  # cycle 1, day 15: weeks 1 and 2 counted (10 October not recorded), then to come
    attack(patient, "2026-10-01")
    headache_free(patient, *(f"2026-10-{day:02d}" for day in range(2, 15) if day != 10))
    page = patient_client.get(reverse("diary:progress")).text
    body = re.search(r"<tbody><tr><th scope=\"row\">.*?</tbody>", page, re.S).group(0)
    assert body == (
        '<tbody><tr><th scope="row"><span class="wk-long">Cycle </span>1</th>'
        '<td class="week-cell week-1">1</td>'
        '<td class="week-cell week-0 partial" title="Week 2: 0 headache days, 6 of 7 days recorded">0'
        '<span class="visually-hidden"> (6 of 7 days recorded)</span><span aria-hidden="true">*</span></td>'
        + '<td class="text-body-secondary">·</td>' * 10
        + "</tr></tbody>"
    )


NUMERIC_ATTRIBUTES = re.compile(r'\s(?:x|y|x1|x2|y1|y2|dy|width|height|viewBox|transform)="([^"]*)"')


def _svgs(html):
    return re.findall(r"<svg .*?</svg>", html, re.S)


@pytest.mark.django_db
def test_no_locale_changes_the_chart_s_numbers(patient, frozen):
    make_diary(patient, years=3)
    context = progress_context(progress_cache.load(patient, NOW))
    with translation.override("en-gb"):
        english = render_to_string("diary/includes/_progress_chart.html", context)
    with translation.override("de"):
        german = render_to_string("diary/includes/_progress_chart.html", context)
    wide, phone = _svgs(english)[:2]
    assert 'class="chart-wide' in wide and 'class="chart-phone' in phone
    values = NUMERIC_ATTRIBUTES.findall(wide + phone)
    assert len(values) > 300
    for value in values:
        assert re.fullmatch(r"[0-9.% ()a-z-]+", value) and "," not in value, value
    assert _svgs(german)[:2] == [wide, phone]


def test_the_clinician_sees_the_patient_s_chart_and_weeks(client, patient, clinician, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    make_diary(patient, years=1)
    client.force_login(patient)
    own = client.get(reverse("diary:progress")).text
    report = client.get(reverse("diary:report")).text
    client.force_login(clinician)
    theirs = client.get(reverse("clinic:patient", args=[patient.pk])).text
    weeks = re.compile(r'<table class="table table-sm table-bordered weeks-table">.*?</table>', re.S)
    assert weeks.search(own).group(0) == weeks.search(theirs).group(0)
    assert weeks.search(own).group(0).count("<tr>") == 7  # the header and cycles 1 to 6
    assert _svgs(own)[:2] == _svgs(theirs)[:2] == _svgs(report)[:2]
