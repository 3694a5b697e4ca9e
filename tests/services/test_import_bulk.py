"""A large import takes shortcuts (figures counted once, indexes built once): what it stores is
what a row-by-row import stores."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmtui.db import Customer, GradeChange
from crmtui.db.figures import FIGURE_TABLES, figures_out_of_step
from crmtui.db.grade_days import TRIGGER_INDEX as GRADE_DAYS_INDEX
from crmtui.db.grade_days import grade_days_out_of_step
from crmtui.services.customers import add_customer
from crmtui.errors import InvalidInput
from crmtui.services.transfer import checking
from crmtui.services.transfer.importer import import_file
from crmtui.services.transfer.records import SourceFile
from crmtui.services.validation import clean_fields
from tests.conftest import NOW, TODAY

HEADER = "name,phones,need,expected_close,expected_amount,grade,source,deal_status,status\n"


def _random_rows(seed: int, count: int) -> str:
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        need = rng.choice(["明显需求", "潜在需求", "无需求", ""])
        close = f"2026/{rng.randint(10, 12)}/{rng.randint(1, 28)}" if rng.random() < 0.6 else ""
        amount = str(rng.randint(1, 90) * 1000) if rng.random() < 0.7 else ""
        lines.append(
            ",".join(
                [
                    f"客户{n}",
                    f"139{n:08d}",
                    need,
                    close,
                    amount,
                    rng.choice(["", "A", "B", "C", "D", "E"]),
                    rng.choice(["", "营销", "转介绍", "canvass"]),
                    rng.choice(["", "won", "negotiating"]),
                    rng.choice(["", "existing", "intent", "terminated"]),
                ]
            )
        )
    return HEADER + "\n".join(lines) + "\n"


def _figures(ctx) -> dict[str, list[tuple]]:
    return {
        table: sorted(ctx.store.db.execute_sql(f'SELECT * FROM "{table}"').fetchall(), key=repr)
        for table in FIGURE_TABLES
    }


def _triggers(ctx, backend) -> list[tuple[str, str]]:
    """Each trigger with its statement (SQLite) or whether it fires (PostgreSQL)."""
    rows = ctx.store.db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        if backend == "sqlite"
        else "SELECT t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema()) "
        "ORDER BY 1"
    ).fetchall()
    return [tuple(row) for row in rows]


def test_a_large_import_counts_the_kept_figures_as_their_triggers_do(
    ctx, tmp_path, monkeypatch, backend
):
    import crmtui.db.bulk as bulk
    import crmtui.services.transfer.importer as importer
    import crmtui.services.transfer.loading as loading

    for n in range(3):
        add_customer(ctx, {"name": f"Stored {n}", "need": "clear", "expected_amount": "5000"})
    path = tmp_path / "in.csv"
    path.write_text(_random_rows(7, 60), encoding="utf-8")
    triggers = _triggers(ctx, backend)
    assert len(triggers) > 20
    recounts = []
    fill = bulk.fill_figures
    monkeypatch.setattr(
        bulk, "fill_figures", lambda db, only: recounts.append(only) or fill(db, only)
    )

    # row by row: no index deferred, each customer counted by the figures' triggers
    monkeypatch.setattr(importer, "BATCH", 1)
    monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 10**9)
    assert import_file(ctx, path).imported == 60
    assert recounts == []
    by_trigger = _figures(ctx)
    Customer.delete().where(Customer.name.startswith("客户")).execute()

    # a large load: the triggers dropped, the figures counted once at the end
    monkeypatch.setattr(importer, "BATCH", 7)
    monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 10)
    assert import_file(ctx, path).imported == 60
    assert recounts and "grade_tally" in recounts[0] and "pipeline_day" in recounts[0]
    assert _figures(ctx) == by_trigger
    assert _triggers(ctx, backend) == triggers
    assert not any(figures_out_of_step(ctx.store.db).values())
    # and the triggers count what comes after
    add_customer(ctx, {"name": "Later", "need": "clear", "expected_amount": "700"})
    assert not any(figures_out_of_step(ctx.store.db).values())


def test_a_trigger_writing_other_tables_stays_through_a_large_import(
    ctx, tmp_path, monkeypatch, backend
):
    """Only the figures' triggers, whose tables can be counted again, are set aside."""
    import crmtui.services.transfer.importer as importer
    import crmtui.services.transfer.loading as loading

    db = ctx.store.db
    db.execute_sql('CREATE TABLE "arrivals" ("customer_id" INTEGER)')
    if backend == "sqlite":
        db.execute_sql(
            'CREATE TRIGGER "figures_arrivals" AFTER INSERT ON "customer" BEGIN '
            'INSERT INTO "arrivals" VALUES (NEW."id"); END'
        )
    else:
        db.execute_sql(
            'CREATE FUNCTION "figures_arrivals"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            'INSERT INTO "arrivals" VALUES (NEW."id"); RETURN NULL; END $$'
        )
        db.execute_sql(
            'CREATE TRIGGER "figures_arrivals" AFTER INSERT ON "customer" FOR EACH ROW '
            'EXECUTE FUNCTION "figures_arrivals"()'
        )
    monkeypatch.setattr(importer, "BATCH", 7)
    monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 10)
    path = tmp_path / "in.csv"
    path.write_text(_random_rows(3, 30), encoding="utf-8")
    assert import_file(ctx, path).imported == 30
    assert db.execute_sql('SELECT count(*) FROM "arrivals"').fetchone()[0] == 30
    assert not any(figures_out_of_step(db).values())


def _grade_changes(ctx) -> list[tuple]:
    """Each imported customer's grade changes as stored, with their neighbouring days."""
    query = (
        GradeChange.select(
            Customer.name,
            GradeChange.on,
            GradeChange.from_grade,
            GradeChange.to_grade,
            GradeChange.reason,
            GradeChange.by,
            GradeChange.prev_on,
            GradeChange.next_on,
        )
        .join(Customer)
        .where(Customer.name.startswith("客户"))
        .tuples()
    )
    return sorted(query, key=repr)


def test_a_large_import_writes_the_grade_changes_a_row_by_row_one_does(
    ctx, tmp_path, monkeypatch, backend
):
    """The trigger that finds a change's neighbouring days is set aside for a large load (an
    imported customer's first change has none) with the index it reads, and both come back."""
    import crmtui.services.transfer.importer as importer
    import crmtui.services.transfer.loading as loading

    for n in range(3):
        add_customer(ctx, {"name": f"Stored {n}", "need": "clear", "expected_amount": "5000"})
    db = ctx.store.db
    triggers = _triggers(ctx, backend)
    indexes = sorted(index.name for index in db.get_indexes("grade_change"))
    assert GRADE_DAYS_INDEX in indexes
    seen: list[tuple[bool, bool]] = []  # (trigger there, index there) as changes go in
    insert = loading.bulk_insert

    def watched(model, fields, rows, **options):
        if model is GradeChange:
            names = {name for name, *_rest in _triggers(ctx, backend)}
            held = {index.name for index in db.get_indexes("grade_change")}
            enabled = (
                backend == "sqlite" or dict(_triggers(ctx, backend)).get("grade_days_insert") == "O"
            )
            seen.append(("grade_days_insert" in names and enabled, GRADE_DAYS_INDEX in held))
        return insert(model, fields, rows, **options)

    for seed in (5, 6, 7):
        path = tmp_path / f"in{seed}.csv"
        path.write_text(_random_rows(seed, 40 + seed), encoding="utf-8")

        monkeypatch.setattr(importer, "BATCH", 1)
        monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 10**9)
        assert import_file(ctx, path).imported == 40 + seed
        by_trigger = _grade_changes(ctx)
        Customer.delete().where(Customer.name.startswith("客户")).execute()

        seen.clear()
        monkeypatch.setattr(loading, "bulk_insert", watched)
        monkeypatch.setattr(importer, "BATCH", 7)
        monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 10)
        assert import_file(ctx, path).imported == 40 + seed
        monkeypatch.setattr(loading, "bulk_insert", insert)
        assert set(seen) == {(False, False)}
        assert _grade_changes(ctx) == by_trigger
        assert _triggers(ctx, backend) == triggers
        assert sorted(index.name for index in db.get_indexes("grade_change")) == indexes
        assert grade_days_out_of_step(db) == 0
        # the trigger keeps the days of a later change again
        first = Customer.select().where(Customer.name.startswith("客户")).order_by(Customer.id)
        customer = first.get()
        GradeChange.insert(
            customer=customer,
            at=NOW,
            on=TODAY + timedelta(days=3),
            from_grade="D",
            to_grade="C",
            reason="later",
            by=ctx.user.id,
        ).execute()
        assert grade_days_out_of_step(db) == 0
        assert _grade_changes(ctx) != by_trigger
        Customer.delete().where(Customer.name.startswith("客户")).execute()


# -- each (field, text) cleaned once per file ------------------------------------------------------

_TEXTS = {
    "name": ["张三", "", "  Zhang   San ", "x" * 201, "a\x1bb"],
    "company": ["重庆华信科技有限公司", "", "Acme,  Inc."],
    "title": ["经理", "CEO", ""],
    "phones": ["139 0000 0000", "12", "+86 138-0000-0000; 010-1234567", "", "138/139"],
    "email": ["a@b.cn", "bad@", "A@B.COM", ""],
    "address": ["1 High St\nSuite 2", ""],
    "tags": ["vip, North", "a;b，c", ""],
    "notes": ["line one\nline two", "", "y" * 300],
    "need": ["明显需求", "clear", "潜在需求", "maybe", ""],
    "expected_close": ["2026/12/1", "2026年1月2日", "tomorrow", "2026/13/40", ""],
    "expected_amount": ["¥1.2万", "abc", "-5", "1.234", "12,000", ""],
    "credit_limit": ["8k", "1e3", ""],
    "source": ["营销", "marketing", "nope", ""],
    "cadence": ["weekly", "每周", "sometimes", ""],
    "status": ["existing", "潜在", "x", ""],
    "deal_status": ["won", "", "lost"],
    "bogus": ["anything"],
}
_records = st.lists(
    st.dictionaries(
        st.sampled_from(sorted(_TEXTS)),
        st.one_of(st.sampled_from(sum(_TEXTS.values(), [])), st.text(max_size=12)),
    ),
    min_size=1,
    max_size=30,
)


def _cleaned_by_the_form(values: dict[str, str]) -> tuple[dict, dict]:
    """What the importer did before it remembered answers: every field converted from its
    spreadsheet spelling, then the form's clean_fields."""
    values = dict(values)
    for key in checking._CONVERTED.keys() & values.keys():
        values[key] = checking._CONVERTED[key](key, values[key])
    try:
        return clean_fields(values, TODAY), {}
    except InvalidInput as error:
        return {}, error.errors


def test_remembered_field_answers_are_the_forms_answers(ctx):
    checker = checking.Checker(ctx, SourceFile(kind="csv"), None)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_records)
    def check(records):
        for values in records:  # one checker for all: later records meet remembered texts
            errors: dict[str, str] = {}
            cleaned = checker._clean_fields(dict(values), errors)
            expected_cleaned, expected_errors = _cleaned_by_the_form(values)
            assert list(cleaned.items()) == list(expected_cleaned.items())
            assert list(errors.items()) == list(expected_errors.items())

    check()
    assert checker._cleaned  # answers were remembered (and reused across the examples)


# -- chunks without a duplicate are taken whole ----------------------------------------------------


def _rows_with_duplicates(rng: random.Random, count: int) -> str:
    """Records sharing phones and e-mails with each other and with stored customers, some bad,
    some with a phone written twice."""
    lines = []
    for n in range(count):
        phone = f"139{rng.randrange(count * 2):08d}"
        phones = rng.choice([phone, f"{phone}, +86 {phone}", f"138{n:08d}", ""])
        email = rng.choice(["", f"p{rng.randrange(count)}@example.cn", f"solo{n}@example.cn"])
        grade = rng.choice(["", "A", "D", "Z"])  # Z is refused
        lines.append(f"客户{n},{phones!r},{email},{grade}".replace("'", '"'))
    return "name,phones,email,grade\n" + "\n".join(lines) + "\n"


def test_the_duplicates_found_chunk_by_chunk_are_those_found_record_by_record(
    ctx, tmp_path, monkeypatch, backend
):
    import crmtui.services.transfer.importer as importer

    for n in range(5):
        add_customer(ctx, {"name": f"Stored {n}", "phones": f"139{n * 7:08d}"})
    add_customer(ctx, {"name": "Stored mail", "email": "P3@example.cn"})

    def imported(path, batch: int, whole_chunks: bool) -> tuple[dict, list[tuple]]:
        monkeypatch.setattr(importer, "BATCH", batch)
        if not whole_chunks:
            monkeypatch.setattr(importer._Duplicates, "none_in", lambda self, chunk: False)
        report = import_file(ctx, path, skip_bad=True).to_json()
        monkeypatch.undo()
        stored = (
            Customer.select(Customer.id, Customer.name, Customer.phones, Customer.email)
            .where(Customer.name.startswith("客户"))
            .order_by(Customer.id)
            .tuples()
        )
        rows = [tuple(row) for row in stored]
        cares = GradeChange.select().join(Customer).where(Customer.name.startswith("客户")).count()
        assert cares == len(rows)
        Customer.delete().where(Customer.name.startswith("客户")).execute()
        return report, rows

    for seed in range(4):
        rng = random.Random(seed)
        path = tmp_path / f"dup{seed}.csv"
        path.write_text(_rows_with_duplicates(rng, 60), encoding="utf-8")
        one_by_one = imported(path, 1, whole_chunks=False)
        report, rows = one_by_one
        assert report["duplicates"] and report["rejected"] and rows
        for batch in (7, 25, 1000):
            chunked = imported(path, batch, whole_chunks=True)
            for got in (chunked[0], report):
                got.pop("first_id", None), got.pop("last_id", None)
            assert chunked[0] == report
            # the same records in, with ids from the first free one on
            first = rows[0][0]
            assert [row[1:] for row in chunked[1]] == [row[1:] for row in rows]
            assert chunked[1][0][0] >= first
