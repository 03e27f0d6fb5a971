"""The treatment vocabulary: the words papers use all land in the right lane."""

from __future__ import annotations

import pytest

from plotting import read_case
from plotting.core.vocabulary import canonical_kind, lane_for, nearest_kind
from plotting.reading.importers.treatment_names import drug_kind


@pytest.mark.parametrize(
    ("written", "kind", "lane"),
    [
        ("hormone_therapy", "hormone therapy", "Systemic"),
        ("ADT", "hormone therapy", "Systemic"),
        ("Androgen deprivation", "hormone therapy", "Systemic"),
        ("Y-90", "tare", "TARE"),
        ("SIRT", "tare", "TARE"),
        ("radioembolization", "tare", "TARE"),
        ("PD-1 inhibitor", "immunotherapy", "Systemic"),
        ("checkpoint inhibitor", "immunotherapy", "Systemic"),
        ("Lenvatinib", "targeted therapy", "Systemic"),
        ("targeted_therapy", "targeted therapy", "Systemic"),
        ("brachytherapy", "brachytherapy", "RT"),
        ("Radical prostatectomy", "resection", "Surgery"),
        ("TACE", "tace", "TACE"),
        # Drugs of the published cases in data/ (issue 17).
        ("Tamoxifen", "hormone therapy", "Systemic"),
        ("letrozole", "hormone therapy", "Systemic"),
        ("Olaparib", "targeted therapy", "Systemic"),
        ("PARP inhibitor", "targeted therapy", "Systemic"),
        ("Actinomycin-D", "chemotherapy", "Systemic"),
        ("actinomycin D", "chemotherapy", "Systemic"),
        ("EMA-CO", "chemotherapy", "Systemic"),
        ("cyclophosphamide", "chemotherapy", "Systemic"),
    ],
)
def test_synonyms_map_to_a_kind_and_its_lane(written, kind, lane):
    assert canonical_kind(written) == kind
    assert lane_for(written) == lane


def test_near_misses_get_a_suggestion_and_strangers_none():
    assert nearest_kind("hormone therapie") == "hormone therapy"
    assert nearest_kind("radiotherap") == "radiotherapy"
    assert nearest_kind("acupuncture") is None


def test_a_case_written_in_the_papers_words_draws_known_lanes(write_case):
    folder = write_case(
        "date,marker,value,unit\n2010-03-01,AFP,5,ng/mL\n",
        treatments="kind,start,end\nY-90,2010-04-01,\nLenvatinib,2010-05-01,"
        "2010-09-01\nhormone_therapy,2010-06-01,2010-07-01\n",
    )
    treatments = read_case(folder).treatments
    assert treatments["kind"].tolist() == [
        "tare",
        "targeted therapy",
        "hormone therapy",
    ]
    assert treatments["lane"].tolist() == ["TARE", "Systemic", "Systemic"]


def test_a_therapy_ongoing_at_last_follow_up_runs_to_it_with_an_arrow(write_case):
    from artists import lines_with_gid

    from plotting import plot_case

    folder = write_case(
        "date,marker,value,unit\n2010-03-01,AFP,5,ng/mL\n2011-03-01,AFP,9,ng/mL\n",
        treatments="kind,start,end,label\nlenvatinib,2010-06-01,Ongoing,Lenvatinib\n",
    )
    case = read_case(folder)
    (course,) = case.treatments.itertuples()
    assert course.ongoing and course.end == case.last_follow_up
    fig = plot_case(case)
    (arrow,) = lines_with_gid(fig.axes[1], "ongoing:Systemic")
    assert arrow.get_marker() == ">"
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Arrow: treatment ongoing at last follow-up" in labels


@pytest.mark.parametrize(
    ("written", "kind", "drug"),
    [
        ("Olaparib 300 mg", "targeted therapy", "Olaparib"),
        ("Letrozole 2.5 mg", "hormone therapy", "Letrozole"),
        ("Tamoxifen 20 mg", "hormone therapy", "Tamoxifen"),
    ],
)
def test_imported_medications_of_the_published_cases_find_their_kind(
    written, kind, drug
):
    assert drug_kind(written) == (kind, drug)
    assert drug_kind("Mirvetuximab 6 mg/kg") is None
