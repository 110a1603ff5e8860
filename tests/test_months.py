"""One month type and one ordinal (model.months), hand-checked values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from awrach_analysis.analysis import indicators
from awrach_analysis.model import months

T = pd.Timestamp


def test_one_ordinal_origin_and_its_inverse():
    assert months.ordinal("1970-01") == 0
    assert months.ordinal(T("2022-05-17")) == 52 * 12 + 4  # 628
    assert months.from_ordinal(628) == T("2022-05-01")
    for n in (0, 11, 12, 628, 671):
        assert months.ordinal(months.from_ordinal(n)) == n
    # the array forms agree with the scalar ones, a missing date gives -1
    col = pd.Series(pd.to_datetime(["2022-05-31", None, "1970-02-01"]))
    assert months.ordinals(col).tolist() == [628, -1, 1]
    assert list(months.from_ordinals(np.array([628, 1]))) == [T("2022-05-01"), T("1970-02-01")]


def test_month_text_range_and_parsing():
    assert months.to_month(pd.Period("2023-02", freq="M")) == T("2023-02-01")
    assert months.month_text("2023-02-28") == "2023-02"
    assert months.month_range("2022-11-15", "2023-01") == [
        T("2022-11-01"),
        T("2022-12-01"),
        T("2023-01-01"),
    ]
    assert months.month_range("2023-02", "2023-01") == []
    assert months.month_or_none(None) is None and months.month_or_none(pd.NaT) is None
    with pytest.raises(ValueError, match="write it as 'YYYY-MM'"):
        months.to_month("June")


def test_indicators_use_the_one_helper():
    assert indicators.to_month is months.to_month
