"""Open a notebook on one data set: load it, choose the month and wave, set up the display."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config, i18n
from ..analysis import indicators
from ..data.load import load
from ..model.program import Program
from .render import display_plotly_js, setup_notebook
from .report import current_wave
from .scope_views import heading


@dataclass(frozen=True)
class Session:
    """What a notebook works on after its parameters cell.

    Attributes
    ----------
    program : Program
        The loaded, validated data set.
    as_of : pandas.Timestamp
        The month the notebook is about (first day of the month).
    wave : int or None
        The wave whose province target covers ``as_of`` (``None``: the data have no wave).
    lang : str
        Language of labels, charts and maps.
    """

    program: Program
    as_of: pd.Timestamp
    wave: int | None
    lang: str

    def header(self) -> str:
        """Return the lines a notebook prints under its parameters: scope, wave, month, banner."""
        p = self.program
        lines = [
            f"{heading(p, self.lang)} · {i18n.wave_label(self.wave, self.lang)}",
            i18n.t("ui.as_of", self.lang, month=i18n.fmt_month(self.as_of, self.lang)),
        ]
        if p.source is not None:
            lines.append(str(p.source))
        if p.is_sample:
            lines.append(i18n.t("ui.sample_banner", self.lang))
        return "\n".join(lines)


def start(
    data_path: str | Path | None = None,
    province: str | None = None,
    month: str | None = None,
    lang: str = config.DEFAULT_LANGUAGE,
    *,
    scope: str | None = None,
    echo: bool = True,
) -> Session:
    """Load the data and prepare the kernel for a notebook's parameters.

    Sets up the plotly renderer for ``lang``, puts plotly.js in the cell's output (so that a
    page exported with plain ``jupyter nbconvert --to html`` draws its figures offline,
    :func:`~awrach_analysis.documents.render.display_plotly_js`), loads ``data_path`` (the
    bundled sample when ``None``), takes ``month`` (``"YYYY-MM"``) or the last month with a
    progress report, and the wave whose target covers that month; prints the header unless
    ``echo`` is false.

    Parameters
    ----------
    data_path : str, Path or None
        Data folder, workbook or table file; ``None`` for the bundled sample.
    province : str or None
        Province name or HCP code; ``None`` to take it from the data.
    month : str or None
        Month of interest, ``"YYYY-MM"``; ``None`` for the latest month with data.
    lang : str
        ``"fr"``, ``"ar"`` or ``"en"``.
    scope : str or None
        ``"national"``, a region or a province (name or code): a wider data set is
        narrowed to it (``data.load.load(..., scope=...)``); wins over ``province``.
    echo : bool
        Print :meth:`Session.header`.

    Returns
    -------
    Session
        The program, month, wave and language.
    """
    setup_notebook(lang)
    display_plotly_js()
    program = load(data_path, province=province, scope=scope)
    as_of = indicators.to_month(month) if month else indicators.default_as_of(program)
    session = Session(program, as_of, current_wave(program, as_of), lang)
    if echo:
        print(session.header())
    return session


def copy_notebooks(dest: str | Path, *, force: bool = False) -> list[Path]:
    """Copy the analyst notebooks shipped with the package into ``dest``.

    Each notebook comes with its jupytext pair (``.py``) and the folder's README, so that
    an installed package (``pip install awrach-analysis``) gives the same starting point
    as a checkout. Existing files are never overwritten unless ``force``.

    Parameters
    ----------
    dest : str or Path
        Folder to copy into (created when missing).
    force : bool, default False
        Overwrite files that already exist.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        When ``dest`` is a file, or holds one of the notebooks and ``force`` is not given.
    """
    import shutil

    from ..errors import InputError

    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise InputError(f"{dest} is a file; give a folder to copy the notebooks into.")
    sources = sorted(
        f
        for f in config.NOTEBOOKS_DIR.iterdir()
        if f.is_file() and f.suffix in {".ipynb", ".py", ".md"}
    )
    clashes = [dest / f.name for f in sources if (dest / f.name).exists()]
    if clashes and not force:
        raise InputError(
            f"{len(clashes)} file(s) already exist in {dest} (e.g. {clashes[0].name}); "
            "nothing was copied. Choose another folder or add --force to overwrite."
        )
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for f in sources:
        shutil.copyfile(f, dest / f.name)
        written.append(dest / f.name)
    return written
