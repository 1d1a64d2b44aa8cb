"""The diary CSV of FORMATS.md: export, import, and the round trip."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import PatientProfile
from diary.csvio import HEADER, escape_formula, split_answer, unescape_formula
from diary.models import Attack, AttackMedicine, HeadacheFreeDay, MenstruationDay, TreatmentSession
from tests.conftest import make_user
from tests.diary.factories import attack, headache_free, session

EXPORT = reverse("diary:export")
IMPORT = reverse("diary:import")
HEADER_LINE = ",".join(HEADER)


def upload(client, text, name="diary.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type="text/csv")}, follow=True)


def counts(patient):
    return (
        Attack.objects.filter(patient=patient).count(),
        HeadacheFreeDay.objects.filter(patient=patient).count(),
        TreatmentSession.objects.filter(patient=patient).count(),
    )


def test_the_header_is_exactly_the_spec_s():
    assert HEADER_LINE == (
        "record,date,start_time,duration_minutes,severity,one_sided,throbbing,worse_with_activity,nausea,"
        "vomiting,light_sensitivity,sound_sensitivity,aura,medications,units,sites,notes"
    )


def test_export_requires_login(client, db):
    assert client.get(EXPORT).status_code == 302


def test_export_writes_rows_in_the_spec_s_order(patient_client, patient, other_patient):
    attack(patient, "2026-10-02", time="14:00", minutes=60, severity=1, notes="b")
    attack(
        patient,
        "2026-10-02",
        time="08:30",
        minutes=90,
        severity=3,
        one_sided=True,
        nausea=True,
        medicines=[("triptan", "Sumatriptan 50 mg"), ("simple_analgesic", "")],
    )
    headache_free(patient, "2026-10-01")
    session(patient, "2026-10-02", units=195, sites=39, notes="Follow-the-pain")
    attack(other_patient, "2026-10-02", notes="not mine")
    attack(patient, "2026-10-15", time="12:00", minutes=None)  # still going: left out until it ends
    response = patient_client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == (
        HEADER_LINE + "\n"
        "headache_free,2026-10-01,,,,,,,,,,,,,,,\n"
        "treatment_session,2026-10-02,,,,,,,,,,,,,195,39,Follow-the-pain\n"
        "headache,2026-10-02,08:30,90,severe,1,0,0,1,0,0,0,0,triptan:Sumatriptan 50 mg;simple_analgesic,,,\n"
        "headache,2026-10-02,14:00,60,mild,0,0,0,0,0,0,0,0,,,,b\n"
    )


def test_export_escapes_cells_a_spreadsheet_would_run(patient_client, patient):
    attack(patient, "2026-10-02", notes='=HYPERLINK("x")', medicines=[("other", "@cmd")])
    attack(patient, "2026-10-03", notes="'quoted already")
    text = patient_client.get(EXPORT).content.decode()
    assert "other:'@@cmd" in text  # the guard's ', then the name's @ doubled (FORMATS.md)
    assert '"\'=HYPERLINK(""x"")"' in text
    assert text.rstrip("\n").endswith(",'quoted already")


def test_a_diary_exported_imported_into_a_new_account_exports_byte_identical(patient_client, patient, client):
    attack(patient, "2026-03-29", time="00:30", minutes=300, severity=3, aura=True, notes='Line one\nline "two"')
    attack(
        patient,
        "2026-10-02",
        time="08:30",
        minutes=90,
        severity=2,
        throbbing=True,
        medicines=[("triptan", "Sumatriptan 50 mg"), ("gepant", ""), ("other", "-5 drops")],
    )
    attack(patient, "2026-10-02", time="08:30", minutes=30, severity=1, notes="+plus")
    headache_free(patient, "2026-10-01", "2026-10-03")
    session(patient, "2026-07-01", notes="@first, with a comma")
    session(patient, "2026-09-23", units=175, sites=35, notes="")
    first = patient_client.get(EXPORT).content

    newcomer = make_user("newcomer@example.com")
    client.force_login(newcomer)
    response = upload(client, first)
    assert "Imported: 7 rows added, 0 skipped" in response.text
    second = client.get(EXPORT).content
    assert second == first


def test_importing_the_same_file_twice_adds_nothing(patient_client, patient):
    text = (
        HEADER_LINE
        + "\nheadache,2026-10-02,08:30,90,severe,1,0,0,1,0,0,0,0,triptan,,,\nheadache_free,2026-10-01,,,,,,,,,,,,,,,\n"
    )
    assert "2 rows added, 0 skipped" in upload(patient_client, text).text
    assert "0 rows added, 2 skipped" in upload(patient_client, text).text
    assert counts(patient) == (1, 1, 0)


def test_a_bad_row_in_the_middle_saves_nothing_and_is_named(patient_client, patient):
    text = (
        HEADER_LINE + "\n"
        "headache_free,2026-10-01,,,,,,,,,,,,,,,\n"
        "headache,2026-10-02,08:30,90,terrible,1,0,0,1,0,0,0,0,,,,\n"
        "treatment_session,2026-10-03,,,,,,,,,,,,,,,\n"
    )
    response = upload(patient_client, text)
    assert "Nothing was imported" in response.text
    assert "line 3, column severity: Must be mild, moderate or severe." in response.text
    assert counts(patient) == (0, 0, 0)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("headache,2026-10-02,25:00,90,mild,,,,,,,,,,,,", "start_time", "HH:MM"),
        ("headache,2026-10-02,08:00,0,mild,,,,,,,,,,,,", "duration_minutes", "1 to 20160"),
        ("headache,2026-10-02,08:00,20161,mild,,,,,,,,,,,,", "duration_minutes", "1 to 20160"),
        ("headache,2026-10-02,08:00,60,mild,2,,,,,,,,,,,", "one_sided", "1, 0 or empty"),
        ("headache,2026-10-02,08:00,60,mild,,,,,,,,,painkiller:x,,,", "medications", "Unknown medicine class"),
        ("headache,2026-10-02,08:00,60,mild,,,,,,,,,,155,,", "units", "Must be empty"),
        ("headache_free,2026-10-02,08:00,,,,,,,,,,,,,,", "start_time", "Must be empty"),
        ("headache_free,2026-10-02,,,,0,,,,,,,,,,,", "one_sided", "Must be empty"),
        ("treatment_session,2026-10-02,,,,,,,,,,,,,196,,", "units", "1 to 195"),
        ("treatment_session,2026-10-02,,,,,,,,,,,,,,40,", "sites", "1 to 39"),
        ("treatment_session,02/10/2026,,,,,,,,,,,,,,,", "date", "YYYY-MM-DD"),
        ("migraine,2026-10-02,,,,,,,,,,,,,,,", "record", "Must be headache"),
        ("headache,2026-03-29,01:30,60,mild,,,,,,,,,,,,", "start_time", "does not exist"),
        ("headache,2026-10-15,13:01,60,mild,,,,,,,,,,,,", "start_time", "in the future"),
        ("headache_free,2026-10-16,,,,,,,,,,,,,,,", "date", "in the future"),
        ("treatment_session,2026-10-16,,,,,,,,,,,,,,,", "date", "in the future"),
    ],
)
def test_each_wrong_cell_is_named_by_line_and_column(patient_client, patient, row, column, message):
    response = upload(patient_client, HEADER_LINE + "\n\n" + row + "\n")
    errors = response.context["errors"]
    assert [(e.line, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message
    assert counts(patient) == (0, 0, 0)


def test_a_row_with_the_wrong_number_of_cells(patient_client, patient):
    response = upload(patient_client, HEADER_LINE + "\nheadache_free,2026-10-02\n")
    assert "line 2: Has 2 cells; every row needs 17." in response.text


def test_a_wrong_header_is_refused(patient_client, patient):
    response = upload(patient_client, "date,record\n2026-10-02,headache_free\n")
    assert "line 1: The first line must be exactly the header" in response.text


def test_a_file_that_is_not_utf8_is_refused(patient_client, patient):
    response = upload(
        patient_client, (HEADER_LINE + "\nheadache_free,2026-10-02,,,,,,,,,,,,,,,caf\xe9\n").encode("latin-1")
    )
    assert "This is not UTF-8 text" in response.text
    assert counts(patient) == (0, 0, 0)


def test_a_file_over_2_mb_is_refused(patient_client, patient):
    # Just over 2 MB: within the request body limit, so the import's own message (far larger files
    # are refused before they are read: tests/security/test_limits.py).
    big = HEADER_LINE + "\n" + ("headache_free,2026-10-02,,,,,,,,,,,,,,," + "x" * 100 + "\n") * 15000
    assert 2 * 1024 * 1024 < len(big) < 2 * 1024 * 1024 + 32 * 1024
    response = upload(patient_client, big)
    assert "larger than 2 MB" in response.text
    assert counts(patient) == (0, 0, 0)


def test_no_file_is_refused(patient_client):
    response = patient_client.post(IMPORT, {})
    assert "Choose a CSV file to import." in response.text


def test_lenient_reading_bom_crlf_blank_lines_spaces_and_case(patient_client, patient):
    text = (
        "\ufeff" + HEADER_LINE + "\r\n\r\n"
        " Headache , 2026-10-02 , 8:30 , 90 , Mild ,1, , ,0,,,,, Triptan:Sumatriptan ;; simple_analgesic ,,, note \r\n"
        "HEADACHE_FREE,2026-10-01,,,,,,,,,,,,,,,\r\n"
    )
    response = upload(patient_client, text)
    assert "2 rows added" in response.text
    saved = Attack.objects.get(patient=patient)
    assert (saved.start_time, saved.severity, saved.one_sided, saved.notes) == (dt.time(8, 30), 1, True, "note")
    assert [(m.medicine_class, m.name) for m in saved.medicines.all()] == [
        ("triptan", "Sumatriptan"),
        ("simple_analgesic", ""),
    ]


def test_a_leading_quote_is_removed_only_before_a_formula_character(patient_client, patient):
    text = (
        HEADER_LINE
        + "\nheadache,2026-10-02,08:30,90,mild,,,,,,,,,,,,'=1+1\nheadache,2026-10-03,08:30,90,mild,,,,,,,,,,,,'tis\n"
    )
    upload(patient_client, text)
    assert sorted(Attack.objects.values_list("notes", flat=True)) == ["'tis", "=1+1"]


def test_a_headache_free_row_on_a_day_an_attack_touches_is_wrong(patient_client, patient):
    attack(patient, "2026-10-05", time="23:00", minutes=120)
    text = (
        HEADER_LINE + "\n"
        "headache,2026-10-02,22:00,300,mild,,,,,,,,,,,,\n"
        "headache_free,2026-10-03,,,,,,,,,,,,,,,\n"
        "headache_free,2026-10-06,,,,,,,,,,,,,,,\n"
    )
    errors = upload(patient_client, text).context["errors"]
    assert [(e.line, e.column) for e in errors] == [(3, "record"), (4, "record")]
    assert counts(patient) == (1, 0, 0)


def test_an_imported_attack_removes_a_mark_and_says_so(patient_client, patient):
    headache_free(patient, "2026-10-03")
    response = upload(patient_client, HEADER_LINE + "\nheadache,2026-10-02,22:00,300,mild,,,,,,,,,,,,\n")
    assert "1 headache-free mark removed" in response.text
    assert counts(patient) == (1, 0, 0)


def test_duplicates_within_one_file_are_skipped(patient_client, patient):
    row = "headache,2026-10-02,08:30,90,mild,,,,,,,,,,,,\n"
    response = upload(
        patient_client,
        HEADER_LINE
        + "\n"
        + row
        + row
        + "treatment_session,2026-09-01,,,,,,,,,,,,,,,\ntreatment_session,2026-09-01,,,,,,,,,,,,,160,,\n",
    )
    assert "2 rows added, 2 skipped" in response.text
    assert TreatmentSession.objects.get(patient=patient).units == 155


def test_import_requires_login(client, db):
    assert client.get(IMPORT).status_code == 302


def test_import_writes_only_into_the_importer_s_diary(patient_client, patient, other_patient):
    upload(patient_client, HEADER_LINE + "\nheadache_free,2026-10-01,,,,,,,,,,,,,,,\n")
    assert counts(other_patient) == (0, 0, 0)
    assert counts(patient) == (0, 1, 0)


# ---------------------------------------------------------------- periods, 2-hour answers, the formula guard (#16)


def test_export_writes_period_days_after_marks_and_before_headaches_and_each_answer(patient_client, patient):
    attack(
        patient,
        "2026-10-02",
        time="08:30",
        minutes=90,
        severity=3,
        medicines=[("triptan", "Sumatriptan 50 mg"), ("simple_analgesic", ""), ("other", "@Home")],
    )
    AttackMedicine.objects.filter(name="Sumatriptan 50 mg").update(answer="pain_free")
    AttackMedicine.objects.filter(medicine_class="simple_analgesic").update(answer="better")
    headache_free(patient, "2026-10-01")
    session(patient, "2026-10-02")
    MenstruationDay.objects.create(patient=patient, date=dt.date(2026, 10, 2))
    MenstruationDay.objects.create(patient=patient, date=dt.date(2026, 10, 3))
    assert patient_client.get(EXPORT).content.decode() == (
        HEADER_LINE + "\n"
        "headache_free,2026-10-01,,,,,,,,,,,,,,,\n"
        "treatment_session,2026-10-02,,,,,,,,,,,,,155,31,\n"
        "menstruation,2026-10-02,,,,,,,,,,,,,,,\n"
        "headache,2026-10-02,08:30,90,severe,0,0,0,0,0,0,0,0,"
        "triptan:Sumatriptan 50 mg@pain_free;simple_analgesic@better;other:'@@Home,,,\n"
        "menstruation,2026-10-03,,,,,,,,,,,,,,,\n"
    )


def test_a_round_trip_with_period_days_answers_doubled_ats_and_quoted_formulas_is_byte_identical(
    patient_client, patient, client
):
    attack(patient, "2026-10-02", notes="'=x", medicines=[("triptan", "Suma@50"), ("other", "x@")])
    AttackMedicine.objects.filter(name="x@").update(answer="worse")
    attack(patient, "2026-10-03", notes="''+y", medicines=[("gepant", ""), ("other", "'-drops")])
    AttackMedicine.objects.filter(medicine_class="gepant").update(answer="same")
    attack(patient, "2026-10-04", notes="'tis a note")
    session(patient, "2026-09-01", notes="'@first")
    for date in ("2026-09-28", "2026-09-29", "2026-10-02"):
        MenstruationDay.objects.create(patient=patient, date=dt.date.fromisoformat(date))
    first = patient_client.get(EXPORT).content
    assert b",''=x\n" in first and b",'''+y\n" in first and b",'tis a note\n" in first
    assert b"triptan:Suma@@50;other:x@@@worse" in first and b"gepant@same;other:''-drops" in first

    newcomer = make_user("newcomer@example.com")
    client.force_login(newcomer)
    assert "Imported: 7 rows added, 0 skipped" in upload(client, first).text
    assert client.get(EXPORT).content == first
    assert sorted(Attack.objects.filter(patient=newcomer).values_list("notes", flat=True)) == [
        "''+y",
        "'=x",
        "'tis a note",
    ]
    assert sorted(AttackMedicine.objects.filter(attack__patient=newcomer).values_list("name", "answer")) == [
        ("", "same"),
        ("'-drops", ""),
        ("Suma@50", ""),
        ("x@", "worse"),
    ]


@pytest.mark.parametrize(
    ("item", "head", "answer"),
    [
        ("triptan", "triptan", None),
        ("triptan@better", "triptan", "better"),
        ("triptan:Suma@pain_free", "triptan:Suma", "pain_free"),
        ("triptan:Suma@@50", "triptan:Suma@50", None),
        ("other:x@@@worse", "other:x@", "worse"),
        ("other:'@@Home", "other:'@Home", None),
        ("other:a@b@c", "other:a", "b@c"),  # the first single @ ends the name; what follows is wrong
        ("other:x@", "other:x", ""),
    ],
)
def test_an_item_is_read_from_the_left(item, head, answer):
    assert split_answer(item) == (head, answer)


def test_answers_are_read_in_any_letter_case_with_spaces(patient_client, patient):
    text = HEADER_LINE + "\nheadache,2026-10-02,08:30,90,mild,,,,,,,,, triptan:Suma @ Pain_Free ; gepant@WORSE ,,,\n"
    assert "1 row added" in upload(patient_client, text).text
    saved = Attack.objects.get(patient=patient)
    assert [(m.medicine_class, m.name, m.answer) for m in saved.medicines.all()] == [
        ("triptan", "Suma", "pain_free"),
        ("gepant", "", "worse"),
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("headache,2026-10-02,08:00,60,mild,,,,,,,,,triptan:Suma@gone,,,", "medications", "pain_free, better"),
        ("headache,2026-10-02,08:00,60,mild,,,,,,,,,other:me@home,,,", "medications", "written @@"),
        ("headache,2026-10-02,08:00,60,mild,,,,,,,,,triptan@,,,", "medications", "pain_free, better"),
        ("menstruation,2026-10-16,,,,,,,,,,,,,,,", "date", "in the future"),
        ("menstruation,2026-10-02,08:00,,,,,,,,,,,,,,", "start_time", "Must be empty on a menstruation row"),
        ("menstruation,2026-10-02,,,,,,,,,,,,,155,,", "units", "Must be empty on a menstruation row"),
        ("period,2026-10-02,,,,,,,,,,,,,,,", "record", "treatment_session or menstruation"),
    ],
)
def test_each_wrong_new_cell_is_named_and_nothing_is_saved(patient_client, patient, row, column, message):
    text = HEADER_LINE + "\nmenstruation,2026-10-01,,,,,,,,,,,,,,,\n" + row + "\n"
    errors = upload(patient_client, text).context["errors"]
    assert [(e.line, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message
    assert counts(patient) == (0, 0, 0)
    assert not MenstruationDay.objects.filter(patient=patient).exists()


def test_period_days_already_in_the_diary_or_the_file_are_skipped(patient_client, patient):
    MenstruationDay.objects.create(patient=patient, date=dt.date(2026, 10, 1))
    text = (
        HEADER_LINE + "\n"
        "menstruation,2026-10-01,,,,,,,,,,,,,,,\n"
        "Menstruation,2026-10-02,,,,,,,,,,,,,,,\n"
        "menstruation,2026-10-02,,,,,,,,,,,,,,,\n"
    )
    assert "Imported: 1 row added, 2 skipped" in upload(patient_client, text).text
    assert sorted(MenstruationDay.objects.filter(patient=patient).values_list("date", flat=True)) == [
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 2),
    ]


def test_a_period_day_is_not_a_recorded_day_after_import(patient_client, patient):
    upload(patient_client, HEADER_LINE + "\nmenstruation,2026-10-14,,,,,,,,,,,,,,,\n")
    assert counts(patient) == (0, 0, 0)
    assert not HeadacheFreeDay.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=x", "'=x"),
        ("'=x", "''=x"),
        ("''@y", "'''@y"),
        ("-5", "'-5"),
        ("'tis", "'tis"),
        ("'", "'"),
        ("plain", "plain"),
    ],
)
def test_the_formula_guard_also_covers_quotes_before_a_formula(text, written):
    assert escape_formula(text) == written
    assert unescape_formula(written) == text


def test_period_days_imported_while_periods_are_not_tracked_are_kept_and_the_patient_is_told(client, db):
    newcomer = make_user("no-periods@example.com")
    PatientProfile.objects.create(user=newcomer, track_periods=False)
    client.force_login(newcomer)
    text = (
        HEADER_LINE + "\n"
        "menstruation,2026-10-02,,,,,,,,,,,,,,,\n"
        "menstruation,2026-10-03,,,,,,,,,,,,,,,\n"
        "headache_free,2026-10-04,,,,,,,,,,,,,,,\n"
    ).encode()
    page = upload(client, text).text
    assert "Imported: 3 rows added, 0 skipped" in page
    assert "2 period days are kept but not shown or counted, because you chose not to track periods" in page
    assert MenstruationDay.objects.filter(patient=newcomer).count() == 2


def test_a_patient_who_tracks_periods_is_not_told_they_are_hidden(client, db):
    newcomer = make_user("periods@example.com")
    PatientProfile.objects.create(user=newcomer, track_periods=True)
    client.force_login(newcomer)
    page = upload(client, (HEADER_LINE + "\nmenstruation,2026-10-02,,,,,,,,,,,,,,,\n").encode()).text
    assert "Imported: 1 row added" in page and "not shown or counted" not in page
