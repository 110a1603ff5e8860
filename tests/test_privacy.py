"""Personal data: pseudonymous keys, no personal value in messages, no differencing attack."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from fixtures.awrach_tables import (
    assert_invariants,
    base_tables,
    problems_of,
    write_csv_folder,
)

from awrach_analysis import config, i18n
from awrach_analysis.data import privacy
from awrach_analysis.data.load import load
from awrach_analysis.errors import PseudonymKeyError

SECRET = "a-test-secret-of-32-characters!!"
OTHER_SECRET = "another-secret-of-32-characters!"
CINS = ["BE123456", "A12345", "JK987654"]


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.delenv(privacy.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv(privacy.KEY_ENV, SECRET)
    return SECRET


@pytest.fixture
def no_secret(monkeypatch):
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    monkeypatch.delenv(privacy.KEY_FILE_ENV, raising=False)


def _with_cins(tables: dict, keys: list[str]) -> dict:
    for row, key in zip(tables["beneficiaries"], keys, strict=True):
        row["beneficiary_key"] = key
    return tables


def _strings(obj) -> list[str]:
    """Every string inside frames, dicts, lists and problems (cells, columns, index)."""
    out: list[str] = []
    if isinstance(obj, pd.DataFrame):
        out += [str(c) for c in obj.columns] + [str(i) for i in obj.index]
        for col in obj.columns:
            out += [str(v) for v in obj[col].tolist()]
        out += _strings(dict(obj.attrs))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out += [str(k), *_strings(v)]
    elif isinstance(obj, list | tuple):
        for v in obj:
            out += _strings(v)
    else:
        out.append(str(obj))
    return out


def config_tables() -> tuple[str, ...]:
    from awrach_analysis.model.schema import TABLES

    return tuple(TABLES)


def _program_strings(program) -> str:
    parts = []
    for name in config_tables():
        parts += _strings(program.table(name))
    parts += _strings(program.problems) + _strings(program.quarantine) + _strings(program.meta)
    return "\n".join(parts)


# --- pseudonyms ----------------------------------------------------------------------------


def test_looks_like_cin_and_headers():
    assert [privacy.looks_like_cin(x) for x in ("BE123456", "a 12345", "JK987654")] == [True] * 3
    # the sample's keys, project ids and pseudonyms are not CINs
    assert not any(privacy.looks_like_cin(x) for x in ("B22-0001", "P22-001", "B1", "ps-0a1b"))
    assert privacy.is_cin_header("N° CIN") and privacy.is_cin_header("CNIE")
    assert privacy.is_cin_header("رقم البطاقة الوطنية")
    assert not privacy.is_cin_header("clé") and not privacy.is_cin_header("Cinéma")


def test_pseudonym_is_keyed_stable_and_normalised():
    key = SECRET.encode()
    p = privacy.pseudonym("BE123456", key)
    assert p.startswith("ps-") and len(p) == 23 and privacy.is_pseudonym(p)
    assert privacy.pseudonym(" be 123456 ", key) == p  # same person, typed differently
    assert privacy.pseudonym("BE123456", OTHER_SECRET.encode()) != p
    assert privacy.pseudonym("BE123457", key) != p
    assert not privacy.looks_like_cin(p)


def test_same_cin_in_two_files_gets_the_same_pseudonym(tmp_path, secret):
    month1 = write_csv_folder(tmp_path / "m1", _with_cins(base_tables(), CINS))
    t2 = _with_cins(base_tables(), ["be 123456", "XY111111", "A12345"])
    month2 = write_csv_folder(tmp_path / "m2", t2)
    p1, p2 = load(month1), load(month2)
    keys1 = set(p1.beneficiaries["beneficiary_key"])
    keys2 = set(p2.beneficiaries["beneficiary_key"])
    assert len(keys1) == 3 and all(k.startswith("ps-") for k in keys1)
    # BE123456 (K1) and A12345 (K2) are in both months: same pseudonyms; XY111111 is new
    expected = {privacy.pseudonym(c, SECRET.encode()) for c in ("BE123456", "A12345")}
    assert keys1 & keys2 == expected
    assert len(keys2 - keys1) == 1
    for program, cins in ((p1, CINS), (p2, ["123456", "XY111111", "A12345"])):
        text = _program_strings(program)
        assert not any(c in text for c in cins)


def test_duplicates_are_still_found_on_pseudonyms(tmp_path, secret):
    tables = _with_cins(base_tables(), ["BE123456", "BE 123456", "A12345"])  # B1 twice on K1
    program = load(write_csv_folder(tmp_path, tables))
    unique = problems_of(program, "unique")
    assert [p["row"] for p in unique] == [2, 3]
    assert len(program.quarantine["beneficiaries"]) == 2
    assert_invariants(program)
    text = _program_strings(program)
    assert "123456" not in text and "A12345" not in text
    # the same person on two projects still counts once in the summary
    tables = _with_cins(base_tables(), ["BE123456", "A12345", "BE123456"])
    program = load(write_csv_folder(tmp_path / "two", tables))
    assert program.beneficiaries["beneficiary_key"].nunique() == 2
    assert len(program.beneficiaries) == 3


def test_different_key_gives_different_pseudonyms(tmp_path, monkeypatch, secret):
    folder = write_csv_folder(tmp_path, _with_cins(base_tables(), CINS))
    first = set(load(folder).beneficiaries["beneficiary_key"])
    monkeypatch.setenv(privacy.KEY_ENV, OTHER_SECRET)
    second = set(load(folder).beneficiaries["beneficiary_key"])
    assert len(first) == len(second) == 3 and not first & second


def test_missing_key_is_a_clear_error_in_three_languages(tmp_path, no_secret):
    folder = write_csv_folder(tmp_path, _with_cins(base_tables(), CINS))
    with pytest.raises(PseudonymKeyError) as info:
        load(folder)
    err = info.value
    assert err.key == "privacy.key_missing"
    assert set(err.texts) == {"fr", "ar", "en"}
    for lang, text in err.texts.items():
        assert "AWRACH_PSEUDONYM_KEY" in text and "AWRACH_PSEUDONYM_KEY_FILE" in text, lang
    assert "clé secrète" in err.texts["fr"] and "مفتاح" in err.texts["ar"]
    assert "no secret key is set" in str(err)
    assert not any(c in str(err) for c in CINS)
    # data without CINs need no key
    assert len(load(write_csv_folder(tmp_path / "plain", base_tables())).beneficiaries) == 3


def test_missing_key_on_the_command_line(tmp_path):
    folder = write_csv_folder(tmp_path, _with_cins(base_tables(), CINS))
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in (privacy.KEY_ENV, privacy.KEY_FILE_ENV)
    }
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    run = subprocess.run(
        [sys.executable, "-m", "awrach_analysis", "validate", str(folder)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 2
    assert "AWRACH_PSEUDONYM_KEY" in run.stderr and "clé secrète" in run.stderr
    assert not any(c in run.stdout + run.stderr for c in CINS)


def test_validate_text_and_json_quote_no_personal_value(tmp_path):
    tables = _with_cins(base_tables(), CINS)
    tables["beneficiaries"][1]["sex"] = "0661234567"  # a phone in the wrong column
    tables["partners"][0]["home_commune"] = "ahmed@example.ma"
    folder = write_csv_folder(tmp_path, tables)
    env = {**__import__("os").environ, privacy.KEY_ENV: SECRET}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    for extra in ([], ["--json"]):
        run = subprocess.run(
            [sys.executable, "-m", "awrach_analysis", "validate", str(folder), "--lang", "en"]
            + extra,
            capture_output=True,
            text=True,
            env=env,
        )
        assert run.returncode == 1  # errors found, reported
        out = run.stdout + run.stderr
        assert "personal data, not shown" in out
        for secret_value in [*CINS, "0661234567", "ahmed@", SECRET]:
            assert secret_value not in out, (extra, secret_value)
    assert json.loads(run.stdout)["tables"]["beneficiaries"]["quarantined"] == 2


def test_short_key_and_key_file(tmp_path, monkeypatch, no_secret):
    monkeypatch.setenv(privacy.KEY_ENV, "short")
    with pytest.raises(PseudonymKeyError, match="too short"):
        privacy.secret_key()
    monkeypatch.delenv(privacy.KEY_ENV)
    key_file = tmp_path / "awrach.key"
    key_file.write_text(SECRET + "\n", encoding="utf-8")
    monkeypatch.setenv(privacy.KEY_FILE_ENV, str(key_file))
    assert privacy.secret_key() == SECRET.encode()
    if config.IN_CHECKOUT:  # a key file inside the project is refused
        inside = config.PROJECT_DIR / "awrach-test.key"
        monkeypatch.setenv(privacy.KEY_FILE_ENV, str(inside))
        with pytest.raises(PseudonymKeyError) as info:
            privacy.secret_key()
        assert info.value.key == "privacy.key_file_inside"
    monkeypatch.setenv(privacy.KEY_FILE_ENV, str(tmp_path / "absent.key"))
    with pytest.raises(PseudonymKeyError) as info:
        privacy.secret_key()
    assert info.value.key == "privacy.key_file_unreadable"


def test_cin_header_is_the_key_when_there_is_no_key_column(tmp_path, secret):
    tables = base_tables()
    for row, cin in zip(tables["beneficiaries"], ["00123", "77", "BK5"], strict=True):
        row["beneficiary_key"] = cin  # not CIN-shaped: the header alone decides
    folder = write_csv_folder(
        tmp_path, tables, headers={"beneficiaries": {"beneficiary_key": "N° CNIE"}}
    )
    program = load(folder)
    keys = program.beneficiaries["beneficiary_key"].tolist()
    assert len(keys) == 3 and all(privacy.is_pseudonym(k) for k in keys)
    assert not problems_of(program, "personal_data")
    assert "BK5" not in _program_strings(program)


def test_cin_nowhere_in_tables_problems_or_quarantine(tmp_path, secret):
    tables = _with_cins(base_tables(), CINS)
    tables["beneficiaries"][1]["sex"] = "martian"  # quarantined, with its (pseudonymous) key
    tables["beneficiaries"][2]["project_id"] = "K9"  # unknown project: quarantined too
    program = load(write_csv_folder(tmp_path, tables))
    assert len(program.quarantine["beneficiaries"]) == 2
    assert_invariants(program)
    text = _program_strings(program)
    for cin in CINS:
        assert cin not in text and cin.lower() not in text.lower()
    quarantined = program.quarantine["beneficiaries"]
    assert all(privacy.is_pseudonym(k) for k in quarantined.iloc[:, 0])


def _payroll_with_cins(tables: dict) -> dict:
    """The base data set with CINs as keys, and a payroll naming the same people."""
    tables = _with_cins(tables, CINS)
    tables["payroll"] = [
        {"beneficiary_key": "BE 123456", "project_id": "K1", "month": "2022-03",
         "days_worked": "22", "amount_paid_mad": "2200", "Nom et prénom": "Fatima Zahra"},
        {"beneficiary_key": "A12345", "project_id": "K1", "month": "2022-03",
         "days_worked": "trente", "amount_paid_mad": "2200", "Nom et prénom": "Ahmed Alaoui"},
        {"beneficiary_key": "JK987654", "project_id": "K2", "month": "2022-04",
         "days_worked": "40", "amount_paid_mad": "4000", "Nom et prénom": "Said Idrissi"},
    ]  # fmt: skip
    return tables


def test_payroll_keys_are_pseudonymised_like_the_beneficiaries(tmp_path, secret):
    program = load(write_csv_folder(tmp_path, _payroll_with_cins(base_tables())))
    assert_invariants(program)
    # the same person gets the same pseudonym in both tables (BE123456 typed with a space)
    ben = program.beneficiaries.set_index("project_id")["beneficiary_key"]
    paid = program.payroll["beneficiary_key"].astype(str).tolist()
    assert paid == [privacy.pseudonym("BE123456", SECRET.encode())]
    assert paid[0] in set(ben)
    # 'trente' days and 40 days (above 31) are quarantined, without their values or names
    quarantined = program.quarantine["payroll"]
    assert len(quarantined) == 2 and sorted(quarantined["excel_row"]) == [3, 4]
    assert all(privacy.is_pseudonym(k) for k in quarantined.iloc[:, 0])
    text = _program_strings(program)
    for needle in (*CINS, "BE 123456", "trente", "Fatima", "Ahmed", "Said", "Idrissi"):
        assert needle not in text, needle
    days = program.problems[
        (program.problems["table"] == "payroll") & (program.problems["severity"] == "error")
    ]
    assert len(days) == 2
    assert all(m.endswith("(personal data, not shown).") for m in days["message"])


# --- messages about personal cells -----------------------------------------------------------


def test_bad_sex_and_bad_date_in_beneficiaries_are_not_quoted(tmp_path):
    tables = base_tables()
    tables["beneficiaries"][0]["sex"] = "Martienne"
    tables["beneficiaries"][1]["start_date"] = "31/13/1987"
    program = load(write_csv_folder(tmp_path, tables))
    bn = program.problems[program.problems["table"] == "beneficiaries"]
    sex = bn[bn["column"] == "sex"].iloc[0]
    date = bn[bn["column"] == "start_date"].iloc[0]
    for p in (sex, date):
        assert pd.isna(p["value"])
        assert p["message"].endswith("(personal data, not shown).")
        assert p["severity"] == "error" and p["row"] in (2, 3)
        fr, _ = i18n.problem_texts(p.to_dict(), "fr")
        ar, _ = i18n.problem_texts(p.to_dict(), "ar")
        assert "donnée personnelle, non affichée" in fr and "معطى شخصي" in ar
    assert sex["rule"] == "allowed_values" and "accepted values" in sex["message"]
    assert date["rule"] == "type"
    text = "\n".join(
        _strings(program.problems) + _strings(program.quarantine["beneficiaries"]["reasons"])
    )
    assert "Martienne" not in text and "1987" not in text
    assert_invariants(program)


def test_phone_typed_in_a_partner_column_is_not_quoted(tmp_path):
    tables = base_tables()
    tables["partners"][0]["home_commune"] = "06 61 23 45 67"
    program = load(write_csv_folder(tmp_path, tables))
    p = problems_of(program, "commune")[0]
    assert p["value"] is None and "not shown" in p["message"]
    assert "61 23" not in "\n".join(_strings(program.problems) + _strings(program.quarantine))
    assert "(personal data, not shown)" in program.quarantine["partners"].iloc[0].tolist()


def test_a_personal_value_read_as_a_header_is_not_shown(tmp_path):
    # a shifted line or a missing header row: a person's phone and e-mail become headers
    tables = base_tables()
    for row in tables["partners"]:
        row["0661234567"] = "x"
        row["ahmed@example.ma"] = "y"
    tables["partners"][0]["partner_type"] = "martian"  # one row quarantined
    program = load(write_csv_folder(tmp_path, tables))
    assert len(program.quarantine["partners"]) == 1
    text = "\n".join(_strings(program.problems) + _strings(program.quarantine))
    assert "0661234567" not in text and "ahmed@" not in text
    hidden = [p for p in problems_of(program, "unknown_column") if "not shown" in p["column"]]
    assert len(hidden) == 2 and all("not shown" in p["message"] for p in hidden)
    assert_invariants(program)


def test_redact_is_applied_to_every_factory():
    from awrach_analysis.data import problems
    from awrach_analysis.errors import Problem

    made = problems.make(
        "date_far_future",
        "problem.date_far_future",
        severity="warning",
        file="b.csv",
        row=4,
        column="start_date",
        value="2099-01-01",
        table="beneficiaries",
        date="2099-01-01",
        years=5,
        today="2026-12-04",
    )
    assert made.value is None and "2099" not in made.message + made.suggestion
    assert "2099" not in json.dumps(made.to_dict())
    # a header that is a CIN (a file without its header row) is not shown either
    raw = Problem("b.csv", None, 1, "BE123456", None, "unknown_column", "warning", "x", "y", "b")
    safe = privacy.redact(raw)
    assert "BE123456" not in json.dumps(safe.to_dict())
    # header problems keep their wording
    header = Problem("b.csv", None, 1, "N° CIN", None, "personal_data", "warning", "m", "s", "")
    assert privacy.redact(header) is header


# --- disclosure across months and tables --------------------------------------------------

K = config.SMALL_COUNT_THRESHOLD


def _months(program) -> list[pd.Timestamp]:
    from awrach_analysis.analysis import indicators

    last = indicators.default_as_of(program)
    first = min(program.progress["month"].min(), program.beneficiaries["start_date"].min())
    return list(pd.date_range(first.replace(day=1), last, freq="MS"))


def _cells(table: pd.DataFrame, key: str | None) -> dict:
    """Key -> (people, women, youth), None where the cell is hidden ("<5", "x")."""

    def num(v):
        return int(v) if isinstance(v, int | float) and not isinstance(v, bool) else None

    out = {}
    for r in table.to_dict("records"):
        k = "TOTAL" if r["is_total"] else str(r[key])
        out[k] = tuple(num(r[c]) for c in ("people", "women", "youth"))
    return out


def _publications(program) -> dict:
    """Every people breakdown a reader gets, month by month: {month: {level: cells}}."""
    from awrach_analysis.analysis import indicators

    levels = list(indicators.LEVELS)
    if indicators.jobs_to_date(program)["method"] == "beneficiaries":
        levels += list(indicators.PERSON_LEVELS)
    pubs = {}
    for month in _months(program):
        tables = {"province": _cells(indicators.inclusion(program, as_of=month), None)}
        for level in levels:
            table = indicators.inclusion(program, by=level, as_of=month)
            key = indicators.LEVELS[level][0] if level in indicators.LEVELS else level
            tables[level] = _cells(table, key)
        pubs[month] = tables
    return pubs


def _series_publications(program) -> dict:
    """The monthly sex/age figures of the progress series, as a reader gets them.

    ``monthly_jobs`` and ``monthly_breakdown`` of the last report (every month of it),
    and ``breakdown()`` of every month's report, as cells (people, women, youth) keyed
    like :func:`_publications`, with a ``TOTAL`` per table (the province figure).
    """
    from awrach_analysis.analysis import indicators

    cols = ("people_published", "women", "youth")

    def cell(row) -> tuple:
        return tuple(int(row[c]) for c in cols)

    last = indicators.default_as_of(program)
    series = indicators.monthly_jobs(program, as_of=last).set_index("month")
    monthly = {
        level: indicators.monthly_breakdown(program, level, as_of=last)
        for level in indicators.LEVELS
    }
    pubs = {}
    for month in _months(program):
        if month not in series.index:
            continue
        total = cell(series.loc[month])
        tables = {"province": {"TOTAL": total}}
        for level, frame in monthly.items():
            key = indicators.LEVELS[level][0]
            rows = frame[frame["month"] == month]
            tables[level] = {str(r[key]): cell(r) for r in rows.to_dict("records")}
            tables[level]["TOTAL"] = total
            # the same month's breakdown() (a report of that month) must say the same
            now = indicators.breakdown(program, level, as_of=month)
            tables[f"{level} (breakdown)"] = {
                **{str(r[key]): cell(r) for r in now.to_dict("records")},
                "TOTAL": tuple(int(now[c].sum()) for c in cols),
            }
        pubs[month] = tables
    return pubs


def _membership(program) -> dict[tuple[str, str], dict[str, set[str]]]:
    """What a reader knows of the nesting of groups: (parent level, child level) -> sets."""
    cm = program.communes
    nest: dict[tuple[str, str], dict[str, set[str]]] = {}
    for parent, column in (("cercle", "cercle_code"), ("commune_type", "commune_type")):
        groups: dict[str, set[str]] = {}
        for code, p in zip(cm["commune_code"].astype(str), cm[column].astype(str), strict=True):
            groups.setdefault(p, set()).add(code)
        nest[(parent, "commune")] = groups
    partners: dict[str, set[str]] = {}
    for pid, ptype in zip(
        program.partners["partner_id"].astype(str),
        program.partners["partner_type"].astype(str),
        strict=True,
    ):
        partners.setdefault(ptype, set()).add(pid)
    nest[("partner_type", "partner")] = partners
    return nest


def _combine(terms) -> tuple | None:
    """Sum of signed cells (sign, (people, women, youth)); None where a part is hidden."""
    out = []
    for i in range(3):
        values = [sign * cell[i] if cell[i] is not None else None for sign, cell in terms]
        out.append(None if None in values else sum(values))
    return tuple(out)


def _disclosed(derived: tuple) -> bool:
    people, women, youth = derived
    return people is not None and 0 < abs(people) < K and (women, youth) != (None, None)


def _attack(program, seed: int, tries: int = 30, pubs: dict | None = None) -> list[str]:
    """Subtract published figures as a reader would; return what pins < K people."""
    rng = random.Random(seed)
    pubs = _publications(program) if pubs is None else pubs
    nest = _membership(program)
    months = sorted(pubs)
    found: list[str] = []

    def check(label, terms):
        if any(cell is None for _, cell in terms):
            return
        derived = _combine(terms)
        if _disclosed(derived):
            found.append(f"{label}: {derived}")

    def nested_terms(tables, parent_level, child_level, parent, children):
        return [(1, tables[parent_level].get(parent))] + [
            (-1, tables[child_level].get(c)) for c in children
        ]

    for t, month in enumerate(months):
        tables = pubs[month]
        province = tables["province"]["TOTAL"]
        for level, cells in tables.items():  # each breakdown's total vs the province
            check(f"{month:%Y-%m} {level} total vs province", [(1, cells["TOTAL"]), (-1, province)])
        subsets = []
        for (parent_level, child_level), groups in nest.items():
            if parent_level not in tables or child_level not in tables:
                continue
            for parent, members in groups.items():
                shown = sorted(m for m in members if m in tables[child_level])
                if parent not in tables[parent_level] or not shown:
                    continue
                picks = [shown] + [
                    rng.sample(shown, rng.randint(1, len(shown))) for _ in range(tries)
                ]
                for pick in picks:
                    subsets.append((parent_level, child_level, parent, pick))
                    check(
                        f"{month:%Y-%m} {parent_level} {parent} - {len(pick)} {child_level}",
                        nested_terms(tables, parent_level, child_level, parent, pick),
                    )
        if t == 0:
            continue
        before = pubs[months[t - 1]]
        for level, cells in tables.items():  # same group, consecutive months
            for key, cell in cells.items():
                if key in before[level]:
                    check(
                        f"{month:%Y-%m} {level} {key} minus month before",
                        [(1, cell), (-1, before[level][key])],
                    )
                else:
                    check(f"{month:%Y-%m} {level} {key} new", [(1, cell)])
        for parent_level, child_level, parent, pick in subsets:  # both at once
            now = nested_terms(tables, parent_level, child_level, parent, pick)
            then = nested_terms(before, parent_level, child_level, parent, pick)
            if any(c is None for _, c in now + then):
                continue
            check(
                f"{month:%Y-%m} ({parent_level} {parent} - {len(pick)} {child_level}) "
                "minus month before",
                now + [(-sign, cell) for sign, cell in then],
            )
    return found


def _published_states(program) -> list[str]:
    """The strongest reader: per project, published people 0 or >= K, moving by 0 or >= K."""
    from awrach_analysis.analysis import indicators

    bad = []
    previous = None
    for month in _months(program):
        sel = indicators._Selection(program, None, month)
        people = dict(zip(sel.p["project_id"], sel.published()["people"], strict=True))
        for pid, n in people.items():
            change = n - (previous or {}).get(pid, 0)
            if 0 < n < K or 0 < abs(change) < K:
                bad.append(f"{month:%Y-%m} {pid}: {n} people, change {change}")
        previous = people
    return bad


@pytest.fixture(scope="module")
def sample_program():
    return load(config.SAMPLE_DIR)


@pytest.fixture(scope="module")
def generated_program(tmp_path_factory):
    from awrach_analysis.data.sample import generate, write_sample

    folder = tmp_path_factory.mktemp("ifrane")
    write_sample(generate("Ifrane"), folder)
    return load(folder)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample_program", "generated_program"])
def test_differencing_attack_never_pins_fewer_than_5_people(which, request):
    program = request.getfixturevalue(which)
    assert len(_months(program)) >= 12
    assert _published_states(program) == []
    pubs = _publications(program)
    for seed in (1, 2, 3):
        assert _attack(program, seed, pubs=pubs) == []


@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample_program", "generated_program"])
def test_differencing_attack_on_the_monthly_series_and_breakdowns(which, request):
    """monthly_jobs, monthly_breakdown and breakdown() women/youth: one rule, no leak."""
    from awrach_analysis.analysis import indicators

    program = request.getfixturevalue(which)
    pubs = _series_publications(program)
    assert len(pubs) >= 12
    for month, tables in pubs.items():
        # one rule: the series' figure of a month is the inclusion table of that month's
        # report, before small-cell suppression (the published state of the rule)
        sel = indicators._Selection(program, None, month)
        shown = sel.published()
        expected = tuple(int(shown[k].sum()) for k in ("people", "women", "youth"))
        assert tables["province"]["TOTAL"] == expected, month
        for level in indicators.LEVELS:  # and breakdown() of that month agrees with it
            series, report = tables[level], tables[f"{level} (breakdown)"]
            for key, value in series.items():  # groups not signed yet show zeros
                assert report.get(key, (0, 0, 0)) == value, (month, level, key)
    for seed in (1, 2):
        assert _attack(program, seed, tries=10, pubs=pubs) == []


@pytest.mark.slow
def test_the_attack_wins_on_the_monthly_report_counts(sample_program):
    """The series attack is real: the reports' monthly women counts (the old figures) leak."""
    from awrach_analysis.analysis import indicators

    pr = sample_program.progress
    pr = pr[pr["month"] <= indicators.default_as_of(sample_program)]
    commune = sample_program.projects.set_index("project_id")["commune_code"].astype(str)
    pr = pr.assign(commune=pr["project_id"].map(commune))
    cols = ["jobs_filled", "women", "youth"]
    pubs: dict = {}
    for (month, code), row in pr.groupby(["month", "commune"])[cols].sum().iterrows():
        tables = pubs.setdefault(month, {"province": {}, "commune": {}})
        tables["commune"][code] = tuple(int(v) for v in row)
    for tables in pubs.values():
        total = tuple(sum(c[i] for c in tables["commune"].values()) for i in range(3))
        tables["province"]["TOTAL"] = tables["commune"]["TOTAL"] = total
    found = _attack(sample_program, seed=1, tries=1, pubs=pubs)
    assert any("commune" in f and "minus month before" in f for f in found)


@pytest.mark.slow
def test_the_attack_succeeds_on_unprotected_counts(sample_program, monkeypatch):
    """The attack is real: on the counts as they were published before the rule, it wins."""
    import functools

    from awrach_analysis.analysis import breakdowns

    unprotected = functools.partial(breakdowns._people_table, protect=False)
    monkeypatch.setattr(breakdowns, "_people_table", unprotected)
    found = _attack(sample_program, seed=1, tries=5)
    assert found
    # the sample's last month with a hire, November 2023: one hire, all other cells unchanged
    assert any(f.startswith("2023-11 province TOTAL minus month before: (1,") for f in found)


def test_headline_shares_do_not_move_with_one_hire(sample_program):
    from awrach_analysis.analysis import indicators

    head = indicators.headline(sample_program, as_of="2023-11").set_index("indicator")
    assert head.loc["jobs_to_date", "change"] == 1  # one November hire ...
    assert head.loc["women_share", "change"] == 0  # ... whose sex the shares do not tell
    assert head.loc["youth_share", "change"] == 0
    total = indicators.inclusion(sample_program, as_of="2023-11")
    assert total["women_share"].iloc[0] == head.loc["women_share", "value"]
    assert total.attrs["unpublished"] == 2357 - int(total["people"].iloc[0])


def test_release_rule_by_hand():
    import numpy as np

    from awrach_analysis.analysis import disclosure

    people = np.array([[1, 4, 6, 8, 11, 11], [0, 0, 0, 3, 3, 3], [5, 5, 9, 10, 10, 15]])
    assert disclosure.release_index(people).tolist() == [
        [-1, -1, 2, 2, 4, 4],
        [-1, -1, -1, -1, -1, -1],
        [0, 0, 0, 3, 3, 5],
    ]
    # a table by age band moves when every band changed by 0 or >= 5
    groups = np.array([0] * 5 + [1] * 2 + [1] * 3)
    entry = np.array([0] * 5 + [1] * 2 + [2] * 3)
    assert disclosure.table_index(groups, entry, 4).tolist() == [0, 0, 2, 2]


def test_entry_month_by_hand_and_in_blocks(monkeypatch):
    import numpy as np

    from awrach_analysis.analysis import disclosure

    releases = disclosure.release_index(np.array([[1, 4, 6, 8, 11, 11], [0, 0, 0, 3, 3, 3]]))
    # releases: [[-1, -1, 2, 2, 4, 4], [-1] * 6]
    project = np.array([0, 0, 0, 0, 0, 1, 0, 0])
    start = np.array([0, 2, 3, 4, 5, 0, -1, 6])
    expected = [2, 2, 4, 4, -1, -1, -1, -1]  # start 5: no release at or after it; 6: off grid
    assert disclosure.entry_month(releases, project, start).tolist() == expected
    monkeypatch.setattr(disclosure, "_BLOCK", 3)  # people compared three at a time
    assert disclosure.entry_month(releases, project, start).tolist() == expected
    assert disclosure.entry_month(releases, project[:0], start[:0]).tolist() == []
