"""Charts of the programme: plotly figures for screens, matplotlib twins for print and slides.

Naming: ``name(frames..., lang="fr")`` returns a ``plotly.graph_objects.Figure``;
``name_mpl(frames..., lang="fr", ax=None)`` draws the same chart with matplotlib and
returns the Axes. Every function is pure: it takes the frames returned by
:mod:`awrach_analysis.analysis.indicators` (never the ``Program``) and changes none of them.

Common keyword arguments: ``context`` ("report", "slides" or "print": sizes, see
:mod:`awrach_analysis.figures.style`), ``source`` (True: the standard source line; a string: that
line; False: none) and ``sample`` (True when the data are the synthetic sample; the
standard source line says so). Saving is separate: :func:`awrach_analysis.figures.save_figure`.

Every text that comes from data (commune, partner and project names) is HTML-escaped
before it reaches a plotly figure, and trace ``uid``s are fixed, so the same frames give
the same figure JSON.

The charts live in one module per family; this module is the public entry point and
re-exports every name of them: :mod:`.chart_base` (shared helpers), :mod:`.progress_charts`
(burn-up, jobs by month), :mod:`.commune_charts` (ranking, equity scatter),
:mod:`.schedule_chart` (schedule) and :mod:`.inclusion_charts` (inclusion shares).
"""

# ruff: noqa: F401 (this module re-exports the names of its parts, private ones included)

from __future__ import annotations

from .chart_base import (
    _SEP,
    _date_axis_mpl,
    _finish_mpl,
    _finish_plotly,
    _legend,
    _month_ticks,
    _new_axes,
    _num_formatter,
    _p,
    _pct_formatter,
    _require,
    _rows_mpl,
    _share_ticks,
    _source_text,
)
from .commune_charts import (
    _LABEL_POSITIONS,
    _Equity,
    _equity_data,
    _label_plan,
    _Ranking,
    _ranking_data,
    _type_groups,
    commune_ranking,
    commune_ranking_mpl,
    equity_scatter,
    equity_scatter_mpl,
)
from .inclusion_charts import (
    _Inclusion,
    _inclusion_data,
    _is_total,
    _share_cell,
    inclusion_shares,
    inclusion_shares_mpl,
)
from .progress_charts import (
    BURNUP_HEADROOM,
    MAX_PROJECTION_MONTHS,
    MAX_STACKED_GROUPS,
    _achieved_trace,
    _Burnup,
    _burnup_data,
    _forecast_traces,
    _Stack,
    _stack_data,
    _target_trace,
    burnup,
    burnup_mpl,
    jobs_by_month,
    jobs_by_month_mpl,
)
from .schedule_chart import (
    GANTT_ROW,
    PROJECT_LABEL_CHARS,
    _actual_period,
    _flags,
    _Gantt,
    _gantt_as_of,
    _gantt_as_of_mpl,
    _gantt_axes_mpl,
    _gantt_bars,
    _gantt_bars_mpl,
    _gantt_data,
    _gantt_hover,
    _gantt_labels,
    _gantt_legend_mpl,
    _gantt_legend_rows,
    _gantt_rows,
    _gantt_x_axis,
    _main_reason,
    _project_label,
    _segments,
    schedule_gantt,
    schedule_gantt_mpl,
)

__all__ = [
    "burnup",
    "burnup_mpl",
    "commune_ranking",
    "commune_ranking_mpl",
    "equity_scatter",
    "equity_scatter_mpl",
    "inclusion_shares",
    "inclusion_shares_mpl",
    "jobs_by_month",
    "jobs_by_month_mpl",
    "schedule_gantt",
    "schedule_gantt_mpl",
]
