"""The upgrade from the schema before the accounts app (diary 0010, clinic 0002, no accounts) keeps
every row, with every value: data is written with the old state's historical models, the real
migrations run, and the rows are read back with today's models.

The migrations under test: accounts 0001 and diary 0011 move PatientProfile, DisplayPreference and
UserSession from the diary to accounts without touching their tables (SeparateDatabaseAndState);
accounts 0002 renames the tables, moves the content types and gives every user an Account row with
the role of their group; clinic 0003 drops ClinicianProfile.worklist_version.

Going back to the old schema is supported, with two losses that cannot be undone (the values are
not kept anywhere): ClinicianProfile.worklist_version comes back as 0, and PatientSummary.updated_at
is dropped (made again, as the time of the migration, on the way forward). Account rows are dropped
too, but they are made again from the groups, which assign_role keeps in step with the role.

Each test migrates the test database back and forth (transaction=True) and leaves it at the
latest migrations, whatever happens. serialized_rollback, as the other tests that flush: the rows
the migrations made (groups, guide, content types) come back for the tests after these, and no
content types are made again under new ids (which PostgreSQL then refuses to restore).
"""

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DjangoDbSessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.models import Account, DisplayPreference, PatientProfile, UserSession
from clinic.models import AccessLogEntry, ClinicianNote, ClinicianProfile, ReminderSent, Share
from diary.models import (
    Attack,
    AttackMedicine,
    HeadacheFreeDay,
    Medicine,
    MidasAnswer,
    PatientSummary,
    SideEffectReport,
    TreatmentSession,
)

OLD = [("diary", "0010_email_confirmation"), ("clinic", "0002_worklist_version"), ("accounts", None)]
MOVED = ["patientprofile", "displaypreference", "usersession"]
OLD_TABLES = {f"diary_{name}" for name in MOVED}
NEW_TABLES = {f"accounts_{name}" for name in MOVED} | {"accounts_account"}
# The backend the old code named in every session it signed in (the old settings).
OLD_BACKEND = "diary.backends.DiaryModelBackend"
PASSWORD = "correct-horse-battery-staple"

# Every table with rows, as (model in the old state, model today).
TABLES = [
    ("auth.User", "auth.User"),
    ("auth.Group", "auth.Group"),
    ("auth.User_groups", "auth.User_groups"),
    ("auth.User_user_permissions", "auth.User_user_permissions"),
    ("auth.Permission", "auth.Permission"),
    ("diary.PatientProfile", "accounts.PatientProfile"),
    ("diary.DisplayPreference", "accounts.DisplayPreference"),
    ("diary.UserSession", "accounts.UserSession"),
    ("diary.Medicine", "diary.Medicine"),
    ("diary.Attack", "diary.Attack"),
    ("diary.AttackMedicine", "diary.AttackMedicine"),
    ("diary.HeadacheFreeDay", "diary.HeadacheFreeDay"),
    ("diary.TreatmentSession", "diary.TreatmentSession"),
    ("diary.SideEffectReport", "diary.SideEffectReport"),
    ("diary.MidasAnswer", "diary.MidasAnswer"),
    ("diary.PatientSummary", "diary.PatientSummary"),
    ("clinic.ClinicianProfile", "clinic.ClinicianProfile"),
    ("clinic.Share", "clinic.Share"),
    ("clinic.ClinicianNote", "clinic.ClinicianNote"),
    ("clinic.AccessLogEntry", "clinic.AccessLogEntry"),
    ("clinic.ReminderSent", "clinic.ReminderSent"),
    ("admin.LogEntry", "admin.LogEntry"),
]
# Columns the upgrade drops, by design (clinic 0003).
DROPPED = {"clinic.ClinicianProfile": {"worklist_version"}}


def migrate(executor, targets):
    """Migrate to targets; the historical models of the state the database is then in."""
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    loader = executor.loader
    return loader.project_state([key for key in loader.applied_migrations if key in loader.graph.nodes]).apps


def latest(executor):
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    ContentType.objects.clear_cache()
    try:
        yield executor
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


def model(apps, label):
    app_label, name = label.split(".")
    return apps.get_model(app_label, name)


def snapshot(apps, side):
    """Every row of TABLES, as {today's label: [row values by pk]}, read with the models of `apps`."""
    rows = {}
    for old, new in TABLES:
        rows[new] = list(model(apps, old if side == "old" else new).objects.order_by("pk").values())
    return rows


# A session's data names the backend that signed it in, renamed by accounts 0003 (so nobody is
# signed out): compared decoded, in test_upgrade_keeps_people_signed_in and assert_upgraded.
SESSION_DATA = {"accounts.UserSession": {"session_data"}}


def assert_same_rows(before, after, dropped=DROPPED, changed=None):
    """Each table has the same rows with the same values. Only the `dropped` columns may go; the
    `changed` ones ({label: columns}) are not compared."""
    changed = {**SESSION_DATA, **(changed or {})}
    for label, old_rows in before.items():
        new_rows = after[label]
        assert len(new_rows) == len(old_rows), label
        for old_row, new_row in zip(old_rows, new_rows, strict=True):
            gone = set(old_row) - set(new_row)
            assert gone == dropped.get(label, set()), f"{label}: columns lost {gone}"
            kept = [key for key in old_row if key in new_row and key not in changed.get(label, ())]
            assert {key: new_row[key] for key in kept} == {key: old_row[key] for key in kept}, label


def seed_old_schema(apps):
    """Realistic rows of every kind, written with the models of the old schema. Returns their ids."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    ContentTypeOld = apps.get_model("contenttypes", "ContentType")
    PermissionOld = apps.get_model("auth", "Permission")
    get = apps.get_model

    clinicians, _ = Group.objects.get_or_create(name="Clinicians")
    editors, _ = Group.objects.get_or_create(name="Education editors")

    def user(email, **extra):
        return User.objects.create(
            username=email,
            email=email,
            password=make_password(PASSWORD),
            date_joined=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
            **extra,
        )

    patient = user("alice@example.com", first_name="Alice", last_name="Ashworth")
    clinician = user("dr.carter@example.com", first_name="Chris", last_name="Carter")
    clinician.groups.add(clinicians)
    editor = user("editor@example.com", first_name="Eve", last_name="Editor", is_staff=True)
    editor.groups.add(editors)
    root = user("root@example.com", is_staff=True, is_superuser=True)

    profile = get("diary", "PatientProfile").objects.create(
        user=patient,
        time_zone="America/New_York",
        reported_baseline=Decimal("18.5"),
        email_reminders=True,
        phone="+44 7700 900123",
        email_confirmed=False,
        pending_email="alice.new@example.com",
        diary_version=7,
    )
    get("diary", "DisplayPreference").objects.create(user=patient, theme="dark")
    get("diary", "DisplayPreference").objects.create(user=clinician, theme="light")

    session_key = get_random_string(32, VALID_KEY_CHARS)
    session_data = {
        "_auth_user_id": str(patient.pk),
        "_auth_user_backend": OLD_BACKEND,
        # What the real User's get_session_auth_hash gives for this password hash.
        "_auth_user_hash": get_user_model()(password=patient.password).get_session_auth_hash(),
        "theme": "dark",
    }
    # The old engine (migraine_app.sessions.SessionStore) signed with the salt of its class name,
    # "SessionStore", as Django's own db.SessionStore does.
    get("diary", "UserSession").objects.create(
        session_key=session_key,
        session_data=DjangoDbSessionStore().encode(session_data),
        expire_date=timezone.now() + dt.timedelta(days=14),
        user=patient,
    )

    Medicine = get("diary", "Medicine")
    Medicine.objects.create(patient=patient, name="Sumatriptan 50 mg", medicine_class="triptan")
    Medicine.objects.create(patient=patient, name="Paracetamol 500 mg", medicine_class="simple_analgesic")
    Attack = get("diary", "Attack")
    attack = Attack.objects.create(
        patient=patient,
        start_date=dt.date(2026, 10, 3),
        start_time=dt.time(7, 45),
        duration_minutes=540,
        severity=3,
        one_sided=True,
        throbbing=True,
        nausea=True,
        light_sensitivity=True,
        notes="After a long shift",
    )
    Attack.objects.create(patient=patient, start_date=dt.date(2026, 10, 11), start_time=dt.time(22, 10), severity=1)
    AttackMedicine = get("diary", "AttackMedicine")
    AttackMedicine.objects.create(attack=attack, medicine_class="triptan", name="Sumatriptan 50 mg")
    AttackMedicine.objects.create(attack=attack, medicine_class="simple_analgesic", name="")
    for day in (4, 5, 6):
        get("diary", "HeadacheFreeDay").objects.create(patient=patient, date=dt.date(2026, 10, day))
    session = get("diary", "TreatmentSession").objects.create(
        patient=patient,
        date=dt.date(2026, 9, 1),
        units=175,
        sites=35,
        given_by="Dr Carter",
        notes="First session",
        temporalis_extra_units=10,
        occipitalis_extra_units=5,
        trapezius_extra_units=5,
        recorded_by=clinician,
    )
    get("diary", "SideEffectReport").objects.create(
        patient=patient, session=session, effect="neck_pain", severity=2, started_on=dt.date(2026, 9, 3), notes="Stiff"
    )
    get("diary", "MidasAnswer").objects.create(
        patient=patient,
        answered_on=dt.date(2026, 9, 1),
        missed_work=4,
        reduced_work=6,
        missed_household=3,
        reduced_household=5,
        missed_social=2,
        headache_days=21,
        average_pain=7,
    )
    summary_data = {"baseline": 18.5, "latest": 12.0, "session_due": False, "flags": ["side_effect"]}
    get("diary", "PatientSummary").objects.create(
        patient=patient, computed_for=dt.date(2026, 11, 30), data=summary_data
    )

    get("clinic", "ClinicianProfile").objects.create(user=clinician, share_code="ABC234DEF", worklist_version=3)
    get("clinic", "Share").objects.create(patient=patient, clinician=clinician)
    get("clinic", "ClinicianNote").objects.create(
        patient=patient, author=clinician, author_name="Chris Carter", text="Discussed sleep", visible_to_patient=True
    )
    get("clinic", "AccessLogEntry").objects.create(
        clinician=clinician, clinician_name="Chris Carter", patient=patient, what="report"
    )
    get("clinic", "ReminderSent").objects.create(user=patient, kind="missed_day", key="2026-11-30")

    # The moved models' content types and permissions, as the old code's post_migrate made them.
    content_types = {}
    for name in MOVED:
        content_type, _ = ContentTypeOld.objects.get_or_create(app_label="diary", model=name)
        content_types[name] = content_type.pk
        for action in ("add", "change", "delete", "view"):
            PermissionOld.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{name}", defaults={"name": f"Can {action} {name}"}
            )
    clinician.user_permissions.add(
        PermissionOld.objects.get(content_type_id=content_types["patientprofile"], codename="view_patientprofile")
    )
    get("admin", "LogEntry").objects.create(
        user=root,
        content_type_id=content_types["patientprofile"],
        object_id=str(profile.pk),
        object_repr=f"Profile {profile.pk}",
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Time zone"]}}]',
        action_time=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC),
    )
    permissions = dict(
        PermissionOld.objects.filter(content_type__app_label="diary", content_type__model__in=MOVED).values_list(
            "pk", "content_type_id"
        )
    )
    return {
        "patient": patient.pk,
        "clinician": clinician.pk,
        "editor": editor.pk,
        "root": root.pk,
        "profile": profile.pk,
        "attack": attack.pk,
        "session": session.pk,
        "session_key": session_key,
        "session_data": session_data,
        "summary_data": summary_data,
        "content_types": content_types,
        "permissions": permissions,
    }


def table_names():
    return set(connection.introspection.table_names())


def columns(table):
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def assert_old_schema(apps, ids):
    tables = table_names()
    assert OLD_TABLES <= tables
    assert not NEW_TABLES & tables
    assert "worklist_version" in columns("clinic_clinicianprofile")
    ContentTypeOld = apps.get_model("contenttypes", "ContentType")
    for name, pk in ids["content_types"].items():
        assert ContentTypeOld.objects.filter(pk=pk).values_list("app_label", "model").get() == ("diary", name)


def assert_upgraded(ids):
    """Read back with today's models: the values written into the old schema, one by one."""
    tables = table_names()
    assert NEW_TABLES <= tables
    assert not OLD_TABLES & tables, "the old tables are still there"
    assert "worklist_version" not in columns("clinic_clinicianprofile")
    assert "updated_at" in columns("diary_patientsummary")

    User = get_user_model()
    patient = User.objects.get(pk=ids["patient"])
    profile = PatientProfile.objects.get(user=patient)
    assert profile.pk == ids["profile"]
    assert profile.time_zone == "America/New_York"
    assert profile.reported_baseline == Decimal("18.5")
    assert profile.email_reminders is True
    assert profile.phone == "+44 7700 900123"
    assert profile.email_confirmed is False
    assert profile.pending_email == "alice.new@example.com"
    assert profile.diary_version == 7
    assert DisplayPreference.objects.get(user=patient).theme == "dark"
    assert DisplayPreference.objects.get(user_id=ids["clinician"]).theme == "light"

    browser = UserSession.objects.get(session_key=ids["session_key"])
    assert browser.user_id == patient.pk
    # The same data, but for the backend that signed it in, which has the new name (accounts 0003).
    renamed = {**ids["session_data"], "_auth_user_backend": "accounts.backends.AccountBackend"}
    assert ids["session_data"]["_auth_user_backend"] == "diary.backends.DiaryModelBackend"
    assert browser.get_decoded() == renamed
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=ids["session_key"])
    assert store.load() == renamed
    assert list(UserSession.objects.filter(user=patient).values_list("session_key", flat=True)) == [ids["session_key"]]

    assert list(Medicine.objects.filter(patient=patient).values_list("name", "medicine_class")) == [
        ("Paracetamol 500 mg", "simple_analgesic"),
        ("Sumatriptan 50 mg", "triptan"),
    ]
    attack = Attack.objects.get(pk=ids["attack"])
    assert (attack.patient_id, attack.start_date, attack.start_time, attack.duration_minutes, attack.severity) == (
        patient.pk,
        dt.date(2026, 10, 3),
        dt.time(7, 45),
        540,
        3,
    )
    assert attack.features() == ["One side of the head", "Throbbing or pulsing", "Feeling sick", "Light bothers me"]
    assert attack.notes == "After a long shift"
    assert list(AttackMedicine.objects.filter(attack=attack).values_list("medicine_class", "name")) == [
        ("triptan", "Sumatriptan 50 mg"),
        ("simple_analgesic", ""),
    ]
    assert Attack.objects.filter(patient=patient, duration_minutes__isnull=True).count() == 1
    assert sorted(HeadacheFreeDay.objects.filter(patient=patient).values_list("date", flat=True)) == [
        dt.date(2026, 10, 4),
        dt.date(2026, 10, 5),
        dt.date(2026, 10, 6),
    ]
    session = TreatmentSession.objects.get(pk=ids["session"])
    assert (session.date, session.units, session.sites, session.given_by, session.recorded_by_id) == (
        dt.date(2026, 9, 1),
        175,
        35,
        "Dr Carter",
        ids["clinician"],
    )
    assert (session.temporalis_extra_units, session.occipitalis_extra_units, session.trapezius_extra_units) == (
        10,
        5,
        5,
    )
    report = SideEffectReport.objects.get(patient=patient)
    assert (report.session_id, report.effect, report.severity, report.started_on, report.notes) == (
        session.pk,
        "neck_pain",
        2,
        dt.date(2026, 9, 3),
        "Stiff",
    )
    midas = MidasAnswer.objects.get(patient=patient)
    assert (midas.score, midas.headache_days, midas.average_pain) == (20, 21, 7)
    summary = PatientSummary.objects.get(patient=patient)
    assert (summary.computed_for, summary.data) == (dt.date(2026, 11, 30), ids["summary_data"])
    assert summary.updated_at is not None

    assert ClinicianProfile.objects.get(user_id=ids["clinician"]).share_code == "ABC234DEF"
    assert Share.objects.filter(patient=patient, clinician_id=ids["clinician"]).count() == 1
    note = ClinicianNote.objects.get(patient=patient)
    assert (note.author_id, note.author_name, note.text, note.visible_to_patient) == (
        ids["clinician"],
        "Chris Carter",
        "Discussed sleep",
        True,
    )
    log = AccessLogEntry.objects.get(patient=patient)
    assert (log.clinician_id, log.clinician_name, log.what) == (ids["clinician"], "Chris Carter", "report")
    assert ReminderSent.objects.filter(user=patient, kind="missed_day", key="2026-11-30").count() == 1

    # The moved models' content types are accounts' now, the same rows: permissions and admin
    # history still point at them.
    ContentType.objects.clear_cache()
    for model_class in (PatientProfile, DisplayPreference, UserSession):
        content_type = ContentType.objects.get_for_model(model_class)
        assert content_type.pk == ids["content_types"][model_class._meta.model_name]
        assert content_type.app_label == "accounts"
    assert not ContentType.objects.filter(app_label="diary", model__in=MOVED).exists()
    assert (
        dict(Permission.objects.filter(pk__in=ids["permissions"]).values_list("pk", "content_type_id"))
        == ids["permissions"]
    )
    assert User.objects.get(pk=ids["clinician"]).has_perm("accounts.view_patientprofile")
    assert LogEntry.objects.get(user_id=ids["root"]).get_edited_object() == profile

    assert dict(Account.objects.values_list("user_id", "role")) == {
        ids["patient"]: "patient",
        ids["clinician"]: "clinician",
        ids["editor"]: "editor",
        ids["root"]: "patient",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upgrade_keeps_every_row(executor):
    old_apps = migrate(executor, OLD)
    ids = seed_old_schema(old_apps)
    assert_old_schema(old_apps, ids)
    before = snapshot(old_apps, "old")
    assert all(before.values()), {label: len(rows) for label, rows in before.items()}

    new_apps = migrate(executor, latest(executor))

    assert_same_rows(before, snapshot(new_apps, "new"))
    assert_upgraded(ids)

    # New rows go into the renamed tables, with ids after the old ones (on PostgreSQL the identity
    # sequence, still named after the diary's table, goes with its column).
    assert PatientProfile.objects.create(user_id=ids["root"]).pk > ids["profile"]
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["theme"] = "light"
    store.create()
    assert UserSession.objects.get(session_key=store.session_key).get_decoded() == {"theme": "light"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_downgrade_and_upgrade_again_keeps_every_row(executor):
    old_apps = migrate(executor, OLD)
    ids = seed_old_schema(old_apps)
    before = snapshot(old_apps, "old")
    upgraded = snapshot(migrate(executor, latest(executor)), "new")

    # Back to the old schema: the rows are in the diary's tables again, with every value but
    # worklist_version, which cannot come back (clinic 0003 dropped it): it is 0, its default.
    old_apps = migrate(executor, OLD)
    assert_old_schema(old_apps, ids)
    downgraded = snapshot(old_apps, "old")
    assert [row["worklist_version"] for row in downgraded["clinic.ClinicianProfile"]] == [0]
    assert_same_rows(before, downgraded, dropped={}, changed={"clinic.ClinicianProfile": {"worklist_version"}})
    assert "updated_at" not in columns("diary_patientsummary")

    # And up again: the same rows as after the first upgrade; the summary's updated_at is new.
    new_apps = migrate(executor, latest(executor))
    assert_same_rows(upgraded, snapshot(new_apps, "new"), dropped={}, changed={"diary.PatientSummary": {"updated_at"}})
    assert_upgraded(ids)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upgrade_keeps_people_signed_in(executor):
    ids = seed_old_schema(migrate(executor, OLD))
    migrate(executor, latest(executor))

    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=ids["session_key"])
    assert auth.get_user(request).pk == ids["patient"]
