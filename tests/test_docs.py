"""The case.toml example in data/README.md is valid and reads."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

from plotting import read_case


def test_data_readme_toml_example_is_a_valid_case_toml(write_case):
    text = (ROOT / "data" / "README.md").read_text()
    (example,) = [
        b for b in re.findall(r"```toml\n(.*?)```", text, re.S) if "[time]" in b
    ]
    tomllib.loads(example)
    folder = write_case(
        "date,marker,value,unit\n2007-03-01,AFP,40,IU/mL\n2008-03-01,Ferritin,300,ng/mL\n",
        toml=example,
    )
    case = read_case(folder)
    assert case.markers["AFP"].uln == 7
    assert case.measurements.set_index("marker").loc["AFP", "value"] == 40 * 1.21
    assert case.markers["Ferritin"].uln == 336
