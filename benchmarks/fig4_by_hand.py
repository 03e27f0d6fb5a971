"""Fig. 4 (Yu 2020) drawn by hand with pyplot: the baseline of render_time.py.

What a careful person would write for this one figure, with no package code: the
same CSVs read with pandas, AFP and PIVKA-II on a log axis (open symbols for
approximate dates, dotted where results are over a year apart), the upper limits
with their labels, the radiotherapy courses shaded, the events and treatments on
lanes of a time track below with their labels placed by eye, a legend, and a PNG
at 300 dpi of the package's size (6.85 x 4.98 in). Usage:

    python benchmarks/fig4_by_hand.py [OUTPUT.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

DATA = Path(__file__).resolve().parents[1] / "data" / "yu2020"
COLORS = {"AFP": "#0072B2", "PIVKA-II": "#D55E00"}
SYMBOLS = {"AFP": "o", "PIVKA-II": "s"}
STYLES = {"AFP": "-", "PIVKA-II": (0, (5, 2))}
UNITS = {"AFP": "ng/mL", "PIVKA-II": "mAU/mL"}
ULN = {"AFP": 7, "PIVKA-II": 40}
LANES = {"Events": 4, "Surgery": 3, "TACE": 2, "RT": 1}
LANE_COLORS = {
    "Events": "#555555",
    "Surgery": "#222222",
    "TACE": "#CC79A7",
    "RT": "#E69F00",
}


def main(output: str = "fig4_by_hand.png") -> None:
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "font.size": 7.0,
            "axes.labelsize": 7.5,
            "axes.linewidth": 0.6,
            "lines.linewidth": 1.2,
            "lines.markersize": 4.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )
    results = pd.read_csv(DATA / "measurements.csv")
    results["date"] = pd.to_datetime(results["date"], format="mixed")
    treatments = pd.read_csv(DATA / "treatments.csv", parse_dates=["start", "end"])
    events = pd.read_csv(DATA / "events.csv")
    events["date"] = pd.to_datetime(events["date"], format="mixed")

    fig = plt.figure(figsize=(6.85, 1495 / 300))
    trend = fig.add_axes((0.115, 0.43, 0.875, 0.49))
    track = fig.add_axes((0.115, 0.055, 0.875, 0.37), sharex=trend)

    for marker, rows in results.groupby("marker", sort=False):
        rows = rows.sort_values("date")
        color = COLORS[marker]
        dates, values = rows["date"].to_numpy(), rows["value"].to_numpy()
        for i in range(len(rows) - 1):
            apart = (dates[i + 1] - dates[i]) / pd.Timedelta(days=1)
            trend.plot(
                dates[i : i + 2],
                values[i : i + 2],
                color=color,
                linestyle=(0, (1, 3)) if apart > 365 else STYLES[marker],
            )
        exact = rows["date_precision"] == "day"
        for mask, face in ((exact, color), (~exact, "white")):
            trend.plot(
                rows["date"][mask],
                rows["value"][mask],
                linestyle="none",
                marker=SYMBOLS[marker],
                markerfacecolor=face,
                markeredgecolor=color,
                markeredgewidth=1.2,
            )
        trend.axhline(ULN[marker], color=color, linestyle=(0, (1, 1.5)), lw=0.9)
        trend.annotate(
            f"{marker} ULN {ULN[marker]} {UNITS[marker]}",
            (1, ULN[marker]),
            xycoords=("axes fraction", "data"),
            xytext=(0, 1),
            textcoords="offset points",
            ha="right",
            va="bottom",
            color=color,
            fontsize=6.5,
        )
    trend.set_yscale("log")
    trend.set_ylim(1, 10_000)
    trend.yaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
    )
    trend.set_ylabel("Serum level (log scale)")
    trend.tick_params(axis="x", labelbottom=False)
    for x, text in (
        ("2009-01-01", "no results reported"),
        ("2013-11-15", "no results\nreported"),
        ("2017-03-01", "no results reported"),
    ):
        trend.text(
            pd.Timestamp(x),
            100,
            text,
            ha="center",
            va="center",
            fontsize=6.5,
            style="italic",
            color="#666666",
        )

    rt = treatments[treatments["kind"] == "radiotherapy"]
    for _, course in rt.iterrows():
        trend.axvspan(course["start"], course["end"], color="#E69F00", alpha=0.18, lw=0)
        track.barh(
            LANES["RT"],
            course["end"] - course["start"],
            left=course["start"],
            height=0.18,
            facecolor="white",
            edgecolor=LANE_COLORS["RT"],
            lw=1,
        )
        track.annotate(
            f"{course['label']}\n"
            f"{course['dose_gy']:.0f} Gy/{course['fractions']:.0f} fx",
            (course["start"], LANES["RT"] + 0.15),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=6.5,
            linespacing=1.0,
        )
    surgery = treatments[treatments["kind"] == "resection"]
    track.plot(
        surgery["start"],
        [LANES["Surgery"]] * len(surgery),
        "^",
        color=LANE_COLORS["Surgery"],
    )
    track.annotate(
        "Resection",
        (surgery["start"].iloc[0], LANES["Surgery"] + 0.15),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        fontsize=6.5,
    )
    tace = treatments[treatments["kind"] == "tace"]
    track.plot(
        tace["start"],
        [LANES["TACE"]] * len(tace),
        "v",
        markerfacecolor="white",
        markeredgecolor=LANE_COLORS["TACE"],
        mew=1,
    )
    for i, (_, row) in enumerate(tace.iterrows()):
        label_x = pd.Timestamp("2010-08-01") + pd.Timedelta(days=150 * i)
        track.annotate(
            row["label"],
            (row["start"], LANES["TACE"] + 0.05),
            xytext=(label_x, LANES["TACE"] + 0.35),
            ha="center",
            fontsize=6.5,
            arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5},
        )
    exact = events["date_precision"] == "day"
    for mask, face in ((exact, LANE_COLORS["Events"]), (~exact, "white")):
        track.plot(
            events["date"][mask],
            [LANES["Events"]] * mask.sum(),
            "D",
            markerfacecolor=face,
            markeredgecolor=LANE_COLORS["Events"],
        )
    rows = [0.35, 0.9, 0.35, 0.75, 0.35, 0.75]
    aligns = ["center"] * 5 + ["right"]
    for (_, event), up, ha in zip(events.iterrows(), rows, aligns, strict=True):
        track.annotate(
            event["label"].replace(" (Tx", "\n(Tx"),
            (event["date"], LANES["Events"]),
            xytext=(event["date"], LANES["Events"] + up),
            ha=ha,
            fontsize=6.5,
            linespacing=1.0,
            arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5},
        )
    track.set_yticks(list(LANES.values()), list(LANES))
    track.tick_params(axis="y", length=0)
    track.set_ylim(0.7, 5.4)
    for y in LANES.values():
        track.axhline(y, color="#dddddd", lw=0.6, zorder=0)
    track.spines["left"].set_visible(False)
    track.xaxis.set_major_locator(mdates.YearLocator())
    track.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    track.set_xlim(pd.Timestamp("2006-05-01"), pd.Timestamp("2019-11-01"))

    handles = [
        Line2D(
            [],
            [],
            color=COLORS[m],
            marker=SYMBOLS[m],
            linestyle=STYLES[m],
            label=f"{m} ({UNITS[m]})",
        )
        for m in COLORS
    ] + [
        Line2D(
            [],
            [],
            color="#555555",
            marker="o",
            markerfacecolor="white",
            linestyle="none",
            label="Open symbol: date approximate or month only",
        ),
        Line2D(
            [],
            [],
            color="#555555",
            linestyle=(0, (1, 3)),
            label="Dotted: over 365 days without a result",
        ),
    ]
    trend.legend(
        handles=handles, ncol=2, loc="lower left", bbox_to_anchor=(0, 1), fontsize=7
    )
    fig.savefig(output, dpi=300, metadata={"Software": None})
    plt.close(fig)


if __name__ == "__main__":
    main(*sys.argv[1:])
