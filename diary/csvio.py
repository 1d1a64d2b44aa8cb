"""The diary CSV of FORMATS.md: export, and the checks of an all-or-nothing import with row-numbered errors.

The import itself (the lock, the rows saved, diary_changed) is diary.services.import_diary: this
module reads and checks, and writes nothing.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from accounts.profiles import profile_for
from core import timeutil
from diary.models import (
    DEFAULT_SITES,
    DEFAULT_UNITS,
    FEATURE_NAMES,
    MAX_DURATION_MINUTES,
    MAX_SITES,
    MAX_UNITS,
    Attack,
    EffectAnswer,
    HeadacheFreeDay,
    MedicineClass,
    MenstruationDay,
    Severity,
    TreatmentSession,
)

HEADER = [
    "record",
    "date",
    "start_time",
    "duration_minutes",
    "severity",
    *FEATURE_NAMES,
    "medications",
    "units",
    "sites",
    "notes",
]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS_SHOWN = 200
FORMULA_STARTS = ("=", "+", "-", "@")
# A text a spreadsheet would run: one of FORMULA_STARTS first, also after one or more ' (so that
# a note "'=x" is written "''=x" and comes back as it was, FORMATS.md).
_FORMULA = re.compile(r"^'*[=+\-@]")
RECORDS = ("headache", "headache_free", "treatment_session", "menstruation")
# Within a date, export writes sessions, then headache-free marks, then period days, then headaches.
RECORD_ORDER = {"treatment_session": 0, "headache_free": 1, "menstruation": 2, "headache": 3}
SEVERITY_BY_NAME = {"mild": Severity.MILD, "moderate": Severity.MODERATE, "severe": Severity.SEVERE}
NAME_BY_SEVERITY = {value: name for name, value in SEVERITY_BY_NAME.items()}
HEADACHE_ONLY = ["start_time", "duration_minutes", "severity", *FEATURE_NAMES, "medications"]
SESSION_ONLY = ["units", "sites"]
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_WHOLE = re.compile(r"^\d+$")


def escape_formula(text):
    """One more leading ' so that a spreadsheet does not run the cell as a formula."""
    return "'" + text if _FORMULA.match(text) else text


def unescape_formula(text):
    """The text escape_formula() was given: one leading ' less before (more ' and) a formula character."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text) else text


# ---------------------------------------------------------------- export


def _medicine_item(medicine):
    """`class`, `class:name`, and `@answer` after either; a @ in the name doubled (FORMATS.md)."""
    name = medicine.name.replace(";", ",").strip()
    item = f"{medicine.medicine_class}:{escape_formula(name).replace('@', '@@')}" if name else medicine.medicine_class
    return f"{item}@{medicine.answer}" if medicine.answer else item


def _medications_cell(medicines):
    return ";".join(_medicine_item(medicine) for medicine in medicines)


def export_rows(patient):
    """The diary's rows in the file's order. Attacks still going are left out until they end, and
    period days when the patient chose not to track periods (they are hidden everywhere then)."""
    rows = []
    for session in TreatmentSession.objects.filter(patient=patient):
        rows.append(
            (
                (session.date, RECORD_ORDER["treatment_session"], "", 0, 0, session.notes),
                _row(
                    "treatment_session", session.date, session.notes, units=str(session.units), sites=str(session.sites)
                ),
            )
        )
    for mark in HeadacheFreeDay.objects.filter(patient=patient):
        rows.append(((mark.date, RECORD_ORDER["headache_free"], "", 0, 0, ""), _row("headache_free", mark.date, "")))
    if profile_for(patient).track_periods is not False:
        for day in MenstruationDay.objects.filter(patient=patient):
            rows.append(((day.date, RECORD_ORDER["menstruation"], "", 0, 0, ""), _row("menstruation", day.date, "")))
    attacks = Attack.objects.filter(patient=patient, duration_minutes__isnull=False).prefetch_related("medicines")
    for attack in attacks:
        start_time = attack.start_time.strftime("%H:%M")
        row = _row(
            "headache",
            attack.start_date,
            attack.notes,
            start_time=start_time,
            duration_minutes=str(attack.duration_minutes),
            severity=NAME_BY_SEVERITY[attack.severity],
            medications=_medications_cell(attack.medicines.all()),
            **{name: "1" if getattr(attack, name) else "0" for name in FEATURE_NAMES},
        )
        key = (
            attack.start_date,
            RECORD_ORDER["headache"],
            start_time,
            attack.duration_minutes,
            attack.severity,
            attack.notes,
        )
        rows.append((key, row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _row(record, date, notes, **cells):
    values = dict.fromkeys(HEADER, "")
    values.update(record=record, date=date.isoformat(), notes=escape_formula(notes), **cells)
    return [values[column] for column in HEADER]


def download_response(patient, filename):
    """The diary as a CSV download that no cache keeps."""
    from django.http import HttpResponse

    response = HttpResponse(export_diary(patient), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export_diary(patient):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(export_rows(patient))
    return buffer.getvalue()


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class RowError:
    line: int | None
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    added: int
    skipped: int
    marks_removed: int
    # Period days added while the patient has chosen not to track periods: kept, but neither shown
    # nor counted until tracking is turned on again, which the summary says rather than hide them.
    periods_not_tracked: int = 0

    def summary(self):
        text = f"Imported: {_count(self.added, 'row')} added, {self.skipped} skipped as already in your diary."
        if self.marks_removed:
            text += f" {_count(self.marks_removed, 'headache-free mark')} removed where a headache was imported."
        if self.periods_not_tracked:
            days = _count(self.periods_not_tracked, "period day")
            text += (
                f" {days} {'is' if self.periods_not_tracked == 1 else 'are'} kept but not shown or counted, "
                "because you chose not to track periods: choose “Track my periods” under Periods in your "
                "profile to see them."
            )
        return text


def _count(number, noun):
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class _Parsed:
    line: int
    record: str
    date: dt.date
    notes: str
    start_time: dt.time | None = None
    duration_minutes: int | None = None
    severity: int | None = None
    features: dict | None = None
    medicines: list | None = None  # (class, name, 2-hour answer or "") for each item
    units: int | None = None
    sites: int | None = None


def _decode(upload):
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportRefused([RowError(None, "file", "The file is larger than 2 MB. Split it into smaller files.")])
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportRefused([RowError(None, "file", "The file is larger than 2 MB. Split it into smaller files.")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportRefused([RowError(line, None, "This is not UTF-8 text. Save the file as CSV UTF-8.")]) from None


def _parse_row(line, cells, errors):
    values = {column: cell.strip() for column, cell in zip(HEADER, cells, strict=True)}
    before = len(errors)

    def error(column, message):
        errors.append(RowError(line, column, message))

    # A NUL byte is not text: no database column may hold one (PostgreSQL refuses it outright).
    for column, value in values.items():
        if "\x00" in value:
            error(column, "Holds a character that is not text (a NUL byte). Delete it, or save the file again as CSV.")
    if len(errors) > before:
        return None
    record = values["record"].lower()
    if record not in RECORDS:
        error("record", "Must be headache, headache_free, treatment_session or menstruation.")
        return None
    try:
        date = dt.date.fromisoformat(values["date"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["date"]) else None
    except ValueError:
        date = None
    if date is None:
        error("date", "Must be a date written YYYY-MM-DD.")
    elif date < timeutil.MIN_DATE:
        error("date", timeutil.MIN_DATE_MESSAGE)
        date = None
    notes = unescape_formula(values["notes"])
    if len(notes) > 2000:
        error("notes", "Notes must be at most 2000 characters.")

    not_applicable = {
        "headache": SESSION_ONLY,
        "headache_free": HEADACHE_ONLY + SESSION_ONLY,
        "treatment_session": HEADACHE_ONLY,
        "menstruation": HEADACHE_ONLY + SESSION_ONLY,
    }[record]
    for column in not_applicable:
        if values[column]:
            error(column, f"Must be empty on a {record} row.")

    parsed = _Parsed(line=line, record=record, date=date, notes=notes)
    if record == "headache":
        match = _TIME.match(values["start_time"])
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            error("start_time", "Must be a time written HH:MM, 24-hour.")
        else:
            parsed.start_time = dt.time(int(match[1]), int(match[2]))
        duration = values["duration_minutes"]
        if not _WHOLE.match(duration) or not 1 <= int(duration) <= MAX_DURATION_MINUTES:
            error("duration_minutes", f"Must be whole minutes from 1 to {MAX_DURATION_MINUTES}.")
        else:
            parsed.duration_minutes = int(duration)
        severity = SEVERITY_BY_NAME.get(values["severity"].lower())
        if severity is None:
            error("severity", "Must be mild, moderate or severe.")
        parsed.severity = severity
        parsed.features = {}
        for name in FEATURE_NAMES:
            if values[name] not in {"", "0", "1"}:
                error(name, "Must be 1, 0 or empty.")
            parsed.features[name] = values[name] == "1"
        parsed.medicines = []
        for item in values["medications"].split(";"):
            item = item.strip()
            if not item:
                continue
            head, answer = split_answer(item)
            medicine_class, _, name = head.partition(":")
            medicine_class = medicine_class.strip().lower()
            if medicine_class not in MedicineClass.values:
                error(
                    "medications",
                    f"Unknown medicine class {medicine_class!r}: use one of {', '.join(MedicineClass.values)}.",
                )
                continue
            if answer is not None:
                answer = answer.strip().lower()
                if answer not in EffectAnswer.values:
                    error(
                        "medications",
                        f"After the @ of {head.strip()!r} must come the answer 2 hours after taking it: "
                        "pain_free, better, same or worse. A @ in a medicine's name is written @@.",
                    )
                    continue
            name = unescape_formula(name.strip())
            if len(name) > 100:
                error("medications", "A medicine's name must be at most 100 characters.")
            parsed.medicines.append((medicine_class, name, answer or ""))
    elif record == "treatment_session":
        for column, default, maximum in (("units", DEFAULT_UNITS, MAX_UNITS), ("sites", DEFAULT_SITES, MAX_SITES)):
            value = values[column]
            if value == "":
                setattr(parsed, column, default)
            elif not _WHOLE.match(value) or not 1 <= int(value) <= maximum:
                error(column, f"Must be a whole number from 1 to {maximum}, or empty for {default}.")
            else:
                setattr(parsed, column, int(value))
    return parsed if len(errors) == before else None


def split_answer(item):
    """(the class and name, with @@ read as @; the text after the first single @, or None)."""
    head, index = [], 0
    while index < len(item):
        if item[index] == "@":
            if item[index + 1 : index + 2] == "@":
                head.append("@")
                index += 2
                continue
            return "".join(head), item[index + 1 :]
        head.append(item[index])
        index += 1
    return "".join(head), None


def parse(text):
    """Every row checked on its own; returns (parsed rows, errors)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    errors, rows = [], []
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [RowError(1, None, f"This is not a CSV file we can read: {error}.")]
    if header is None or [cell.strip() for cell in header] != HEADER:
        return [], [RowError(1, None, "The first line must be exactly the header: " + ",".join(HEADER))]
    count = 0
    line_after = reader.line_num
    try:
        for cells in reader:
            line, line_after = line_after + 1, reader.line_num
            if not cells or all(not cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                return [], [
                    RowError(line, None, f"The file has more than {MAX_ROWS} rows. Split it into smaller files.")
                ]
            if len(cells) != len(HEADER):
                errors.append(RowError(line, None, f"Has {len(cells)} cells; every row needs {len(HEADER)}."))
                continue
            parsed = _parse_row(line, cells, errors)
            if parsed is not None:
                rows.append(parsed)
    except csv.Error as error:
        errors.append(RowError(reader.line_num, None, f"This line cannot be read as CSV: {error}."))
    return rows, errors


def read(upload):
    """The rows of an uploaded diary CSV, each checked on its own; raises ImportRefused with every wrong row.

    services.import_diary() then checks them against the diary (plan) and saves them.
    """
    rows, errors = parse(_decode(upload))
    if errors:
        raise ImportRefused(errors[:MAX_ERRORS_SHOWN])
    return rows


@dataclass
class ImportPlan:
    """What an import adds to a diary: the rows not there yet, and what they touch."""

    attacks: list
    marks: list
    sessions: list
    skipped: int
    touched_by_file: set  # dates the file's headaches touch: their headache-free marks go
    period_days: list = field(default_factory=list)

    @property
    def added(self):
        return len(self.attacks) + len(self.marks) + len(self.sessions) + len(self.period_days)


def plan(patient, profile, rows, now, touched_by_diary):
    """The rows of `rows` to add to the patient's diary, or ImportRefused with every row that cannot be.

    touched_by_diary: the dates the diary's own headaches touch, from the first headache-free
    date of the file to its last. Reads the diary's attacks, marks, sessions and period days (four
    queries).
    """
    tz = profile.tz
    today = timeutil.today(tz, now)
    errors = []
    existing_attacks = {
        (a.start_date, a.start_time, a.duration_minutes, a.severity)
        for a in Attack.objects.filter(patient=patient).only("start_date", "start_time", "duration_minutes", "severity")
    }
    existing_marks = set(HeadacheFreeDay.objects.filter(patient=patient).values_list("date", flat=True))
    existing_sessions = set(TreatmentSession.objects.filter(patient=patient).values_list("date", flat=True))
    existing_periods = set(MenstruationDay.objects.filter(patient=patient).values_list("date", flat=True))
    seen_by_record = {
        "headache_free": existing_marks,
        "treatment_session": existing_sessions,
        "menstruation": existing_periods,
    }

    new_attacks, mark_rows = [], []
    new_by_record = {"headache_free": [], "treatment_session": [], "menstruation": []}
    skipped = 0
    touched_by_file = set()
    for row in rows:
        if row.record == "headache":
            key = (row.date, row.start_time, row.duration_minutes, row.severity)
            try:
                start = timeutil.to_instant(row.date, row.start_time, tz, strict=True)
            except timeutil.NonexistentLocalTime:
                errors.append(
                    RowError(
                        row.line,
                        "start_time",
                        f"{row.start_time:%H:%M} does not exist on that date in {tz.key} (the clocks went forward).",
                    )
                )
                continue
            if start > now:
                errors.append(RowError(row.line, "start_time", "This headache starts in the future."))
                continue
            touched_by_file.update(timeutil.days_touched(start, start + dt.timedelta(minutes=row.duration_minutes), tz))
            if key in existing_attacks:
                skipped += 1
                continue
            existing_attacks.add(key)
            new_attacks.append(row)
        else:
            if row.date > today:
                errors.append(RowError(row.line, "date", "This date is in the future."))
                continue
            if row.record == "headache_free":
                mark_rows.append(row)
            seen = seen_by_record[row.record]
            if row.date in seen:
                skipped += 1
                continue
            seen.add(row.date)
            new_by_record[row.record].append(row)

    if mark_rows:
        touched = touched_by_file | touched_by_diary
        for row in mark_rows:
            if row.date in touched:
                errors.append(
                    RowError(row.line, "record", "A headache touches this date, so it cannot be headache-free.")
                )
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.line)[:MAX_ERRORS_SHOWN])
    return ImportPlan(
        new_attacks,
        new_by_record["headache_free"],
        new_by_record["treatment_session"],
        skipped,
        touched_by_file,
        period_days=new_by_record["menstruation"],
    )


def too_many_headaches(adding, limit):
    """The import's refusal when its new headaches would take the diary past its cap (DIARY_MAX_ATTACKS)."""
    return ImportRefused(
        [
            RowError(
                None,
                "file",
                f"This file has {_count(adding, 'headache')} not yet in your diary, which would take it "
                f"past {limit:,} headaches, the most one diary can keep. Nothing was imported.",
            )
        ]
    )
