"""The progress page's repeated rows built in Python (the period table's rows, the cycles' cards, the "By guideline"
panel's EHF and threshold rows) and {% cached_url %}: the markup the templates' loops drew, byte for byte, with
every text escaped. The expected HTML is written out by hand, as the old templates printed it; each is also
checked against the old loop itself, rendered by Django's template language."""

import datetime as dt
import random
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from diary import guideline_presentation, presentation, preventive_presentation
from diary.presentation import change_direction

SCRIPT = "<script>alert('x')</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def _change(name, change, date):
    return SimpleNamespace(name=name, change=change, date=date)


def _period(kind="cycle", enough_data=True, preventive_changes=()):
    return SimpleNamespace(kind=kind, enough_data=enough_data, preventive_changes=list(preventive_changes))


def _row(period, **texts):
    row = {
        "period": period,
        "label": "Cycle 2",
        "dates": "2–29 December 2023",
        "per_28": "10.5",
        "migraine_per_28": "7",
        "moderate_severe_per_28": "3 in 5 days",
        "change": "32% fewer",
        "recorded_of": "20 of 28",
        "completeness": "71%",
        "headache_day_count": "8",
        "attack_count": "9",
        "medicine_day_count": "4",
        "midas_cell": "20 (III)",
        "start_date": "2 December 2023",
        "days_recorded": "20 of 28 days",
        "change_words": "10.5 headache days per 28 days, down from 15.4: 32% fewer.",
        "responder": "30% to 49% fewer headache days",
        "day_kinds": "Migraine days per 28 days: 7; moderate or severe: 3",
        "attack_words": "9 attacks; days with acute medicine: 4",
        "midas": "20 (grade III: moderate disability)",
    }
    row.update(texts)
    return row


# ---------------------------------------------------------------- the period table's rows

OLD_PERIOD_ROWS = Template(
    "{% load preventive_tags %}"
    """{% for row in rows %}
    <tr{% if not row.period.enough_data %} class="not-enough"{% endif %}>
      <th scope="row">{{ row.label }}{% if not row.period.enough_data %} <span class="badge text-bg-light border">not enough data</span>{% endif %}</th>
      <td data-label="Dates">{{ row.dates }}</td>
      <td data-label="Headache days per 28">{{ row.per_28 }}</td>
      <td data-label="Migraine days per 28">{{ row.migraine_per_28 }}</td>
      <td data-label="Moderate or severe days per 28">{{ row.moderate_severe_per_28 }}</td>
      <td data-label="Change from baseline">{% if row.period.kind == "baseline" %}<span class="text-body-secondary">reference</span>{% else %}{{ row.change }}{% endif %}</td>
      <td data-label="Days recorded">{{ row.recorded_of }} ({{ row.completeness }})</td>
      <td data-label="Headache days">{{ row.headache_day_count }}</td>
      <td data-label="Attacks">{{ row.attack_count }}</td>
      <td data-label="Medicine days">{{ row.medicine_day_count }}</td>
      {% if show_midas %}<td data-label="MIDAS">{{ row.midas_cell }}</td>{% endif %}
      {% if any_changes %}<td data-label="Other preventive started or stopped">{% if row.period.preventive_changes %}Yes{% endif %}</td>{% endif %}
    </tr>
  {% endfor %}"""  # noqa: E501 - the old template's lines
)


def _period_rows():
    baseline = _row(_period("baseline"), label="Before treatment (baseline)", midas_cell="")
    changed = _period(enough_data=False, preventive_changes=[_change(SCRIPT, "started", dt.date(2024, 1, 3))])
    return [baseline, _row(changed, label=SCRIPT, change="<b>&</b>")]


def test_period_table_rows_are_the_old_template_s():
    rows = _period_rows()
    assert presentation.period_table_rows_markup(rows, show_midas=True, any_changes=True) == (
        "\n    <tr>"
        '\n      <th scope="row">Before treatment (baseline)</th>'
        '\n      <td data-label="Dates">2–29 December 2023</td>'
        '\n      <td data-label="Headache days per 28">10.5</td>'
        '\n      <td data-label="Migraine days per 28">7</td>'
        '\n      <td data-label="Moderate or severe days per 28">3 in 5 days</td>'
        '\n      <td data-label="Change from baseline"><span class="text-body-secondary">reference</span></td>'
        '\n      <td data-label="Days recorded">20 of 28 (71%)</td>'
        '\n      <td data-label="Headache days">8</td>'
        '\n      <td data-label="Attacks">9</td>'
        '\n      <td data-label="Medicine days">4</td>'
        '\n      <td data-label="MIDAS"></td>'
        '\n      <td data-label="Other preventive started or stopped"></td>'
        "\n    </tr>\n  "
        '\n    <tr class="not-enough">'
        f'\n      <th scope="row">{SCRIPT_ESCAPED} <span class="badge text-bg-light border">not enough data</span></th>'
        '\n      <td data-label="Dates">2–29 December 2023</td>'
        '\n      <td data-label="Headache days per 28">10.5</td>'
        '\n      <td data-label="Migraine days per 28">7</td>'
        '\n      <td data-label="Moderate or severe days per 28">3 in 5 days</td>'
        '\n      <td data-label="Change from baseline">&lt;b&gt;&amp;&lt;/b&gt;</td>'
        '\n      <td data-label="Days recorded">20 of 28 (71%)</td>'
        '\n      <td data-label="Headache days">8</td>'
        '\n      <td data-label="Attacks">9</td>'
        '\n      <td data-label="Medicine days">4</td>'
        '\n      <td data-label="MIDAS">20 (III)</td>'
        '\n      <td data-label="Other preventive started or stopped">Yes</td>'
        "\n    </tr>\n  "
    )
    (one,) = rows[:1]
    assert presentation.period_table_rows_markup([one]) == (
        "\n    <tr>"
        '\n      <th scope="row">Before treatment (baseline)</th>'
        '\n      <td data-label="Dates">2–29 December 2023</td>'
        '\n      <td data-label="Headache days per 28">10.5</td>'
        '\n      <td data-label="Migraine days per 28">7</td>'
        '\n      <td data-label="Moderate or severe days per 28">3 in 5 days</td>'
        '\n      <td data-label="Change from baseline"><span class="text-body-secondary">reference</span></td>'
        '\n      <td data-label="Days recorded">20 of 28 (71%)</td>'
        '\n      <td data-label="Headache days">8</td>'
        '\n      <td data-label="Attacks">9</td>'
        '\n      <td data-label="Medicine days">4</td>'
        "\n      \n      \n    </tr>\n  "
    )
    assert presentation.period_table_rows_markup([]) == ""


@pytest.mark.parametrize("show_midas", [True, False])
@pytest.mark.parametrize("any_changes", [True, False])
def test_period_table_rows_render_as_the_old_loop(show_midas, any_changes):
    rows = _period_rows()
    old = OLD_PERIOD_ROWS.render(Context({"rows": rows, "show_midas": show_midas, "any_changes": any_changes}))
    assert presentation.period_table_rows_markup(rows, show_midas, any_changes) == old


# ---------------------------------------------------------------- the cycles' cards

OLD_CARDS = Template(
    "{% load preventive_tags %}"
    """{% for row in cycle_rows reversed %}
    <div class="col-md-6">
      <section class="card h-100" aria-label="{{ row.label }}">
        <div class="card-body">
          <h3 class="h5">{{ row.label }} <span class="small text-body-secondary">from {{ row.start_date }}</span></h3>
          {% if not row.period.enough_data %}<p class="badge text-bg-light border">Not enough data: {{ row.days_recorded }} recorded</p>{% endif %}
          <p class="mb-1">{{ row.change_words }}</p>
          {% with note=row.note %}{% if note %}<p class="mb-1 fw-semibold preventive-note">{{ note }} <span class="fw-normal">{{ row.period|preventive_changes|join:"; " }}.</span></p>{% endif %}{% endwith %}
          <ul class="small mb-0">
            <li>Response: {{ row.responder }}</li>
            <li>{{ row.day_kinds }}</li>
            <li>Diary complete: {{ row.completeness }} ({{ row.days_recorded }})</li>
            <li>{{ row.attack_words }}</li>
            <li>MIDAS: {{ row.midas }}</li>
          </ul>
        </div>
      </section>
    </div>
    {% endfor %}"""  # noqa: E501 - the old template's lines
)


def _card_rows():
    changes = [_change(SCRIPT, "started", dt.date(2024, 1, 3)), _change("Topiramate", "stopped", dt.date(2024, 2, 1))]
    first = _row(_period(), label="Cycle 1", start_date="1 November 2023")
    second = _row(_period(enough_data=False, preventive_changes=changes), change_words="<i>early</i>")
    return [first, second]


def test_cycle_cards_are_the_old_template_s_latest_first():
    card_end = "\n          </ul>\n        </div>\n      </section>\n    </div>\n    "
    assert preventive_presentation.cycle_cards_markup(_card_rows()) == (
        '\n    <div class="col-md-6">\n      <section class="card h-100" aria-label="Cycle 2">'
        '\n        <div class="card-body">'
        '\n          <h3 class="h5">Cycle 2 <span class="small text-body-secondary">from 2 December 2023</span></h3>'
        '\n          <p class="badge text-bg-light border">Not enough data: 20 of 28 days recorded</p>'
        '\n          <p class="mb-1">&lt;i&gt;early&lt;/i&gt;</p>'
        '\n          <p class="mb-1 fw-semibold preventive-note">Another preventive was started or stopped in this'
        f' cycle: compare it with care. <span class="fw-normal">{SCRIPT_ESCAPED} started 3 January 2024;'
        " Topiramate stopped 1 February 2024.</span></p>"
        '\n          <ul class="small mb-0">'
        "\n            <li>Response: 30% to 49% fewer headache days</li>"
        "\n            <li>Migraine days per 28 days: 7; moderate or severe: 3</li>"
        "\n            <li>Diary complete: 71% (20 of 28 days)</li>"
        "\n            <li>9 attacks; days with acute medicine: 4</li>"
        "\n            <li>MIDAS: 20 (grade III: moderate disability)</li>" + card_end + '\n    <div class="col-md-6">'
        '\n      <section class="card h-100" aria-label="Cycle 1">'
        '\n        <div class="card-body">'
        '\n          <h3 class="h5">Cycle 1 <span class="small text-body-secondary">from 1 November 2023</span></h3>'
        "\n          "
        '\n          <p class="mb-1">10.5 headache days per 28 days, down from 15.4: 32% fewer.</p>'
        "\n          "
        '\n          <ul class="small mb-0">'
        "\n            <li>Response: 30% to 49% fewer headache days</li>"
        "\n            <li>Migraine days per 28 days: 7; moderate or severe: 3</li>"
        "\n            <li>Diary complete: 71% (20 of 28 days)</li>"
        "\n            <li>9 attacks; days with acute medicine: 4</li>"
        "\n            <li>MIDAS: 20 (grade III: moderate disability)</li>" + card_end
    )
    assert preventive_presentation.cycle_cards_markup([]) == ""


def test_cycle_cards_render_as_the_old_loop():
    rows = _card_rows() + [
        _row(_period("baseline", preventive_changes=[_change("<b>", "started", dt.date(2023, 9, 1))]))
    ]
    # The old template's note came from a filter that only it used (preventive_presentation.changes_note).
    old_rows = [{**row, "note": preventive_presentation.changes_note(row["period"])} for row in rows]
    assert preventive_presentation.cycle_cards_markup(rows) == OLD_CARDS.render(Context({"cycle_rows": old_rows}))


# ---------------------------------------------------------------- the "By guideline" panel

OLD_EHF_ROWS = Template(
    """{% for row in rows %}
              <tr>
                <th scope="row">{{ row.session_date|date:"j F Y" }}</th>
                <td data-label="Before">{{ row.before.per_28 }}{% if not row.before.enough_data %} <span class="badge text-bg-light border">not enough data</span> <span class="small text-body-secondary">{{ row.before.recorded }}</span>{% endif %}</td>
                <td data-label="After">{{ row.after.per_28 }}{% if row.so_far %} <span class="small">so far</span>{% endif %}{% if not row.after.enough_data %} <span class="badge text-bg-light border">not enough data</span> <span class="small text-body-secondary">{{ row.after.recorded }}</span>{% endif %}</td>
                <td data-label="Change">{% if row.both_enough and not row.so_far or row.change == "too early" or row.change == "–" %}{{ row.change }}{% else %}<span class="text-body-secondary">{{ row.change }} ({% if row.both_enough %}so far{% else %}not enough data{% endif %})</span>{% endif %}</td>
              </tr>
            {% endfor %}"""  # noqa: E501 - the old template's lines
)


def _window(per_28, enough_data=True, recorded="28 of 28 days recorded"):
    return {"per_28": per_28, "enough_data": enough_data, "recorded": recorded}


def _ehf_rows():
    day = dt.date(2024, 3, 5)
    rows = []
    for before_enough in (True, False):
        for after_enough in (True, False):
            for so_far in (True, False):
                for change in ("32% fewer", "too early", "–", "<&>"):
                    rows.append(
                        {
                            "session_date": day,
                            "before": _window("12.5", before_enough, "<20> of 28 days recorded"),
                            "after": _window("8", after_enough, "10 of 28 days recorded"),
                            "so_far": so_far,
                            "both_enough": before_enough and after_enough,
                            "change": change,
                        }
                    )
    return rows


def test_ehf_rows_are_the_old_template_s():
    judged = {
        "session_date": dt.date(2024, 3, 5),
        "before": _window("12.5"),
        "after": _window("8"),
        "so_far": False,
        "both_enough": True,
        "change": "36% fewer",
    }
    so_far = {
        "session_date": dt.date(2024, 12, 1),
        "before": _window("12.5", False, "<20> of 28 days recorded"),
        "after": _window("2 in 5 days", False, "5 of 5 days recorded"),
        "so_far": True,
        "both_enough": False,
        "change": "84% fewer",
    }
    assert guideline_presentation.ehf_rows_markup([judged, so_far]) == (
        "\n              <tr>"
        '\n                <th scope="row">5 March 2024</th>'
        '\n                <td data-label="Before">12.5</td>'
        '\n                <td data-label="After">8</td>'
        '\n                <td data-label="Change">36% fewer</td>'
        "\n              </tr>\n            "
        "\n              <tr>"
        '\n                <th scope="row">1 December 2024</th>'
        '\n                <td data-label="Before">12.5 <span class="badge text-bg-light border">not enough data</span>'
        ' <span class="small text-body-secondary">&lt;20&gt; of 28 days recorded</span></td>'
        '\n                <td data-label="After">2 in 5 days <span class="small">so far</span>'
        ' <span class="badge text-bg-light border">not enough data</span>'
        ' <span class="small text-body-secondary">5 of 5 days recorded</span></td>'
        '\n                <td data-label="Change"><span class="text-body-secondary">84% fewer (not enough data)'
        "</span></td>"
        "\n              </tr>\n            "
    )
    assert guideline_presentation.ehf_rows_markup([]) == ""


def test_ehf_rows_render_as_the_old_loop():
    rows = _ehf_rows()
    assert guideline_presentation.ehf_rows_markup(rows) == OLD_EHF_ROWS.render(Context({"rows": rows}))


OLD_THRESHOLDS = Template(
    "{% for label, value, setting in rows %}"
    '<tr><th scope="row" class="fw-normal">{{ label }}</th><td data-label="Value">{{ value }}</td>'
    '{% if for_clinician %}<td data-label="Setting"><code>{{ setting }}</code></td>{% endif %}</tr>{% endfor %}'
)


def test_threshold_rows_are_the_old_template_s():
    rows = [("NICE: fewer headache days", "30%", "DIARY_ADEQUATE_RESPONSE_PCT"), ("<a>", "&", "<s>")]
    assert guideline_presentation.thresholds_rows_markup(rows) == (
        '<tr><th scope="row" class="fw-normal">NICE: fewer headache days</th><td data-label="Value">30%</td></tr>'
        '<tr><th scope="row" class="fw-normal">&lt;a&gt;</th><td data-label="Value">&amp;</td></tr>'
    )
    assert guideline_presentation.thresholds_rows_markup(rows, for_clinician=True) == (
        '<tr><th scope="row" class="fw-normal">NICE: fewer headache days</th><td data-label="Value">30%</td>'
        '<td data-label="Setting"><code>DIARY_ADEQUATE_RESPONSE_PCT</code></td></tr>'
        '<tr><th scope="row" class="fw-normal">&lt;a&gt;</th><td data-label="Value">&amp;</td>'
        '<td data-label="Setting"><code>&lt;s&gt;</code></td></tr>'
    )
    for for_clinician in (True, False):
        old = OLD_THRESHOLDS.render(Context({"rows": rows, "for_clinician": for_clinician}))
        assert guideline_presentation.thresholds_rows_markup(rows, for_clinician) == old


def test_window_change_is_the_fractions_change():
    rng = random.Random(5)
    for _ in range(5000):
        before = Fraction(rng.randint(1, 400) * 28, rng.randint(1, 60))
        after = rng.choice([Fraction(rng.randint(0, 400) * 28, rng.randint(1, 60)), rng.randint(0, 30)])
        assert guideline_presentation._window_change(before, after) == change_direction((before - after) / before * 100)
    assert guideline_presentation._window_change(Fraction(0), 0) == "no change"
    assert guideline_presentation._window_change(0, Fraction(1, 2)) == "up from 0"
    assert guideline_presentation._window_change(2.5, 1.25) == "50% fewer"  # floats: the general way


def test_svg_number_is_the_decimal_rounding_of_the_repr():
    rng = random.Random(7)
    values = [rng.uniform(-50, 700) for _ in range(20000)] + [rng.randint(-500, 70000) / 100 for _ in range(20000)]
    values += [a / b for a in range(0, 300) for b in (3, 7, 9, 28, 56)] + [0.25, 0.35, 2.45, -0.05, 1e-7, 1e17, 12, 0]
    for value in values:
        assert presentation.svg_number(value) == presentation._decimal_svg_number(value), value


# ---------------------------------------------------------------- {% cached_url %}

CACHED = Template(
    "{% load progress_tags %}{% cached_url 'diary:report' %} {% cached_url 'education:section' 'side-effects' %}"
)
PLAIN = Template("{% url 'diary:report' %} {% url 'education:section' 'side-effects' %}")


def test_cached_url_is_the_url_tag_s_url():
    request = RequestFactory().get("/diary/progress/")
    context = {"request": request}
    expected = f"{reverse('diary:report')} {reverse('education:section', args=['side-effects'])}"
    for _ in range(2):  # reversed, then remembered
        assert CACHED.render(Context(context)) == PLAIN.render(Context(context)) == expected
    set_script_prefix("/app/")  # a deployment under a path prefix: not the URL remembered for "/"
    try:
        assert (
            CACHED.render(Context(context)) == PLAIN.render(Context(context)) == "/app" + expected.replace(" ", " /app")
        )
    finally:
        set_script_prefix("/")
