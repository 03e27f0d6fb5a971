"""Names for what the public functions accept, used in annotations only.

Imported under ``TYPE_CHECKING``, so importing the package never loads them.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TypeAlias

import numpy as np
import pandas as pd

# A file or folder as the user gives it.
PathLike: TypeAlias = str | os.PathLike[str]
# A day as the user gives it: "2012-08-01", a date, a Timestamp.
DateLike: TypeAlias = str | dt.date | pd.Timestamp | np.datetime64
