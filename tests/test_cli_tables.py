"""The kinetics command's tables (the docs show them: tests/test_docs_site.py)."""

from __future__ import annotations

import pandas as pd

from plotting.computing.response import assess_response, response_table


def test_response_table_has_one_row_per_response(yu2020):
    responses = [
        assess_response(
            yu2020.measurements,
            yu2020.treatments,
            "Bone RT",
            marker="AFP",
            criterion=criterion,
        )
        for criterion in ("afp-20", "afp-50")
    ]
    table = response_table(responses)
    assert list(table.columns) == [
        "marker",
        "specimen",
        "treatment",
        "criterion",
        "baseline",
        "baseline_date",
        "nadir",
        "nadir_date",
        "days_to_nadir",
        "percent_change",
        "verdict",
        "reason",
    ]
    assert table["criterion"].tolist() == ["afp-20", "afp-50"]
    assert table["verdict"].tolist() == ["response", "not evaluable"]
    assert table["reason"].tolist() == ["", "baseline below 200"]
    first = table.iloc[0]
    assert (first["baseline"], first["nadir"], first["days_to_nadir"]) == (
        187.8,
        2.3,
        123,
    )
    assert first["baseline_date"] == pd.Timestamp("2012-08-01")
    assert response_table([]).shape == (0, 12)
