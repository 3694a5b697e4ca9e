"""A large import writes SQLite's search index with its load settings (crmtui.db.search.
loading_settings): every search finds the same customers as in an index built the old way, with
FTS5's defaults, over the same documents; and the settings are put back after the load."""

from __future__ import annotations

import csv
import random

import pytest

from crmtui.db.search import FTS_TABLE, LOAD_SETTINGS
from crmtui.demo import people
from crmtui.search import fts_query, query_terms
from crmtui.services.customers import search_ids
from crmtui.services.transfer.importer import import_file

REPS = ("rita", "ray")  # rita is rep_ctx
# An index made as it was before the load settings: FTS5's defaults, one document at a time.
_REFERENCE_DDL = """CREATE VIRTUAL TABLE reference_fts USING fts5(
    search_doc, content='customer', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"""


def _customers(seed: int, count: int) -> list[dict[str, str]]:
    """Chinese and Latin names (some with accents and apostrophes), companies, mobiles and
    landlines written every way a spreadsheet has them, e-mails, owners."""
    rng = random.Random(seed)
    latin = ["Anna", "José", "Zoë", "Li", "Wang", "O'Brien", "Mary-Ann", "Smith", "Müller"]
    rows = []
    for n in range(count):
        if rng.random() < 0.6:
            name = rng.choice(people.SURNAMES) + rng.choice(people.GIVEN)
            company = (
                f"{rng.choice(people.CITIES)}{rng.choice(people.CN_WORDS)}"
                f"{rng.choice(people.CN_TRADES)}有限公司"
            )
            phone = f"1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}"
        else:
            name = f"{rng.choice(latin)} {rng.choice(people.LAST_NAMES)}"
            company = f"{rng.choice(people.EN_WORDS)} {rng.choice(people.EN_TRADES)}"
            phone = f"+1 555 {rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"
        if rng.random() < 0.3:
            phone += f", 0{rng.randint(10, 29)}-{rng.randint(1000000, 9999999)}"
        email = (
            f"{name.split()[0].lower()}.{n}@example.{rng.choice(['com', 'cn'])}"
            if rng.random() < 0.7
            else ""
        )
        rows.append(
            {"name": name, "company": company, "phones": phone, "email": email,
             "owner": rng.choice(REPS)}
        )
    return rows


def _queries(customers: list[dict[str, str]], seed: int) -> list[str]:
    """What people type: the first 1–3 letters of anything, whole and partial words of names
    and companies, pinyin in full and as initials, phone fragments, e-mail addresses with
    their punctuation (a phrase to the index), several terms at once, and strings that match
    nothing."""
    from crmtui.search import search_document

    rng = random.Random(seed)
    typed = ["a", "z", "zh", "zha", "1", "13", "138", "555", "北", "北京", "有限", "o'b",
             "jose", "josé", "zoe", "mary-ann", "li wang", "example com", "zzzq", "9999999"]
    for customer in rng.sample(customers, 60):
        document = search_document(customer["name"], customer["company"], customer["phones"],
                                   customer["email"])
        tokens = document.replace(" · ", " ").split()
        token = rng.choice(tokens)
        digits = "".join(ch for ch in customer["phones"] if ch.isdigit())
        start = rng.randrange(len(digits) - 3)
        typed += [
            token[: rng.randint(1, 3)],
            token,
            token[: rng.randint(1, len(token))],
            digits[start : start + rng.randint(3, 7)],
            customer["name"],
            customer["name"].split()[0][:4],
            f"{rng.choice(tokens)[:2]} {rng.choice(tokens)[:3]}",
            customer["company"][:2],
        ]
        if customer["email"]:
            address = customer["email"]
            typed += [address, address[: rng.randint(2, len(address))]]
    return typed


def _reference_ids(ctx, text: str, owner_id: int | None) -> list[int]:
    if not query_terms(text):
        return []
    sql = "SELECT f.rowid FROM reference_fts f JOIN customer c ON c.id = f.rowid " \
          "WHERE reference_fts MATCH ?"
    params: tuple[object, ...] = (fts_query(text),)
    if owner_id is not None:
        sql += " AND c.owner_id = ?"
        params += (owner_id,)
    return sorted(row[0] for row in ctx.store.db.execute_sql(sql, params))


def _write_csv(path, customers) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(customers[0]))
        writer.writeheader()
        writer.writerows(customers)


def _stored_settings(ctx) -> dict[str, int]:
    return dict(
        ctx.store.db.execute_sql(
            f"SELECT k, v FROM {FTS_TABLE}_config WHERE k IN ('hashsize', 'automerge')"
        ).fetchall()
    )


def test_an_imported_index_finds_what_an_index_made_document_by_document_finds(
    sqlite_only, ctx, rep_ctx, tmp_path, monkeypatch
):
    import crmtui.services.transfer.importer as importer
    import crmtui.services.transfer.loading as loading

    seen: list[dict[str, int]] = []
    index = loading.index_search_documents

    def watched(connection, first_id, last_id):
        seen.append(
            dict(connection.execute(f"SELECT k, v FROM {FTS_TABLE}_config").fetchall())
        )
        index(connection, first_id, last_id)

    monkeypatch.setattr(loading, "index_search_documents", watched)
    monkeypatch.setattr(importer, "BATCH", 37)  # many statements: many segments to merge
    customers = _customers(5, 1500)
    path = tmp_path / "customers.csv"
    _write_csv(path, customers)
    report = import_file(ctx, path, skip_bad=True)
    assert report.imported > 1400
    # the load wrote the index with its settings, and put FTS5's defaults back after it
    assert len(seen) > 30
    assert all(setting.items() >= LOAD_SETTINGS.items() for setting in seen)
    assert _stored_settings(ctx) == {"hashsize": 1024 * 1024, "automerge": 4}
    db = ctx.store.db
    db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")

    db.execute_sql(_REFERENCE_DDL)
    for (customer_id,) in db.execute_sql("SELECT id FROM customer ORDER BY id").fetchall():
        db.execute_sql(
            "INSERT INTO reference_fts(rowid, search_doc) SELECT id, search_doc FROM customer "
            "WHERE id = ?",
            (customer_id,),
        )
    queries = _queries(customers, 9)
    assert len(queries) > 500
    found_some = 0
    for text in queries:
        everyone = _reference_ids(ctx, text, None)
        assert sorted(search_ids(ctx, text, limit=10**6)) == everyone, text
        mine = _reference_ids(ctx, text, rep_ctx.user.id)
        assert sorted(search_ids(rep_ctx, text, limit=10**6, everyone=False)) == mine, text
        found_some += bool(everyone)
    assert found_some > len(queries) * 0.8


def test_a_load_puts_back_the_settings_it_found(sqlite_only, ctx, tmp_path):
    db = ctx.store.db
    db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', 2)")
    path = tmp_path / "customers.csv"
    _write_csv(path, _customers(6, 40))
    assert import_file(ctx, path, skip_bad=True).imported == 40
    assert _stored_settings(ctx) == {"automerge": 2, "hashsize": 1024 * 1024}


def test_a_failed_load_leaves_the_settings_as_they_were(sqlite_only, ctx, tmp_path, monkeypatch):
    import crmtui.services.transfer.importer as importer

    monkeypatch.setattr(importer, "BATCH", 7)  # the load has begun when the bad record comes
    customers = _customers(7, 40)
    customers[30]["email"] = "not an address"
    path = tmp_path / "customers.csv"
    _write_csv(path, customers)
    report = import_file(ctx, path)  # a bad record: nothing is imported
    assert report.rejected and not report.committed
    assert _stored_settings(ctx) == {}


@pytest.fixture(autouse=True)
def _reps(rep_ctx):
    """rita and ray, the owners the file names."""
