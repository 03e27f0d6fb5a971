"""Reading: files to checked, tidy tables (pure pandas; never imports matplotlib).

files (raw cells) → cells, columns, dates (parsed values) → checks (one case's
tables) → case (a Case) and cohort (many, read lazily).
"""
