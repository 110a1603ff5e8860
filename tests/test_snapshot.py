"""Snapshots: a validated data set read back whole, so a report's kernel validates nothing."""

import pandas as pd
from fixtures.awrach_tables import base_tables, write_csv_folder

from awrach_analysis.data import snapshot
from awrach_analysis.data.load import load
from awrach_analysis.documents import report
from awrach_analysis.model.schema import TABLES


def _same(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(a.table(name), b.table(name), check_exact=True)
    assert sorted(a.quarantine) == sorted(b.quarantine)
    for name, frame in a.quarantine.items():
        pd.testing.assert_frame_equal(frame, b.quarantine[name])
    pd.testing.assert_frame_equal(a.problems, b.problems)
    pd.testing.assert_frame_equal(a.communes, b.communes)
    for attr in ("province_code", "province", "is_sample", "rows_read", "source", "fingerprint"):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert a.meta == b.meta


def test_a_program_with_problems_and_quarantine_comes_back_whole(tmp_path):
    tables = base_tables()
    tables["progress"][0]["jobs_filled"] = "douze"  # quarantined, with its reason
    tables["beneficiaries"][1]["sex"] = "martian"  # a personal cell: not quoted
    program = load(write_csv_folder(tmp_path / "in", tables))
    assert len(program.quarantine["progress"]) == 1 and len(program.problems) >= 2
    folder = snapshot.write_snapshot(program, tmp_path / "snap")
    assert snapshot.is_snapshot(folder) and not snapshot.is_snapshot(tmp_path / "in")
    _same(program, snapshot.read_snapshot(folder))
    _same(program, load(folder))  # load() recognises a snapshot
    assert isinstance(load(folder).problems["params"].iloc[0], tuple)


def test_the_bundled_sample_and_its_compact_dtypes_come_back_whole(tmp_path):
    program = load()
    _same(program, load(snapshot.write_snapshot(program, tmp_path)))


def test_a_report_kernel_is_given_the_snapshot_but_the_report_key_is_the_data(tmp_path):
    program = load()
    jobs = report.plan_jobs(
        program,
        ["2023-12"],
        ["fr"],
        out_dir=tmp_path,
        notebook=report.default_notebook(),
    )
    import dataclasses

    job = jobs[0]
    frozen = dataclasses.replace(job, snapshot=str(tmp_path / "snap"))
    assert frozen.parameters()["data_path"] == str(tmp_path / "snap")
    assert job.parameters()["data_path"] == str(program.source.resolve())
    assert frozen.key == job.key  # a new temporary folder does not make the report stale
