"""The y range of a log axis: whole decades, and the floor results of 0 sit on.

A log axis has no place for 0. A result the lab reported as 0 (``PSA 0 ng/mL``
after prostatectomy) is drawn on the axis floor with a symbol of its own, so the
floor must be chosen for it, not left where the lowest measured value happens to
put it: at least :data:`ZERO_CLEARANCE_DECADES` below every positive result and
every drawn limit, so the 0 is never read as one of them.
"""

from __future__ import annotations

import math

# The floor under results of 0 lies at least this many decades (a factor of
# about 3.2) below the lowest positive result or limit, on a whole decade.
ZERO_CLEARANCE_DECADES = 0.5
# Results of 0 with nothing positive to scale by: the axis spans this decade.
ZERO_ONLY_RANGE = (0.1, 1.0)


def decade_range(values, limits=()) -> tuple[float, float] | None:
    """Return log-axis limits on whole decades holding the values and limits.

    Parameters
    ----------
    values : sequence of float
        The results drawn on the axis (censored ones at their limit), 0 for a
        result reported as 0.
    limits : sequence of float
        Reference limits and thresholds drawn on the axis (all above 0).

    Returns
    -------
    (float, float) or None
        ``(low, high)``: ``low`` the decade at or below the lowest positive value,
        or with any 0 among ``values`` the decade at least
        :data:`ZERO_CLEARANCE_DECADES` below it (where the 0s are drawn);
        ``high`` the decade at or above the highest, one decade above ``low``
        when they meet. None with nothing to draw; :data:`ZERO_ONLY_RANGE` with
        results of 0 only.

    Examples
    --------
    >>> decade_range([0.2, 4.0, 0.0])
    (0.01, 10.0)
    >>> decade_range([0.2, 4.0])
    (0.1, 10.0)
    """
    values = [float(v) for v in values]
    positive = [*(v for v in values if v > 0), *(float(v) for v in limits)]
    zeros = any(v == 0 for v in values)
    if not positive:
        return ZERO_ONLY_RANGE if zeros else None
    clearance = ZERO_CLEARANCE_DECADES if zeros else 0.0
    low = 10.0 ** math.floor(math.log10(min(positive)) - clearance)
    high = 10.0 ** math.ceil(math.log10(max(positive)))
    return low, high if high > low else low * 10
