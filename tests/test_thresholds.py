"""Thresholds beside the upper reference limit, and limit labels placed clear."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from artists import lines_with_gid, overlapping_texts

from plotting import FigureOptions, InputError, case_from_frames, plot_case, read_case
from plotting.computing.labels import (
    LineLabel,
    Obstacles,
    choose_boxes,
    crossed_length,
    line_label_candidates,
    place_line_labels,
)
from plotting.computing.limit_values import marker_limits

TODAY = "2024-01-01"


def psa_case(values, *, markers=None, treatments=None, censor=None):
    results = pd.DataFrame(
        {
            "date": pd.to_datetime([d for d, _ in values]),
            "marker": "PSA",
            "value": [v for _, v in values],
            "unit": "ng/mL",
        }
    )
    if censor is not None:
        results["qualifier"] = censor
    return case_from_frames(
        results,
        treatments,
        origin="2000-01",
        last_follow_up="2012-12-31",
        markers=markers or {"PSA": {}},
        today=TODAY,
    )


def rt(*rows):
    return pd.DataFrame(
        [
            {"kind": kind, "start": start, "end": end, "label": label}
            for kind, start, end, label in rows
        ]
    )


SPARSE = [("2000-02-01", 12.0), ("2003-03-01", 0.5), ("2005-06-01", 0.9)]


def test_presets_and_own_thresholds_are_read_with_uln_false():
    case = psa_case(
        SPARSE,
        markers={
            "PSA": {
                "uln": False,
                "thresholds": [
                    "psa-bcr-prostatectomy",
                    {"value": 0.5, "label": "PSA 0.5", "style": "dotted"},
                ],
            }
        },
    )
    psa = case.markers["PSA"]
    assert psa.uln is None
    limits = marker_limits(psa, case.measurements, case.treatments)
    assert [(x.value, x.label, x.kind) for x in limits] == [
        (0.2, "BCR after prostatectomy 0.2 ng/mL", "threshold"),
        (0.5, "PSA 0.5", "threshold"),
    ]


def test_the_uln_is_kept_unless_switched_off():
    case = psa_case(SPARSE, markers={"PSA": {"thresholds": [{"value": 0.2}]}})
    limits = marker_limits(case.markers["PSA"], case.measurements, case.treatments)
    assert [(x.value, x.label) for x in limits] == [
        (4.0, "PSA ULN 4 ng/mL"),
        (0.2, "PSA 0.2 ng/mL"),
    ]


def test_an_afp_threshold_in_iu_is_converted_with_the_case_factor():
    results = pd.DataFrame(
        {
            "date": pd.to_datetime(["2001-01-01", "2001-06-01"]),
            "marker": "AFP",
            "value": [100.0, 10.0],
            "unit": "ng/mL",
        }
    )
    case = case_from_frames(
        results,
        origin="2000",
        last_follow_up="2002",
        markers={
            "AFP": {
                "factor": 1.25,
                "thresholds": [{"value": 16, "unit": "IU/mL", "label": "AFP 16 IU"}],
            }
        },
        today=TODAY,
    )
    (_uln, threshold) = marker_limits(case.markers["AFP"], case.measurements, None)
    assert threshold.value == 20.0
    assert threshold.label == "AFP 16 IU (= 20 ng/mL)"


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        (
            [{"value": 0.2, "lable": "BCR"}],
            "[markers.PSA] thresholds item 1: unknown key 'lable'; did you mean "
            "'label'?",
        ),
        (
            [{"value": "0.2"}],
            "[markers.PSA] thresholds item 1: value must be a finite number above 0 "
            "(without quotes), such as value = 0.2",
        ),
        (
            [{"value": -0.2}],
            "[markers.PSA] thresholds item 1: value must be a finite number above 0, "
            "such as value = 0.2",
        ),
        (
            ["psa-bcr-prostatectomy", {"value": 0.2, "label": 0.2}],
            "[markers.PSA] thresholds item 2: label must be text in quotes, such as "
            'label = "PSA 0.2 (BCR)"',
        ),
        (
            ["psa-bcr"],
            "[markers.PSA] thresholds item 1: unknown preset 'psa-bcr'; did you mean "
            "'psa-bcr-prostatectomy'? known: psa-bcr-prostatectomy, phoenix",
        ),
        (
            [{"value": 0.2, "unit": "U/mL"}],
            "[markers.PSA] thresholds item 1: unit 'U/mL' is not a unit of PSA; "
            "write one of ng/mL",
        ),
        (
            [{"preset": "phoenix", "value": 2}],
            "[markers.PSA] thresholds item 1: give either value = (a number, such as "
            "0.2) or preset = (one of 'psa-bcr-prostatectomy', 'phoenix'), not both",
        ),
        (
            "psa-bcr-prostatectomy",
            "[markers.PSA] thresholds must be a list in brackets",
        ),
        ([0.2], "[markers.PSA] thresholds item 1 must be a preset name in quotes"),
    ],
)
def test_bad_thresholds_are_refused_naming_the_item(thresholds, message):
    with pytest.raises(InputError) as caught:
        psa_case(SPARSE, markers={"PSA": {"thresholds": thresholds}})
    assert message in str(caught.value)


def test_uln_true_is_refused_with_what_to_write():
    with pytest.raises(InputError, match="or uln = false to draw none"):
        psa_case(SPARSE, markers={"PSA": {"uln": True}})


def test_a_psa_preset_on_another_marker_is_refused():
    results = pd.DataFrame(
        {"date": pd.to_datetime(["2001-01-01"]), "marker": "CEA", "value": [3.0]}
    )
    results["unit"] = "ng/mL"
    with pytest.raises(InputError, match="preset 'phoenix' is a PSA threshold"):
        case_from_frames(
            results,
            origin="2000",
            last_follow_up="2002",
            markers={"CEA": {"thresholds": ["phoenix"]}},
            today=TODAY,
        )


# Phoenix: nadir + 2 ng/mL after radiotherapy (Roach et al. 2006).
def test_phoenix_is_the_nadir_after_the_radiotherapy_plus_two():
    case = psa_case(
        [
            ("2000-02-01", 9.0),
            ("2002-01-01", 0.4),
            ("2003-01-01", 0.3),
            ("2005-01-01", 2.0),
            ("2007-01-01", 0.1),
        ],
        markers={"PSA": {"uln": False, "thresholds": ["phoenix"]}},
        treatments=rt(
            ("radiotherapy", "2001-01-01", "2001-02-15", "EBRT"),
            ("hormone therapy", "2001-01-01", "2003-06-01", "ADT"),
            ("resection", "2006-01-01", None, "Salvage RP"),
        ),
    )
    (limit,) = marker_limits(case.markers["PSA"], case.measurements, case.treatments)
    # The nadir is taken before the salvage surgery, not from the 0.1 after it;
    # hormone therapy given with the radiotherapy does not end the window.
    assert limit.value == pytest.approx(2.3)
    assert limit.label == "Phoenix: nadir 0.3 + 2 = 2.3 ng/mL"
    assert (limit.start, limit.end) == (
        pd.Timestamp("2003-01-01"),
        pd.Timestamp("2006-01-01"),
    )


def test_phoenix_says_when_its_nadir_is_below_the_detection_limit():
    case = psa_case(
        [("2002-01-01", 0.5), ("2003-01-01", 0.1)],
        censor=["", "<"],
        markers={"PSA": {"thresholds": [{"preset": "phoenix", "after": "EBRT"}]}},
        treatments=rt(("radiotherapy", "2001-01-01", None, "EBRT")),
    )
    limits = marker_limits(case.markers["PSA"], case.measurements, case.treatments)
    assert limits[-1].label == "Phoenix: nadir <0.1 + 2 = <2.1 ng/mL"


@pytest.mark.parametrize(
    ("treatments", "threshold", "message"),
    [
        (
            rt(("resection", "2001-01-01", None, "RP")),
            "phoenix",
            "Phoenix (nadir + 2 ng/mL) is defined after radiotherapy, and the case "
            "has none",
        ),
        (
            rt(
                ("radiotherapy", "2001-01-01", None, "EBRT"),
                ("brachytherapy", "2004-01-01", None, "LDR"),
            ),
            "phoenix",
            "the case has 2 radiotherapies ('EBRT', 'LDR'); name the one it follows",
        ),
        (
            rt(("radiotherapy", "2011-01-01", None, "EBRT")),
            "phoenix",
            "no PSA result after EBRT (2011-01-01), so there is no nadir",
        ),
        (
            rt(("resection", "2001-01-01", None, "RP")),
            {"preset": "phoenix", "after": "RP"},
            "after = 'RP' is a resection; Phoenix is defined after radiotherapy",
        ),
        (
            rt(("radiotherapy", "2001-01-01", None, "EBRT")),
            {"preset": "phoenix", "after": "IMRT"},
            "after = 'IMRT': no single treatment labelled 'IMRT'; known: 'EBRT'",
        ),
    ],
)
def test_phoenix_refuses_without_its_radiotherapy_or_a_result(
    treatments, threshold, message
):
    case = psa_case(
        SPARSE, markers={"PSA": {"thresholds": [threshold]}}, treatments=treatments
    )
    with pytest.raises(InputError) as caught:
        marker_limits(case.markers["PSA"], case.measurements, case.treatments)
    assert message in str(caught.value)
    with pytest.raises(InputError):
        plot_case(case)


def test_figure_options_limits_replace_the_cases_and_are_checked():
    case = psa_case(SPARSE)
    fig = plot_case(
        case, limits={"PSA": {"uln": False, "thresholds": ["psa-bcr-prostatectomy"]}}
    )
    trend = fig.axes[0]
    assert lines_with_gid(trend, "reference-limit") == []
    assert [line.get_ydata()[0] for line in lines_with_gid(trend, "threshold")] == [0.2]
    with pytest.raises(InputError, match=r"limits\['PSA'\]: unknown key 'ulm'; did"):
        FigureOptions(limits={"PSA": {"ulm": 4}})


# Placement: no label on another label, a data symbol or a line.
def boxes_of(texts):
    return [t.get_window_extent() for t in texts]


def limit_labels(fig):
    return [
        t
        for ax in fig.axes
        for t in ax.texts
        if (t.get_gid() or "").startswith(("reference-limit", "threshold"))
    ]


def symbol_boxes(fig):
    boxes = []
    for ax in fig.axes:
        for line in lines_with_gid(ax, "trend-points:"):
            half = (line.get_markersize() + line.get_markeredgewidth()) / 2
            half *= fig.dpi / 72
            for x, y in line.get_transform().transform(line.get_xydata()):
                boxes.append((x - half, y - half, x + half, y + half))
    return boxes


def assert_limit_labels_clear(fig):
    fig.canvas.draw()
    labels = limit_labels(fig)
    assert labels
    boxes = boxes_of(labels)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    for box in boxes:
        for x0, y0, x1, y1 in symbol_boxes(fig):
            assert not (box.x0 < x1 and x0 < box.x1 and box.y0 < y1 and y0 < box.y1)
        panel = fig.axes[0].bbox
        assert panel.x0 <= box.x0 and box.x1 <= panel.x1
    assert overlapping_texts(fig) == []


def test_yu2020_limit_labels_are_clear(yu2020):
    fig = plot_case(yu2020)
    assert_limit_labels_clear(fig)
    # Nothing was in the way: both stay above the right end of their lines.
    for text in limit_labels(fig):
        assert (text.get_ha(), text.get_va()) == ("right", "bottom")


def test_a_result_next_to_its_limit_moves_the_label():
    case = psa_case(
        [("2000-02-01", 8.0), ("2000-06-01", 5.0), ("2012-11-01", 3.96)],
        markers={"PSA": {"uln": 4}},
    )
    fig = plot_case(case, width_mm=89)
    assert_limit_labels_clear(fig)
    (label,) = limit_labels(fig)
    assert (label.get_ha(), label.get_va()) != ("right", "bottom")


def test_right_axis_limit_labels_do_not_overlap(write_case):
    folder = write_case(
        """
        date,marker,value,unit
        2010-03-01,AFP,800,ng/mL
        2010-05-01,AFP,90,ng/mL
        2010-08-01,AFP,6,ng/mL
        2010-03-01,CEA,2.1,ng/mL
        2010-05-01,CEA,9.5,ng/mL
        2010-08-01,CEA,30,ng/mL
        """,
        toml="""
        [time]
        origin = "2010-02"
        last_follow_up = "2010-12-31"
        [markers.AFP]
        [markers.CEA]
        axis = "right"
        """,
    )
    fig = plot_case(read_case(folder), width_mm=89, trend_height_in=1.8)
    assert len(limit_labels(fig)) == 2
    assert_limit_labels_clear(fig)


def test_thresholds_close_together_are_all_readable():
    case = psa_case(
        [("2000-02-01", 800.0), ("2004-01-01", 0.05), ("2008-01-01", 0.02)],
        markers={
            "PSA": {
                "uln": False,
                "thresholds": [
                    {"value": 0.1, "label": "PSA 0.1"},
                    {"value": 0.2, "label": "PSA 0.2"},
                    {"value": 0.3, "label": "PSA 0.3"},
                ],
            }
        },
    )
    fig = plot_case(case, preset="single")
    assert len(limit_labels(fig)) == 3
    assert_limit_labels_clear(fig)


def test_place_line_labels_keeps_labels_on_their_lines_and_apart():
    labels = [LineLabel(y, 0, 100, 40, 10) for y in (50, 54, 58)]
    placed = place_line_labels(labels, bounds=(0, 0, 100, 100), obstacles=Obstacles())
    boxes = np.array([box for box, _, _ in placed])
    for a, b in itertools.combinations(boxes, 2):
        assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
    for (box, _, va), label in zip(placed, labels, strict=True):
        edge = box[1] if va == "bottom" else box[3]
        assert abs(edge - label.y) == 1.0


def test_crossed_length_is_the_length_of_the_segments_inside_the_box():
    box = (0.0, 0.0, 30.0, 40.0)
    assert crossed_length(box, [(0, 0, 30, 40)]) == 50.0  # the diagonal
    assert crossed_length(box, [(-10, 20, 50, 20)]) == 30.0  # clipped both ends
    assert crossed_length(box, [(15, 20, 15, 100)]) == 20.0  # one end inside
    assert crossed_length(box, [(31, 0, 31, 40), (-5, 50, 40, 50)]) == 0.0
    assert crossed_length(box, []) == 0.0


def test_when_no_box_is_clear_a_line_clipping_a_corner_beats_one_through_the_text():
    # Both boxes are crossed by one segment; the old count of segments tied
    # them and kept the first, through the middle of the words.
    through = (0.0, 0.0, 40.0, 10.0)
    corner = (60.0, 0.0, 100.0, 10.0)
    segments = [(-5, 5, 45, 5), (95, 12, 102, 8)]
    (pick,) = choose_boxes(
        [[through, corner]],
        bounds=(0, 0, 100, 100),
        obstacles=Obstacles.of(segments=segments),
    )
    assert pick == 1
    (pick,) = choose_boxes(
        [[through, corner]],
        bounds=(0, 0, 100, 100),
        obstacles=Obstacles.of(segments=segments),
        required=False,
    )
    assert pick is None


def test_boxes_crossed_equally_keep_their_order_of_preference():
    # 0.1 and 0.7 of a 40-unit box differ in the last bits once clipped.
    segments = [(-0.1, 5, 99.7, 5), (0.7, 25, 100.1, 25)]
    first, second = (30.0, 0.0, 70.0, 10.0), (30.0, 20.0, 70.0, 30.0)
    for candidates in ([first, second], [second, first]):
        (pick,) = choose_boxes(
            [candidates],
            bounds=(0, 0, 100, 100),
            obstacles=Obstacles.of(segments=segments),
        )
        assert pick == 0


def test_a_line_grazing_a_box_edge_costs_less_than_one_through_its_words():
    # Both boxes are crossed along their whole width; the second only 0.2 units
    # inside its bottom edge, under the words.
    through, grazed = (0.0, 0.0, 40.0, 10.0), (60.0, 0.0, 100.0, 10.0)
    segments = [(-5, 5, 45, 5), (55, 0.2, 105, 0.2)]
    (pick,) = choose_boxes(
        [[through, grazed]],
        bounds=(0, 0, 100, 100),
        obstacles=Obstacles.of(segments=segments),
    )
    assert pick == 1


def test_a_symbol_corner_covered_beats_a_line_through_the_words():
    # Area counted first chose a line through the whole label over a 2 x 2
    # corner of a symbol's box.
    struck, touched = (0.0, 0.0, 40.0, 10.0), (60.0, 0.0, 100.0, 10.0)
    obstacles = Obstacles.of(boxes=[(98, 8, 102, 12)], segments=[(-5, 5, 45, 5)])
    (pick,) = choose_boxes(
        [[struck, touched]], bounds=(0, 0, 100, 100), obstacles=obstacles
    )
    assert pick == 1


def test_a_label_is_never_offered_a_place_off_its_own_line():
    short = LineLabel(50, 40, 55, 30, 8)
    candidates = line_label_candidates(short, panel=(0, 100))
    assert len(candidates) > 4
    for (left, _, right, _), _, _ in candidates:
        assert left < short.x1 and right > short.x0


def test_a_short_limit_line_keeps_its_label_on_its_span():
    # The Phoenix line (2003 to 2006, just above the ULN) had its label slid
    # to 2008-2013, under the ULN line: a second ULN label, read as Phoenix
    # holding after 2006.
    treatments = pd.DataFrame(
        [
            {"kind": "radiotherapy", "start": "2001-01-01", "end": "2001-02-15"},
            {"kind": "resection", "start": "2006-01-01", "label": "Salvage RP"},
        ]
    )
    values = [
        ("2000-02-01", 9.0),
        ("2002-01-01", 2.4),
        ("2003-01-01", 2.1),
        ("2004-01-01", 3.5),
        ("2005-06-01", 4.5),
        ("2005-09-01", 6.0),
        ("2007-01-01", 0.1),
    ]
    case = psa_case(
        values, markers={"PSA": {"thresholds": ["phoenix"]}}, treatments=treatments
    )
    fig = plot_case(case)
    fig.canvas.draw()
    (line,) = lines_with_gid(fig.axes[0], "threshold")
    xs = line.get_transform().transform(line.get_xydata())[:, 0]
    (label,) = [t for t in limit_labels(fig) if t.get_text().startswith("Phoenix")]
    box = label.get_window_extent()
    assert box.x0 < xs.max() and box.x1 > xs.min()
    assert overlapping_texts(fig) == []


def test_a_limit_label_between_two_lines_is_not_struck_by_either():
    case = psa_case(
        [("2000-02-01", 12.0), ("2003-03-01", 0.5), ("2005-06-01", 0.9)],
        markers={"PSA": {"uln": 4, "thresholds": [{"value": 3.0}, {"value": 5.0}]}},
    )
    fig = plot_case(case)
    fig.canvas.draw()
    heights = {
        line.get_gid(): line.get_transform().transform(line.get_xydata())[0, 1]
        for line in fig.axes[0].lines
        if (line.get_gid() or "").startswith(("reference-limit", "threshold"))
    }
    assert len(heights) == 3
    for label in limit_labels(fig):
        box = label.get_window_extent()
        words = (box.y0 + 0.1 * box.height, box.y1 - 0.1 * box.height)
        for gid, y in heights.items():
            assert not words[0] < y < words[1], (label.get_text(), gid)
    assert overlapping_texts(fig) == []


def test_place_line_labels_moves_off_a_point_at_the_right_end():
    point = Obstacles.of(boxes=[(90, 47, 96, 53)])
    (placed,) = place_line_labels(
        [LineLabel(50, 0, 100, 30, 8)], bounds=(0, 0, 100, 100), obstacles=point
    )
    box, ha, _ = placed
    assert box[2] <= 90 or ha == "left"


def test_a_sparse_published_psa_case_with_its_setting_thresholds():
    # Hosogoe et al. 2015 (tests/cases/hosogoe2015_psa): the paper states no
    # threshold, so they are asked for here, not written into its case.toml.
    case = read_case(Path(__file__).parent / "cases" / "hosogoe2015_psa")
    limits = {
        "PSA": {
            "uln": False,
            "thresholds": [
                "psa-bcr-prostatectomy",
                {"preset": "phoenix", "after": "Salvage EBRT"},
            ],
        }
    }
    fig = plot_case(case, limits=limits)
    trend = fig.axes[0]
    assert lines_with_gid(trend, "reference-limit") == []
    lines = lines_with_gid(trend, "threshold")
    assert [line.get_ydata()[0] for line in lines] == [0.2, pytest.approx(2.33)]
    # Phoenix runs from the 0.33 nadir (May 2008) to the brachytherapy.
    assert list(lines[1].get_xdata()) == [
        mdates.date2num(case.measurements["date"].iloc[1]),
        mdates.date2num(pd.Timestamp("2012-07-01")),
    ]
    assert [t.get_text() for t in limit_labels(fig)] == [
        "BCR after prostatectomy 0.2 ng/mL",
        "Phoenix: nadir 0.33 + 2 = 2.33 ng/mL",
    ]
    assert_limit_labels_clear(fig)
    # 1995-2008 and 2008-2012 are dotted links; 2012-04 to 2013-01 is under a
    # year, so solid.
    assert len(lines_with_gid(trend, "gap-link:PSA")) == 2
    assert len(lines_with_gid(trend, "trend-line:PSA")) == 1
