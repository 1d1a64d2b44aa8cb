"""The progress page's figures come ready to print (diary.presentation): the same strings the
templates' filters gave, and SVG coordinates that no locale changes."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, formats, translation

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


@pytest.fixture
def translation_on(settings):
    """Django's translation on, as a site in several languages would have it (ours is English only,
    settings.USE_I18N off): what the tests with another language check must hold there too."""
    # Django picks its translation functions at their first use: forgotten, they are picked again
    # (as django.utils.translation.Trans advises for tests), and so are the cached formats.
    settings.USE_I18N = True
    translation._trans.__dict__.clear()
    formats.reset_format_cache()
    yield
    settings.USE_I18N = False
    translation._trans.__dict__.clear()
    formats.reset_format_cache()


def test_svg_number_is_floatformat_1_without_localizing():
    with translation.override("en-gb"):
        for value in COORDINATES:
            assert presentation.svg_number(value) == floatformat(value, "1u") == floatformat(value, 1), value


@pytest.mark.usefixtures("translation_on")
def test_svg_number_is_not_localized():
    with translation.override("de"):
        assert floatformat(2.5, 1) == "2,5"  # the filter would write a decimal comma
        assert presentation.svg_number(2.5) == "2.5"


@pytest.mark.usefixtures("translation_on")
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


@pytest.mark.usefixtures("translation_on")
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


# ---------------------------------------------------------------- the markup built in Python
# presentation.chart_markup and weeks_markup draw what the includes' template language drew, byte for byte
# (the whitespace too); the expected HTML below is written out by hand, as the old templates printed it.


def test_weeks_markup_is_the_old_template_s_table():
    rows = [
        {
            "number": "1",
            "cells": [
                {"css": "week-cell week-2", "text": "2", "recorded": ""},
                {
                    "css": "week-cell week-1 partial",
                    "title": "Week 2: 1 headache day, 3 of 7 days recorded",
                    "text": "1",
                    "recorded": "3 of 7 days recorded",
                },
                {"css": "text-body-secondary", "text": "·", "recorded": ""},
            ],
        }
    ]
    assert presentation.weeks_markup(rows, ["1", "2", "3"]) == (
        '\n<p id="weeks-about">Headache days in each week after a session, lined up by week. A rise in the last weeks'
        " can mean the effect wears off before the next session.</p>\n"
        '<div class="table-responsive" tabindex="0" role="region" aria-label="Headache days week by week"'
        ' aria-describedby="weeks-about">\n'
        '<table class="table table-sm table-bordered weeks-table">\n'
        '  <caption class="visually-hidden">Headache days in each week after a session</caption>\n'
        '  <thead><tr><th scope="col">Cycle</th><th scope="col"><span class="wk-long">Week </span>1</th>'
        '<th scope="col"><span class="wk-long">Week </span>2</th><th scope="col"><span class="wk-long">Week </span>3'
        "</th></tr></thead>\n"
        '  <tbody><tr><th scope="row"><span class="wk-long">Cycle </span>1</th><td class="week-cell week-2">2</td>'
        '<td class="week-cell week-1 partial" title="Week 2: 1 headache day, 3 of 7 days recorded">1'
        '<span class="visually-hidden"> (3 of 7 days recorded)</span><span aria-hidden="true">*</span></td>'
        '<td class="text-body-secondary">·</td></tr></tbody>\n'
        "</table>\n</div>\n"
        '<p class="small text-body-secondary">* not every day of that week is recorded. · the week has not happened,'
        " or the next session came first.</p>\n"
    )
    assert presentation.weeks_markup([], ["1"]) == ""


def test_weeks_markup_escapes_every_text():
    rows = [
        {
            "number": "<3>",
            "cells": [
                {"css": 'a"b', "title": "<t&>", "text": "&", "recorded": "'r'"},
                {"css": "c<", "text": "<x>", "recorded": ""},
            ],
        }
    ]
    markup = presentation.weeks_markup(rows, ["<1>"])
    assert "<3>" not in markup and "<x>" not in markup and "<1>" not in markup and "<t&>" not in markup
    assert '<span class="wk-long">Week </span>&lt;1&gt;</th>' in markup
    assert '<span class="wk-long">Cycle </span>&lt;3&gt;</th>' in markup
    assert (
        '<td class="a&quot;b" title="&lt;t&amp;&gt;">&amp;<span class="visually-hidden"> (&#x27;r&#x27;)</span>'
        in markup
    )
    assert '<td class="c&lt;">&lt;x&gt;</td>' in markup


def _period(**values):
    figures = {
        "kind": "baseline",
        "number": 0,
        "days": 28,
        "enough_data": True,
        "headache_days_per_28": 14.0,
        "migraine_days_per_28": 7.0,
        "moderate_severe_days_per_28": None,
        "headache_days": 14,
        "migraine_days": 7,
        "moderate_severe_days": 0,
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 1, 28),
    }
    return SimpleNamespace(**(figures | values))


HATCH = [
    "    <defs>",
    '      <pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
    '        <rect width="6" height="6" class="hatch-bg"></rect><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"'
    ' stroke-width="3"></line>',
    "      </pattern>",
    "    </defs>",
]

# One period (a baseline of 14, 7 and no figure per 28 days), no baseline line: the wide chart's one group
# sits in the middle of the plot (x 44 to 628, y 16 to 236), 22 wide a bar; the phone's bars are % of 220.
ONE_PERIOD_CHART = "\n".join(
    [
        '<svg viewBox="0 0 640 300" role="img" aria-labelledby="chart-title chart-desc"'
        ' class="chart-wide w-100 h-auto d-none d-md-block d-print-block">',
        '    <title id="chart-title">Headache days per 28 days, before treatment and in each cycle</title>',
        '    <desc id="chart-desc">Bars for headache days, migraine days and moderate or severe days per 28 days in'
        " each period. The same numbers are in the table below.</desc>",
        *[line.replace("{}", "hatch") for line in HATCH],
        *[
            line
            for value, y in ((0, "236.0"), (7, "181.0"), (14, "126.0"), (21, "71.0"), (28, "16.0"))
            for line in (
                "    ",
                f'      <line x1="44" x2="628" y1="{y}" y2="{y}" class="grid"></line>',
                f'      <text x="38" y="{y}" class="tick" text-anchor="end" dominant-baseline="middle">{value}</text>',
            )
        ],
        "    ",
        "    ",
        '      <g class="period">',
        "        ",
        '          <rect x="303.0" y="126.0" width="20.0" height="110.0" class="bar headache">'
        "<title>Baseline: 14 headache days per 28 days</title></rect>",
        "        ",
        '          <rect x="325.0" y="181.0" width="20.0" height="55.0" class="bar migraine">'
        "<title>Baseline: 7 migraine days per 28 days</title></rect>",
        "        ",
        '          <rect x="347.0" y="236.0" width="20.0" height="0.0" class="bar modsev">'
        "<title>Baseline: – moderate or severe days per 28 days</title></rect>",
        "        ",
        '        <text x="313.0" y="122.0" text-anchor="middle" class="value">14</text>',
        "        ",
        '        <text x="336.0" y="254" text-anchor="middle" class="label">Baseline</text>',
        "        ",
        "        ",
        "      </g>",
        "    ",
        "    ",
        "  </svg>",
        "  ",
        '  <svg width="100%" height="78" role="img" aria-labelledby="chart-phone-title chart-desc-phone"'
        ' class="chart-phone d-md-none d-print-none">',
        '    <title id="chart-phone-title">Headache days per 28 days, before treatment and in each cycle</title>',
        '    <desc id="chart-desc-phone">A row for each period with bars for headache days, migraine days and moderate'
        " or severe days per 28 days. The same numbers are in the table below.</desc>",
        *[line.replace("{}", "hatch-phone") for line in HATCH],
        *[
            line
            for value, x, anchor in ((0, 0.0, "start"), (7, 25.0, "middle"), (14, 50.0, "middle"))
            + ((21, 75.0, "middle"), (28, 100.0, "end"))
            for line in (
                "    ",
                f'      <line x1="{x}%" x2="{x}%" y1="4" y2="56" class="grid"></line>',
                f'      <text x="{x}%" y="72" class="tick" text-anchor="{anchor}">{value}</text>',
            )
        ],
        "    ",
        "    ",
        "    ",
        '      <g class="period">',
        '        <text x="0" y="18" class="label">Baseline: <tspan class="value">14 headache days</tspan></text>',
        "        ",
        '          <rect x="0" y="24" width="50.0%" height="8" class="bar headache">'
        "<title>Baseline: 14 headache days per 28 days</title></rect>",
        "        ",
        '          <rect x="0" y="34" width="25.0%" height="8" class="bar migraine">'
        "<title>Baseline: 7 migraine days per 28 days</title></rect>",
        "        ",
        '          <rect x="0" y="44" width="0.0%" height="8" class="bar modsev">'
        "<title>Baseline: – moderate or severe days per 28 days</title></rect>",
        "        ",
        "      </g>",
        "    ",
        "  </svg>",
        "  ",
    ]
)


def test_chart_markup_is_the_old_template_s_drawings():
    progress = SimpleNamespace(periods=[_period()], baseline_rate=None, baseline_source="diary")
    assert presentation.chart_markup(presentation.chart(progress)) == ONE_PERIOD_CHART
    assert presentation.chart_markup(None) == ""


def test_the_chart_include_prints_the_markup_where_the_drawings_were():
    progress = SimpleNamespace(periods=[_period()], baseline_rate=None, baseline_source="diary")
    chart = presentation.chart(progress)
    context = {"chart": chart, "chart_html": presentation.chart_markup(chart), "progress": progress}
    html = render_to_string(
        "diary/includes/_progress_chart.html", context | {"loaded": SimpleNamespace(preventive_courses=[])}
    )
    assert html.startswith('\n<figure class="progress-chart">\n  \n  ' + ONE_PERIOD_CHART + "\n  \n")
    assert html.count("<svg ") == 2 and '<figcaption class="chart-key small">' in html


@pytest.mark.usefixtures("translation_on")
def test_chart_markup_escapes_the_texts_and_keeps_the_numbers():
    periods = [_period(), _period(kind="cycle", number="<b>&", enough_data=False, headache_days_per_28=2.5)]
    progress = SimpleNamespace(periods=periods, baseline_rate=12.25, baseline_source="reported")
    chart = presentation.chart(progress)
    with translation.override("de"):
        markup = presentation.chart_markup(chart)
    assert "<b>" not in markup and "Cycle &lt;b&gt;&amp;" in markup
    assert '<text x="482.0" y="254" text-anchor="middle" class="label">Cycle &lt;b&gt;&amp;</text>' in markup
    assert '<text x="482.0" y="270" text-anchor="middle" class="note">not enough data</text>' in markup
    assert "<title>Cycle &lt;b&gt;&amp;: 2.5 headache days per 28 days (not enough data)</title>" in markup
    assert '<g class="period not-enough">' in markup and '<tspan class="note"> · not enough data</tspan>' in markup
    # 12.25 per 28 days: number() writes 12.2; y 236 - 96.25 is 139.75, 139.8 in the SVG; 43.75% of the phone's width
    baseline = "Before treatment: 12.2 (reported)"
    assert (
        f'<line x1="44" x2="628" y1="139.8" y2="139.8" class="baseline-line"><title>{baseline} headache days'
        f' per 28 days</title></line>\n      <text x="628" y="139.8" dy="-5" text-anchor="end"'
        f' class="baseline-label">{baseline}</text>'
    ) in markup
    assert (
        f'<line x1="43.75%" x2="43.75%" y1="18" y2="138" class="baseline-line"><title>{baseline} headache days per 28'
        f' days</title></line>\n      <text x="0" y="14" class="baseline-label">{baseline}</text>'
    ) in markup
