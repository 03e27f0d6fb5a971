"""Build hook: the published cases in data/ ship in the wheel as plotting/examples/.

data/ stays the one copy in the repository (the Makefile, the README and the tests
read it there); the wheel gets its case folders and data/README.md, which defines
the format. Editable installs read data/ in place (plotting/reading/examples.py).
Everything else is configured in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = Path(__file__).parent / "data"
# What a case folder holds (data/README.md): its settings, tables and notes.
CASE_FILES = ("*.toml", "*.csv", "*.xlsx", "*.parquet", "*.md")


class build_py_with_examples(build_py):  # noqa: N801 (setuptools' command style)
    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "plotting" / "examples"
        shutil.rmtree(target, ignore_errors=True)
        for case in sorted(p for p in DATA.iterdir() if (p / "case.toml").is_file()):
            self.mkpath(str(target / case.name))
            for pattern in CASE_FILES:
                for source in sorted(case.glob(pattern)):
                    self.copy_file(str(source), str(target / case.name / source.name))
        self.copy_file(str(DATA / "README.md"), str(target / "README.md"))


setup(cmdclass={"build_py": build_py_with_examples})
